/**
 * The `pendingExpiresAt` the app sends with paymentSessionPending. Shopify refuses a time in the past
 * (EXPIRED_PENDING_EXPIRES_AT) and one beyond its pending limit (OUT_OF_RANGE_PENDING_EXPIRES_AT)
 * (https://shopify.dev/docs/api/payments-apps/latest/enums/PaymentSessionPendingUserErrorCode); the
 * mutation page recommends "within 3 days", which the app takes as the limit. A pending delivery can be
 * retried late (the outbox backs off for hours when Shopify is down), so the time is recomputed at send
 * time from the CIP's expiry instead of being fixed when the job was queued.
 */

export const SHOPIFY_PENDING_LIMIT_MS = 3 * 24 * 60 * 60 * 1000;

/** Time Shopify needs to see the value as still in the future after the request travels. */
const SAFETY_MS = 60_000;

/** The CIP's expiry, capped to Shopify's range; null when it is (almost) past and pending makes no sense any more. */
export function pendingExpiresAtFor(cipExpiresAt: Date, now: Date): Date | null {
  if (cipExpiresAt.getTime() - now.getTime() <= SAFETY_MS) return null;
  const latest = now.getTime() + SHOPIFY_PENDING_LIMIT_MS - SAFETY_MS;
  return new Date(Math.min(cipExpiresAt.getTime(), latest));
}
