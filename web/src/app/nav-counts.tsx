import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef } from "react";

import { useAdminClient } from "../api/client-context";
import { valueOf } from "../api/query-client";
import { queryKeys } from "../api/query-keys";
import { useReconciliationClient } from "../api/reconciliation-context";
import { useRouter } from "../router/router";

interface NavCounts {
  awaitingRefunds: number;
  /** Open reconciliation exceptions (GET /api/reconciliation/summary). */
  openExceptions: number;
  refresh(): void;
}

const NavCountsContext = createContext<NavCounts | null>(null);

/**
 * Refunds waiting for the merchant and open reconciliation exceptions, shown as badges in the navigation.
 * Both are cached queries: a mutation that invalidates ["refunds"] or ["reconciliation"] updates them too,
 * and moving to another page refreshes them.
 */
export function NavCountsProvider({ children }: { children: ReactNode }) {
  const client = useAdminClient();
  const recon = useReconciliationClient();
  const queryClient = useQueryClient();
  const { location } = useRouter();
  const refunds = useQuery({ queryKey: queryKeys.refundList("awaiting_merchant", 1, 1), queryFn: () => valueOf(client.refunds("awaiting_merchant", 1, 1)) });
  const status = useQuery({ queryKey: queryKeys.reconciliationStatus, queryFn: () => valueOf(recon.status()) });

  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.refundList("awaiting_merchant", 1, 1) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.reconciliationStatus });
  }, [queryClient]);

  const firstPath = useRef(location.pathname);
  useEffect(() => {
    if (location.pathname !== firstPath.current) refresh();
    firstPath.current = "";
  }, [location.pathname, refresh]);

  const awaitingRefunds = refunds.data?.total ?? 0;
  const openExceptions = status.data?.openTotal ?? 0;
  const value = useMemo(() => ({ awaitingRefunds, openExceptions, refresh }), [awaitingRefunds, openExceptions, refresh]);
  return <NavCountsContext.Provider value={value}>{children}</NavCountsContext.Provider>;
}

export function useNavCounts(): NavCounts {
  const value = useContext(NavCountsContext);
  if (!value) throw new Error("useNavCounts needs a NavCountsProvider");
  return value;
}
