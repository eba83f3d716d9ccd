import { err, ok, type Result } from "../lib/result";

/**
 * A Shopify refund session. PagoEfectivo has no refund API, so the merchant refunds by hand and
 * records it (resolved at Shopify) or refuses it with a reason (rejected at Shopify). Each refund is
 * decided once: both moves start only from `awaiting_merchant`, and the stores' guarded write takes
 * its allowed source states from this table.
 */
export const REFUND_STATES = ["awaiting_merchant", "resolved", "rejected"] as const;
export type RefundState = (typeof REFUND_STATES)[number];

export const REFUND_MOVES = {
  /** The merchant recorded how the money went back. */
  recorded: { from: ["awaiting_merchant"], to: "resolved" },
  /** The merchant refused the refund. */
  refused: { from: ["awaiting_merchant"], to: "rejected" },
} as const satisfies Record<string, { from: readonly RefundState[]; to: RefundState }>;

export type RefundMove = keyof typeof REFUND_MOVES;
export const REFUND_MOVE_NAMES = Object.keys(REFUND_MOVES) as RefundMove[];

export function allowedRefundSourcesFor(move: RefundMove): readonly RefundState[] {
  return REFUND_MOVES[move].from;
}

export function refundStateAfter(move: RefundMove): RefundState {
  return REFUND_MOVES[move].to;
}

export function refundTransition(from: RefundState, move: RefundMove): Result<RefundState, { from: RefundState; move: RefundMove }> {
  return allowedRefundSourcesFor(move).includes(from) ? ok(REFUND_MOVES[move].to) : err({ from, move });
}
