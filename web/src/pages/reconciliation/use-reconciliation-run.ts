import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";

import type { ApiError } from "../../api/admin-client";
import { valueOf } from "../../api/query-client";
import { queryKeys } from "../../api/query-keys";
import { useReconciliationClient } from "../../api/reconciliation-context";
import type { ReconciliationRun } from "../../api/reconciliation-types";

const POLL_MS = 1000;
const GIVE_UP_MS = 5 * 60 * 1000;

export interface RunNow {
  /** A run started from here and not finished yet. */
  active: ReconciliationRun | null;
  error: ApiError | null;
  start(): void;
  clearError(): void;
}

/**
 * "Ejecutar conciliación ahora": queues a run (or gets the one already queued: the server answers one
 * run per shop at a time), then follows it until it is done or failed. A click while one is followed,
 * or while the request is in flight, does nothing.
 */
export function useReconciliationRun(onFinished: (run: ReconciliationRun) => void): RunNow {
  const client = useReconciliationClient();
  const [active, setActive] = useState<ReconciliationRun | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;
  const requesting = useRef(false);

  const start = useCallback(() => {
    if (active || requesting.current) return;
    requesting.current = true;
    setError(null);
    void client.runNow().then((result) => {
      requesting.current = false;
      if (!result.ok) setError(result.error);
      else if (isOver(result.value.run)) finished.current(result.value.run);
      else setActive(result.value.run);
    });
  }, [active, client]);

  // Follows the run: its query polls every POLL_MS until it is done or failed, or GIVE_UP_MS have passed.
  const followed = useQuery({
    queryKey: queryKeys.run(active?.id ?? ""),
    queryFn: () => valueOf(client.run(active?.id ?? "")),
    enabled: active !== null,
    refetchInterval: (query) => (query.state.data && isOver(query.state.data) ? false : POLL_MS),
    refetchIntervalInBackground: true,
    retry: false,
  });
  const run = active ? followed.data : undefined;
  useEffect(() => {
    if (!run || !isOver(run)) return;
    setActive(null);
    finished.current(run);
  }, [run]);
  useEffect(() => {
    if (!active) return;
    const giveUp = window.setTimeout(() => setActive(null), GIVE_UP_MS);
    return () => window.clearTimeout(giveUp);
  }, [active]);

  return { active, error, start, clearError: () => setError(null) };
}

function isOver(run: ReconciliationRun): boolean {
  return run.status === "done" || run.status === "failed";
}
