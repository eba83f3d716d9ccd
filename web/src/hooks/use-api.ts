import { keepPreviousData, type QueryKey, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";

import type { ApiError, ApiResult } from "../api/admin-client";
import { ApiFailure, valueOf } from "../api/query-client";

export type Loaded<T> =
  | { status: "loading"; data: T | null; error: null }
  | { status: "ok"; data: T; error: null }
  | { status: "error"; data: T | null; error: ApiError };

export interface ApiResource<T> {
  state: Loaded<T>;
  /** Loads again, keeping the current data on screen meanwhile (tables show a loading bar, not a skeleton). */
  reload(): void;
  /** Replaces the data with what a mutation returned, without a round trip. */
  setData(data: T): void;
}

export interface ApiOptions {
  /** Polls every so many ms while it answers a number (TanStack Query's refetchInterval); false stops. */
  refetchInterval?: number | false;
  enabled?: boolean;
}

/**
 * One API resource in the panel's query cache (TanStack Query), under `key` (api/query-keys.ts: one per endpoint
 * and parameters). A new key shows the previous key's data until its own arrives, so quick filter changes never
 * flash a skeleton, and an answer for an older key never shows. Failures retry by the client's policy
 * (api/query-client.ts); the answer is parsed with the wire contract by the call itself (AdminClient).
 */
export function useApi<T>(load: () => Promise<ApiResult<T>>, key: QueryKey, options: ApiOptions = {}): ApiResource<T> {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: key,
    queryFn: () => valueOf(load()),
    placeholderData: keepPreviousData,
    refetchInterval: options.refetchInterval,
    refetchIntervalInBackground: options.refetchInterval !== undefined,
    enabled: options.enabled,
  });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  const setData = useCallback(
    (data: T) => {
      void queryClient.cancelQueries({ queryKey: key, exact: true });
      queryClient.setQueryData(key, data);
    },
    // The key's content, not its identity: callers build a new array on every render.
    [queryClient, JSON.stringify(key)],
  );
  return { state: loadedOf(query.data ?? null, query.error, query.isFetching || query.isPending), reload, setData };
}

function loadedOf<T>(data: T | null, error: Error | null, fetching: boolean): Loaded<T> {
  if (fetching) return { status: "loading", data, error: null };
  if (error) return { status: "error", data, error: apiErrorOf(error) };
  return data === null ? { status: "loading", data, error: null } : { status: "ok", data, error: null };
}

export function apiErrorOf(error: unknown): ApiError {
  return error instanceof ApiFailure ? error.apiError : { kind: "network", message: error instanceof Error ? error.message : String(error) };
}
