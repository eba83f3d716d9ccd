import { matchPath } from "react-router";

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

/**
 * The route table: each page's path pattern, in react-router's syntax. The outlet (app/page-outlet.tsx) routes
 * with it, and the server names the same routes for its preloads (app/http/admin/route-preloads.ts).
 */
export const ROUTE_PATTERNS = {
  home: ADMIN_BASE,
  settings: paths.settings,
  payments: paths.payments,
  payment: `${ADMIN_BASE}/payments/:id`,
  refunds: paths.refunds,
  reconciliation: paths.reconciliation,
  settlements: paths.settlements,
  deadLetters: paths.deadLetters,
} as const satisfies Record<Exclude<Route["name"], "notFound">, string>;

export type PageName = keyof typeof ROUTE_PATTERNS;

export function matchRoute(pathname: string): Route {
  if (pathname.replace(/\/+$/, "") === "") return { name: "home" };
  for (const [name, pattern] of Object.entries(ROUTE_PATTERNS) as Array<[PageName, string]>) {
    const match = matchPath({ path: pattern, caseSensitive: true, end: true }, pathname);
    if (!match) continue;
    if (name === "payment") return match.params.id ? { name, id: safeDecode(match.params.id) } : { name: "notFound" };
    return { name };
  }
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
