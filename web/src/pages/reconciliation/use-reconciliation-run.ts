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
 * "Ejecutar conciliación ahora": queues a run, then follows it (the run's own status, or the status
 * summary's last run when the API has no per-run endpoint) until it is done or failed.
 */
export function useReconciliationRun(onFinished: (run: ReconciliationRun) => void): RunNow {
  const client = useReconciliationClient();
  const [active, setActive] = useState<ReconciliationRun | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  const start = useCallback(() => {
    if (active) return;
    setError(null);
    void client.runNow().then((result) => {
      if (!result.ok) setError(result.error);
      else if (result.value.status === "done" || result.value.status === "failed") finished.current(result.value);
      else setActive(result.value);
    });
  }, [active, client]);

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const startedAt = Date.now();
    const tick = async () => {
      if (stopped) return;
      let run: ReconciliationRun | null = null;
      const direct = await client.run(active.id);
      if (direct.ok) {
        run = direct.value;
      } else {
        const status = await client.status();
        if (status.ok && status.value.lastRun?.id === active.id) run = status.value.lastRun;
        else if (status.ok && !status.value.activeRun) run = { ...active, status: "done" };
      }
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
