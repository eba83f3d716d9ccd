import { useCallback, useEffect, useRef, useState } from "react";

import type { ApiError } from "../../api/admin-client";
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
      else if (result.value.run.status === "done" || result.value.run.status === "failed") finished.current(result.value.run);
      else setActive(result.value.run);
    });
  }, [active, client]);

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const startedAt = Date.now();
    const tick = async () => {
      if (stopped) return;
      const direct = await client.run(active.id);
      const run: ReconciliationRun | null = direct.ok ? direct.value : null;
      if (stopped) return;
      if (run && (run.status === "done" || run.status === "failed")) {
        setActive(null);
        finished.current(run);
      } else if (Date.now() - startedAt > GIVE_UP_MS) {
        setActive(null);
      } else {
        timer = window.setTimeout(() => void tick(), POLL_MS);
      }
    };
    let timer = window.setTimeout(() => void tick(), POLL_MS / 2);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [active, client]);

  return { active, error, start, clearError: () => setError(null) };
}
