import { allowedShopifySourcesFor, allowedSourcesFor } from "../../domain/payment-session";
import type { PaymentChange } from "../../ports/payment-store";

/**
 * The compare-and-set `where` of a PaymentChange, from the domain machine: the move's source states and, when the move
 * guards it, Shopify's view (SQL's IN never matches NULL, so null is its own branch).
 */
export function guardedWhere(change: PaymentChange) {
  return { id: change.sessionId, state: { in: [...allowedSourcesFor(change.move)] }, ...shopifyStateGuard(allowedShopifySourcesFor(change.move)) };
}

function shopifyStateGuard(states: readonly (string | null)[] | undefined): { OR?: Array<{ shopifyState: null | { in: string[] } }> } {
  if (!states) return {};
  const named = states.filter((s): s is string => s !== null);
  return { OR: [...(states.includes(null) ? [{ shopifyState: null }] : []), ...(named.length > 0 ? [{ shopifyState: { in: named } }] : [])] };
}
