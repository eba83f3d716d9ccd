import { err, ok, type Result } from "../lib/result";

/**
 * The life of a PagoEfectivo payment session, independent of storage and vendors. This table is the
 * only place that says which moves are allowed: use cases name a move, and the stores' guarded
 * writes take the allowed source states (and the state written) from here.
 *
 *   awaiting_phone ──phone given──▶ issuing* ──CIP created──▶ pending ──paid──▶ paid
 *         │  ├──────────── paid (a CIP whose creation answer was lost) ──────────▲
 *         │  └─abandoned (no phone)──▶ expired ◀──expired── pending
 *         └──────────────── rejected / cancelled ◀──────────┘
 *
 * (*) "issuing" is not stored: it is `awaiting_phone`/`pending` without a CIP while a lease is held.
 * `paid`, `expired`, `rejected` and `cancelled` are final for the Shopify session; a payment that
 * arrives for a final session becomes a reconciliation exception, never a second resolution.
 * A payment may also arrive for a session still `awaiting_phone`: the CIP was created at PagoEfectivo
 * but the app stopped before it stored the answer (see IssueCip), so `paid` is allowed from there too.
 *
 * Shopify's view of the session (`shopifyState`: null until the first answer, then pending, resolved
 * or rejected) is a second, smaller machine: resolve and reject are final there, and a late
 * "pending" answer may never overwrite them (several instances deliver at once).
 */
export const PAYMENT_STATES = ["awaiting_phone", "pending", "paid", "expired", "rejected", "cancelled"] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export const SHOPIFY_SESSION_STATES = ["pending", "resolved", "rejected"] as const;
export type ShopifySessionState = (typeof SHOPIFY_SESSION_STATES)[number];

interface MoveRule {
  /** The session's states this move may start from. */
  readonly from: readonly PaymentState[];
  /** The state it ends in; null: the move records something without changing the state. */
  readonly to: PaymentState | null;
  /** When set, Shopify's view must also be one of these (null: nothing delivered yet). */
  readonly shopifyFrom?: readonly (ShopifySessionState | null)[];
  /** When set, the Shopify view the move writes. */
  readonly shopifyTo?: ShopifySessionState;
}

const OPEN: readonly PaymentState[] = ["awaiting_phone", "pending"];

export const PAYMENT_MOVES = {
  /** The buyer gave the phone PagoEfectivo requires. */
  phone_given: { from: ["awaiting_phone"], to: null },
  /** The CIP-issuing lease is taken (one creation at a time) or given back after a transient failure. */
  issuing_claimed: { from: OPEN, to: null },
  issuing_released: { from: OPEN, to: null },
  /** PagoEfectivo created the CIP. */
  cip_issued: { from: OPEN, to: "pending" },
  /** The creation's answer was lost: the session waits as if the CIP existed, and never asks for a second. */
  cip_unconfirmed: { from: OPEN, to: "pending" },
  paid: { from: OPEN, to: "paid" },
  /** The CIP (or the unconfirmed creation's asked-for lifetime) ended unpaid. */
  expired: { from: ["pending"], to: "expired" },
  /** The buyer never gave a phone, so no CIP was ever made. */
  abandoned: { from: ["awaiting_phone"], to: "expired" },
  /** The app cannot serve the session (no credentials, amount over the limit, refused by PagoEfectivo). */
  rejected: { from: OPEN, to: "rejected" },
  /** The order was cancelled in Shopify before it was paid. */
  cancelled: { from: OPEN, to: "cancelled" },
  /** Shopify's answers to the delivered mutations; they do not change the app's own state. */
  shopify_pending: { from: PAYMENT_STATES, to: null, shopifyFrom: [null, "pending"], shopifyTo: "pending" },
  shopify_resolved: { from: PAYMENT_STATES, to: null, shopifyTo: "resolved" },
  shopify_rejected: { from: PAYMENT_STATES, to: null, shopifyTo: "rejected" },
} as const satisfies Record<string, MoveRule>;

export type PaymentMove = keyof typeof PAYMENT_MOVES;
export const PAYMENT_MOVE_NAMES = Object.keys(PAYMENT_MOVES) as PaymentMove[];

export interface InvalidTransition {
  readonly from: PaymentState;
  readonly move: PaymentMove;
}

export function isPaymentState(value: string): value is PaymentState {
  return (PAYMENT_STATES as readonly string[]).includes(value);
}

export function isFinal(state: PaymentState): boolean {
  return !OPEN.includes(state);
}

/** The states a move may start from: what a store's compare-and-set write must find. */
export function allowedSourcesFor(move: PaymentMove): readonly PaymentState[] {
  return PAYMENT_MOVES[move].from;
}

/** Shopify's views a move may start from, or undefined when the move does not care. */
export function allowedShopifySourcesFor(move: PaymentMove): readonly (ShopifySessionState | null)[] | undefined {
  const rule: MoveRule = PAYMENT_MOVES[move];
  return rule.shopifyFrom;
}

export function canMove(from: PaymentState, move: PaymentMove): boolean {
  return allowedSourcesFor(move).includes(from);
}

/** The state after `move` from `from`, or why it is refused. */
export function transition(from: PaymentState, move: PaymentMove): Result<PaymentState, InvalidTransition> {
  if (!canMove(from, move)) return err({ from, move });
  return ok(PAYMENT_MOVES[move].to ?? from);
}

/** What a store writes for a move besides the caller's fields: the new state and Shopify view, when they change. */
export function writesFor(move: PaymentMove): { state?: PaymentState; shopifyState?: ShopifySessionState } {
  const rule: MoveRule = PAYMENT_MOVES[move];
  return { ...(rule.to ? { state: rule.to } : {}), ...(rule.shopifyTo ? { shopifyState: rule.shopifyTo } : {}) };
}

/** Never more than 72 h: Shopify recommends pending sessions end within 3 days. */
export const MAX_CIP_LIFETIME_HOURS = 72;
export const DEFAULT_CIP_LIFETIME_HOURS = 48;

export function cipExpiry(now: Date, lifetimeHours: number): Date {
  const hours = Math.min(Math.max(Math.trunc(lifetimeHours), 1), MAX_CIP_LIFETIME_HOURS);
  // PagoEfectivo dates have second precision.
  return new Date(Math.floor((now.getTime() + hours * 3_600_000) / 1000) * 1000);
}
