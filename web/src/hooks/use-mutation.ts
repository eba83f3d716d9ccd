import { type QueryKey, useMutation as useQueryMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef } from "react";

import type { ApiError, ApiResult } from "../api/admin-client";

export interface Mutation {
  busy: boolean;
  error: ApiError | null;
  clearError(): void;
  /** Runs one call at a time (a second click while busy is ignored) and keeps its error for a Banner. */
  run<T>(call: () => Promise<ApiResult<T>>): Promise<ApiResult<T> | null>;
}

export interface MutationOptions {
  /** The cached queries a success makes stale (api/query-keys.ts prefixes): refetched if on screen. */
  invalidates?: readonly QueryKey[];
}

type Call = () => Promise<ApiResult<unknown>>;

/** A write, on TanStack Query's useMutation: never retried, its error kept for a Banner, its reads refreshed after. */
export function useMutation(options: MutationOptions = {}): Mutation {
  const queryClient = useQueryClient();
  const invalidates = useRef(options.invalidates);
  invalidates.current = options.invalidates;
  const running = useRef(false);
  const mutation = useQueryMutation<ApiResult<unknown>, Error, Call>({
    mutationFn: (call) => call(),
    onSuccess: (result) => {
      if (!result.ok) return;
      for (const queryKey of invalidates.current ?? []) void queryClient.invalidateQueries({ queryKey });
    },
  });
  const { mutateAsync, reset } = mutation;

  const run = useCallback(
    async <T,>(call: () => Promise<ApiResult<T>>): Promise<ApiResult<T> | null> => {
      if (running.current) return null;
      running.current = true;
      try {
        return (await mutateAsync(call)) as ApiResult<T>;
      } finally {
        running.current = false;
      }
    },
    [mutateAsync],
  );

  const result = mutation.data;
  const error = mutation.isPending ? null : result && !result.ok ? result.error : null;
  return { busy: mutation.isPending, error, clearError: reset, run };
}
