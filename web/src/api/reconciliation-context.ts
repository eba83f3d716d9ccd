import { useMemo } from "react";

import { useAdminClient } from "./client-context";
import { ReconciliationClient } from "./reconciliation-client";

/** The reconciliation/settlement calls, over the panel's one AdminClient (same session, CSRF and 401 handling). */
export function useReconciliationClient(): ReconciliationClient {
  const admin = useAdminClient();
  return useMemo(() => new ReconciliationClient(admin), [admin]);
}
