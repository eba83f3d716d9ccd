import { createContext, useContext } from "react";

import type { SessionInfo } from "../api/types";

export const SessionContext = createContext<SessionInfo | null>(null);

/** The signed-in shop and user; every page renders inside a loaded session. */
export function useSession(): SessionInfo {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession needs a loaded session");
  return session;
}
