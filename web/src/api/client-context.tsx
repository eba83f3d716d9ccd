import { createContext, type ReactNode, useContext } from "react";

import type { AdminClient } from "./admin-client";

const ClientContext = createContext<AdminClient | null>(null);

export function AdminClientProvider({ client, children }: { client: AdminClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useAdminClient(): AdminClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error("useAdminClient needs an AdminClientProvider");
  return client;
}
