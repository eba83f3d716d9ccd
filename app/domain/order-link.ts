/**
 * Which Shopify order a payment session paid, decided only from what Shopify documents. Shopify puts
 * no payment session id on an order (no documented note attribute, field or search term), so the link
 * rests on the order and its transactions as the Admin API documents them
 * (https://shopify.dev/docs/api/admin-graphql/2025-10/objects/OrderTransaction: gateway, amountSet, kind,
 * status, authorizationCode, createdAt, test; https://shopify.dev/docs/api/admin-graphql/latest/objects/Order:
 * email, createdAt, test) and on the same facts in the order webhooks' REST payload (gateway,
 * payment_gateway_names, total_price, currency, email, created_at, test). Pure: no I/O.
 *
 * Confidence, strongest first:
 * - exact: a transaction carries the session's id or gid as its authorization code (Shopify does not
 *   document that it does, so this only ever confirms, never guesses);
 * - high: our gateway, the same amount and currency, the same test flag, created inside the session's
 *   window, and the same customer e-mail, and no other order fits as well;
 * - medium: the same but without an e-mail to compare on one side;
 * - merchant: linked (or confirmed) by hand in the admin.
 * A different e-mail on both sides, another gateway, amount, currency or test flag rules an order out;
 * two orders that fit equally well link neither (the merchant picks).
 */

export const LINK_CONFIDENCES = ["exact", "high", "medium", "merchant"] as const;
export type LinkConfidence = (typeof LINK_CONFIDENCES)[number];
export type AutomaticConfidence = Exclude<LinkConfidence, "merchant">;

export interface SessionFacts {
  readonly id: string;
  readonly gid: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly test: boolean;
  readonly email: string | null;
  readonly createdAt: Date;
}

export interface TransactionFacts {
  readonly gateway: string | null;
  /** SALE, AUTHORIZATION, ... (REST: sale, authorization); refunds and voids never identify a payment. */
  readonly kind: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly authorizationCode: string | null;
}

export interface OrderFacts {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly test: boolean | null;
  readonly createdAt: Date;
  readonly gatewayNames: readonly string[];
  /** The order's transactions; a webhook payload has none, only the order total below. */
  readonly transactions: readonly TransactionFacts[];
  readonly totalMinor: number | null;
  readonly currency: string | null;
}

export interface MatchOptions {
  /** Gateway names count as ours when, lower-cased without punctuation, they contain this. */
  readonly gatewayKeyword: string;
  /** How long after the session its order may be created: the CIP's lifetime plus a margin. */
  readonly windowMs: number;
}

/** The order is created after the buyer comes back (pending) and at the latest when the CIP is paid. */
export const DEFAULT_MATCH_OPTIONS: MatchOptions = { gatewayKeyword: "pagoefectivo", windowMs: 73 * 3_600_000 };

/** A session may be created slightly after Shopify stamps the order: clocks differ (a guess at the margin). */
const CLOCK_SKEW_MS = 10 * 60_000;

export interface Match {
  readonly confidence: AutomaticConfidence;
  readonly evidence: readonly string[];
}

const RANK: Record<AutomaticConfidence, number> = { exact: 3, high: 2, medium: 1 };

function normalized(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function sameEmail(a: string | null, b: string | null): boolean | null {
  if (!a || !b) return null;
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

const PAYMENT_KINDS = new Set(["sale", "authorization"]);

/** How well one order fits one session, or null when a documented fact rules it out. */
export function matchOrder(session: SessionFacts, order: OrderFacts, options: MatchOptions = DEFAULT_MATCH_OPTIONS): Match | null {
  const ours = (name: string | null) => name !== null && normalized(name).includes(options.gatewayKeyword);
  const evidence: string[] = [];
  const payments = order.transactions.filter((t) => PAYMENT_KINDS.has(t.kind.toLowerCase()) && ours(t.gateway));

  const identified = payments.find((t) => t.authorizationCode !== null && (t.authorizationCode === session.id || t.authorizationCode === session.gid));
  if (identified && identified.amountMinor === session.amountMinor && identified.currency === session.currency) {
    return { confidence: "exact", evidence: ["transaction authorization code is the payment session id", "amount and currency"] };
  }

  if (order.transactions.length > 0) {
    if (payments.length === 0) return null;
    const amount = payments.find((t) => t.amountMinor === session.amountMinor && t.currency === session.currency);
    if (!amount) return null;
    evidence.push(`transaction gateway ${amount.gateway ?? ""}`, "transaction amount and currency");
  } else {
    if (!order.gatewayNames.some(ours)) return null;
    if (order.totalMinor !== session.amountMinor || order.currency !== session.currency) return null;
    evidence.push(`order gateway ${order.gatewayNames.join(", ")}`, "order total and currency");
  }

  if (order.test !== null && order.test !== session.test) return null;
  const after = order.createdAt.getTime() - session.createdAt.getTime();
  if (after < -CLOCK_SKEW_MS || after > options.windowMs) return null;
  evidence.push("created within the payment's lifetime");

  const email = sameEmail(session.email, order.email);
  if (email === false) return null;
  if (email === true) return { confidence: "high", evidence: [...evidence, "customer e-mail"] };
  return { confidence: "medium", evidence: [...evidence, "no customer e-mail to compare"] };
}

export type Choice<T> =
  | { readonly kind: "linked"; readonly item: T; readonly match: Match }
  | { readonly kind: "ambiguous"; readonly candidates: readonly T[] }
  | { readonly kind: "none" };

/** The one candidate that fits best, when no other fits as well. */
export function choose<T>(candidates: readonly T[], matchOf: (candidate: T) => Match | null): Choice<T> {
  const scored = candidates.flatMap((item) => {
    const match = matchOf(item);
    return match ? [{ item, match }] : [];
  });
  if (scored.length === 0) return { kind: "none" };
  const best = Math.max(...scored.map((s) => RANK[s.match.confidence]));
  const top = scored.filter((s) => RANK[s.match.confidence] === best);
  // A medium match is only trusted when nothing else fits at all.
  if (top.length === 1 && (best > RANK.medium || scored.length === 1)) {
    const [only] = top as [{ item: T; match: Match }];
    return { kind: "linked", item: only.item, match: only.match };
  }
  return { kind: "ambiguous", candidates: scored.map((s) => s.item) };
}

export function isLinkConfidence(value: unknown): value is LinkConfidence {
  return typeof value === "string" && (LINK_CONFIDENCES as readonly string[]).includes(value);
}
