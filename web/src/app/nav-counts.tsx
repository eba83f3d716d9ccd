import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";

import { useAdminClient } from "../api/client-context";
import { useRouter } from "../router/router";

interface NavCounts {
  awaitingRefunds: number;
  refresh(): void;
}

const NavCountsContext = createContext<NavCounts | null>(null);

/** The number of refunds waiting for the merchant, shown as a badge in the navigation. */
export function NavCountsProvider({ children }: { children: ReactNode }) {
  const client = useAdminClient();
  const { location } = useRouter();
  const [awaitingRefunds, setAwaitingRefunds] = useState(0);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    void client.refunds("awaiting_merchant", 1, 1).then((result) => {
      if (current && result.ok) setAwaitingRefunds(result.value.total);
    });
    return () => {
      current = false;
    };
  }, [client, location.pathname, generation]);

  const refresh = useCallback(() => setGeneration((value) => value + 1), []);
  const value = useMemo(() => ({ awaitingRefunds, refresh }), [awaitingRefunds, refresh]);
  return <NavCountsContext.Provider value={value}>{children}</NavCountsContext.Provider>;
}

export function useNavCounts(): NavCounts {
  const value = useContext(NavCountsContext);
  if (!value) throw new Error("useNavCounts needs a NavCountsProvider");
  return value;
}
