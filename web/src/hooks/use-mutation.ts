import { useCallback, useRef, useState } from "react";

import type { ApiError, ApiResult } from "../api/admin-client";

export interface Mutation {
  busy: boolean;
  error: ApiError | null;
  clearError(): void;
  /** Runs one call at a time (a second click while busy is ignored) and keeps its error for a Banner. */
  run<T>(call: () => Promise<ApiResult<T>>): Promise<ApiResult<T> | null>;
}

export function useMutation(): Mutation {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const running = useRef(false);

  const run = useCallback(async <T,>(call: () => Promise<ApiResult<T>>) => {
    if (running.current) return null;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      const result = await call();
      if (!result.ok) setError(result.error);
      return result;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);

  const clearError = useCallback(() => setError(null), []);
  return { busy, error, clearError, run };
}
