/**
 * Why a payment session was rejected, as a code the panel words in Spanish or English. The stored
 * reason is the English sentence the app also sends Shopify as the merchant message (poll-pending-cips,
 * cancel-order, start-payment-session, issue-cip); the merchant's panel should not show it as is.
 * "other" (PagoEfectivo's own refusal text, for one) keeps the sentence as the technical detail.
 */
export const REJECTION_CODES = [
  "cip_expired",
  "cip_unconfirmed",
  "buyer_abandoned",
  "order_cancelled",
  "not_a_sale",
  "currency_not_accepted",
  "credentials_missing",
  "other",
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

/** The app's own sentences (app/use-cases/**), by what they say. */
const BY_PATTERN: readonly [RegExp, RejectionCode][] = [
  [/^The CIP expired unpaid/, "cip_expired"],
  [/^No payment arrived for a CIP whose creation PagoEfectivo never confirmed/, "cip_unconfirmed"],
  [/^The buyer never completed the payment details/, "buyer_abandoned"],
  [/^The order was cancelled in Shopify/, "order_cancelled"],
  [/^PagoEfectivo only supports sales/, "not_a_sale"],
  [/^PagoEfectivo only accepts PEN and USD/, "currency_not_accepted"],
  [/^PagoEfectivo \w+ credentials are not configured/, "credentials_missing"],
];

export function rejectionCode(reason: string | null): RejectionCode | null {
  if (reason === null) return null;
  for (const [pattern, code] of BY_PATTERN) if (pattern.test(reason)) return code;
  return "other";
}
