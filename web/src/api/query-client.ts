import { QueryClient } from "@tanstack/react-query";

import type { ApiError, ApiResult } from "./admin-client";

/** A failed call as TanStack Query sees it: thrown, so its retry policy can look at the panel's error. */
export class ApiFailure extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.message || ("code" in apiError ? apiError.code : apiError.kind));
  }
}

/** The value of a call, or its error thrown as an ApiFailure (a query function's contract). */
export async function valueOf<T>(call: Promise<ApiResult<T>>): Promise<T> {
  const result = await call;
  if (!result.ok) throw new ApiFailure(result.error);
  return result.value;
}

/** Retries after the first failure, for the errors worth trying again. */
export const MAX_RETRIES = 2;

/**
 * Worth trying again: the network failed, or the server did (5xx, such as 503 database_unavailable while the
 * database is away). Never a 4xx (the request itself is wrong or the session ended), nor an answer that broke
 * the wire contract (asking again gets the same answer).
 */
export function isRetryable(error: ApiError): boolean {
  if (error.kind === "network") return true;
  if (error.kind === "unauthenticated") return false;
  return error.status >= 500 && error.code !== "bad_response";
}

export function shouldRetry(failureCount: number, error: unknown): boolean {
  return failureCount < MAX_RETRIES && error instanceof ApiFailure && isRetryable(error.apiError);
}

/** 0.5 s, then 1 s, then 2 s: short, the panel shows a loading bar meanwhile. */
export const retryDelay = (attempt: number) => Math.min(500 * 2 ** attempt, 4_000);

/**
 * The panel's one query cache. Data is always refreshed when a page mounts (staleTime 0) but what is cached
 * shows at once; the window regaining focus does not refetch (pages refresh after their own mutations).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, retryDelay, staleTime: 0, gcTime: 5 * 60_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
