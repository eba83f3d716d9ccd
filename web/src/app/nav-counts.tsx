import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";

import { useAdminClient } from "../api/client-context";
import { useReconciliationClient } from "../api/reconciliation-context";
import { useRouter } from "../router/router";

interface NavCounts {
  awaitingRefunds: number;
  /** Open reconciliation exceptions (GET /api/reconciliation/summary). */
  openExceptions: number;
  refresh(): void;
}

const NavCountsContext = createContext<NavCounts | null>(null);

/** Refunds waiting for the merchant and open reconciliation exceptions, shown as badges in the navigation. */
export function NavCountsProvider({ children }: { children: ReactNode }) {
  const client = useAdminClient();
  const { location } = useRouter();
  const recon = useReconciliationClient();
  const [awaitingRefunds, setAwaitingRefunds] = useState(0);
  const [openExceptions, setOpenExceptions] = useState(0);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    void client.refunds("awaiting_merchant", 1, 1).then((result) => {
      if (current && result.ok) setAwaitingRefunds(result.value.total);
    });
    void recon.status().then((result) => {
      if (current && result.ok) setOpenExceptions(result.value.openTotal);
    });
    return () => {
      current = false;
    };
  }, [client, recon, location.pathname, generation]);

  const refresh = useCallback(() => setGeneration((value) => value + 1), []);
  const value = useMemo(() => ({ awaitingRefunds, openExceptions, refresh }), [awaitingRefunds, openExceptions, refresh]);
  return <NavCountsContext.Provider value={value}>{children}</NavCountsContext.Provider>;
}

export function useNavCounts(): NavCounts {
  const value = useContext(NavCountsContext);
  if (!value) throw new Error("useNavCounts needs a NavCountsProvider");
  return value;
}
