/** The panel's pages and their paths under /admin. */

export const ADMIN_BASE = "/admin";

export type Route =
  | { name: "home" }
  | { name: "settings" }
  | { name: "payments" }
  | { name: "payment"; id: string }
  | { name: "refunds" }
  | { name: "reconciliation" }
  | { name: "settlements" }
  | { name: "deadLetters" }
  | { name: "notFound" };

export const paths = {
  home: ADMIN_BASE,
  settings: `${ADMIN_BASE}/settings`,
  payments: `${ADMIN_BASE}/payments`,
  payment: (id: string) => `${ADMIN_BASE}/payments/${encodeURIComponent(id)}`,
  refunds: `${ADMIN_BASE}/refunds`,
  reconciliation: `${ADMIN_BASE}/reconciliation`,
  settlements: `${ADMIN_BASE}/settlements`,
  deadLetters: `${ADMIN_BASE}/dead-letters`,
} as const;

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === ADMIN_BASE || path === "/") return { name: "home" };
  if (path === paths.settings) return { name: "settings" };
  if (path === paths.payments) return { name: "payments" };
  if (path === paths.refunds) return { name: "refunds" };
  if (path === paths.reconciliation) return { name: "reconciliation" };
  if (path === paths.settlements) return { name: "settlements" };
  if (path === paths.deadLetters) return { name: "deadLetters" };
  const payment = /^\/admin\/payments\/([^/]+)$/.exec(path);
  if (payment?.[1]) return { name: "payment", id: safeDecode(payment[1]) };
  return { name: "notFound" };
}

/** Whether a link target is a page of this SPA (handled without a full page load). */
export function isPanelPath(pathname: string): boolean {
  return pathname === ADMIN_BASE || pathname.startsWith(`${ADMIN_BASE}/`);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
