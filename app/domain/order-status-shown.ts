/** Order statuses that say a payment is still due (Shopify's OrderDisplayFinancialStatus, any case). */
const AWAITING_PAYMENT = new Set(["pending", "authorized"]);

/**
 * The linked order's financial status as the merchant is shown it, everywhere the app shows one
 * (payment detail, order linked by hand, reconciliation exceptions and their CSV), from the status
 * last heard from Shopify (orders/* webhooks, order look-ups) and the session's state at Shopify.
 *
 * A "pending" (or "authorized") heard while the session was pending is stale once Shopify has the
 * session's rejection: Shopify documents that a pending payment "must be finalized into either a
 * successful or failed state" and that a rejection makes the payment state final (shopify.dev,
 * payments-apps paymentSessionPending; apps/build/payments/processing), so no payment is pending on
 * that order any more. Which status Shopify then gives the order is not documented (the simulator
 * voids and cancels it: a guess, app/sandbox/shopify/orders.ts), so the merchant is told "no_payment"
 * (app-made, not a Shopify value) rather than a stale "pending", until Shopify reports the real one.
 * Values come back in lower case, as order webhooks spell them; "unknown" when none was heard.
 */
export function orderStatusShown(stored: string | null, shopifyState: string | null): string {
  if (stored === null) return "unknown";
  const status = stored.toLowerCase();
  if (shopifyState === "rejected" && AWAITING_PAYMENT.has(status)) return "no_payment";
  return status;
}
