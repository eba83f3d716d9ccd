/**
 * Why a delivery to Shopify (or to PagoEfectivo) was given up, as a code the panel words in Spanish or
 * English: the outbox stores its last error as a technical line in English (app/jobs/delivery-handlers.ts,
 * app/jobs/outbox-job-outcome.ts), which the merchant should not have to read. The line stays available
 * as the technical detail.
 */
export const DEAD_LETTER_REASONS = [
  "shopify_unavailable",
  "shopify_throttled",
  "shopify_access_refused",
  "shopify_refused",
  "shopify_bad_answer",
  "app_uninstalled",
  "record_missing",
  "credentials_missing",
  "app_error",
  "other",
] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

/** The outbox's detail lines, by the error kinds they start with (PaymentsAppsError and the handlers' own). */
const BY_PATTERN: readonly [RegExp, DeadLetterReason][] = [
  [/\b(server_error|network|timeout|shop_inactive)\b/, "shopify_unavailable"],
  [/\bthrottled\b/, "shopify_throttled"],
  [/\bunauthorized\b/, "shopify_access_refused"],
  [/\b(user_errors|graphql_errors)\b/, "shopify_refused"],
  [/\binvalid_response\b/, "shopify_bad_answer"],
  [/shop no longer exists|has no offline token/, "app_uninstalled"],
  [/(payment|refund) session not found/, "record_missing"],
  [/credentials are gone/, "credentials_missing"],
  [/handler threw|invalid outcome|no handler registered/, "app_error"],
];

export function deadLetterReason(lastError: string | null): DeadLetterReason {
  if (lastError === null) return "other";
  for (const [pattern, reason] of BY_PATTERN) if (pattern.test(lastError)) return reason;
  return "other";
}
