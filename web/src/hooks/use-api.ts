import { useCallback, useEffect, useRef, useState } from "react";

import type { ApiError, ApiResult } from "../api/admin-client";

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

/**
 * Loads one API resource whenever `key` changes. Answers that arrive after a newer request started are
 * dropped, so quick filter changes never show an older list.
 */
export function useApi<T>(load: () => Promise<ApiResult<T>>, key: string): ApiResource<T> {
  const [state, setState] = useState<Loaded<T>>({ status: "loading", data: null, error: null });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const request = ++latest.current;
    setState((previous) => ({ status: "loading", data: previous.data, error: null }));
    void loadRef.current().then((result) => {
      if (request !== latest.current) return;
      setState((previous) =>
        result.ok ? { status: "ok", data: result.value, error: null } : { status: "error", data: previous.data, error: result.error },
      );
    });
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const setData = useCallback((data: T) => {
    latest.current += 1;
    setState({ status: "ok", data, error: null });
  }, []);
  return { state, reload, setData };
}
