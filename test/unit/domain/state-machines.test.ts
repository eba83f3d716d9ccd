import { describe, expect, it } from "vitest";

import {
  allowedShopifySourcesFor,
  allowedSourcesFor,
  PAYMENT_MOVE_NAMES,
  PAYMENT_STATES,
  type PaymentMove,
  type PaymentState,
  transition,
  writesFor,
} from "../../../app/domain/payment-session";
import { REFUND_MOVE_NAMES, REFUND_STATES, type RefundMove, type RefundState, refundTransition } from "../../../app/domain/refund-session";

/**
 * Every move from every state, written out by hand: a cell is the state the move ends in, or "-" when the
 * machine must refuse it. "=" means allowed, state unchanged. Adding a state or a move without a row here fails.
 */
const A = "awaiting_phone";
const P = "pending";
const PAYMENT_TABLE: Record<PaymentMove, Record<PaymentState, PaymentState | "-" | "=">> = {
  //                    awaiting_phone  pending        paid  expired rejected cancelled
  phone_given: { [A]: "=", [P]: "-", paid: "-", expired: "-", rejected: "-", cancelled: "-" },
  issuing_claimed: { [A]: "=", [P]: "=", paid: "-", expired: "-", rejected: "-", cancelled: "-" },
  issuing_released: { [A]: "=", [P]: "=", paid: "-", expired: "-", rejected: "-", cancelled: "-" },
  cip_issued: { [A]: P, [P]: P, paid: "-", expired: "-", rejected: "-", cancelled: "-" },
  cip_unconfirmed: { [A]: P, [P]: P, paid: "-", expired: "-", rejected: "-", cancelled: "-" },
  paid: { [A]: "paid", [P]: "paid", paid: "-", expired: "-", rejected: "-", cancelled: "-" },
  expired: { [A]: "-", [P]: "expired", paid: "-", expired: "-", rejected: "-", cancelled: "-" },
  abandoned: { [A]: "expired", [P]: "-", paid: "-", expired: "-", rejected: "-", cancelled: "-" },
  rejected: { [A]: "rejected", [P]: "rejected", paid: "-", expired: "-", rejected: "-", cancelled: "-" },
  cancelled: { [A]: "cancelled", [P]: "cancelled", paid: "-", expired: "-", rejected: "-", cancelled: "-" },
  shopify_pending: { [A]: "=", [P]: "=", paid: "=", expired: "=", rejected: "=", cancelled: "=" },
  shopify_resolved: { [A]: "=", [P]: "=", paid: "=", expired: "=", rejected: "=", cancelled: "=" },
  shopify_rejected: { [A]: "=", [P]: "=", paid: "=", expired: "=", rejected: "=", cancelled: "=" },
};

const cases = PAYMENT_MOVE_NAMES.flatMap((move) => PAYMENT_STATES.map((from) => ({ move, from, expected: PAYMENT_TABLE[move][from] })));

describe("payment session state machine", () => {
  it("has a row for every move and no row for a move it does not know", () => {
    expect(Object.keys(PAYMENT_TABLE).sort()).toEqual([...PAYMENT_MOVE_NAMES].sort());
  });

  it.each(cases.filter((c) => c.expected !== "-"))("allows $move from $from", ({ move, from, expected }) => {
    const result = transition(from, move);
    expect(result).toEqual({ ok: true, value: expected === "=" ? from : expected });
    expect(allowedSourcesFor(move)).toContain(from);
  });

  it.each(cases.filter((c) => c.expected === "-"))("refuses $move from $from", ({ move, from }) => {
    expect(transition(from, move)).toEqual({ ok: false, error: { from, move } });
    expect(allowedSourcesFor(move)).not.toContain(from);
  });

  it("writes the state a state-changing move ends in, and nothing for the others", () => {
    for (const move of PAYMENT_MOVE_NAMES) {
      const ends = new Set(Object.values(PAYMENT_TABLE[move]).filter((v) => v !== "-" && v !== "="));
      expect(writesFor(move).state, move).toBe(ends.size === 1 ? [...ends][0] : undefined);
    }
  });

  it("guards Shopify's view: a late pending answer never overwrites a final one; final answers always land", () => {
    expect(allowedShopifySourcesFor("shopify_pending")).toEqual([null, "pending"]);
    expect(allowedShopifySourcesFor("shopify_resolved")).toBeUndefined();
    expect(allowedShopifySourcesFor("shopify_rejected")).toBeUndefined();
    expect(writesFor("shopify_pending")).toEqual({ shopifyState: "pending" });
    expect(writesFor("shopify_resolved")).toEqual({ shopifyState: "resolved" });
    expect(writesFor("shopify_rejected")).toEqual({ shopifyState: "rejected" });
    for (const move of PAYMENT_MOVE_NAMES.filter((m) => !m.startsWith("shopify_"))) {
      expect(allowedShopifySourcesFor(move), move).toBeUndefined();
      expect(writesFor(move).shopifyState, move).toBeUndefined();
    }
  });
});

const REFUND_TABLE: Record<RefundMove, Record<RefundState, RefundState | "-">> = {
  recorded: { awaiting_merchant: "resolved", resolved: "-", rejected: "-" },
  refused: { awaiting_merchant: "rejected", resolved: "-", rejected: "-" },
};

describe("refund session state machine", () => {
  it("has a row for every move", () => {
    expect(Object.keys(REFUND_TABLE).sort()).toEqual([...REFUND_MOVE_NAMES].sort());
  });

  const refundCases = REFUND_MOVE_NAMES.flatMap((move) => REFUND_STATES.map((from) => ({ move, from, expected: REFUND_TABLE[move][from] })));
  it.each(refundCases)("$move from $from gives $expected", ({ move, from, expected }) => {
    const result = refundTransition(from, move);
    if (expected === "-") expect(result).toEqual({ ok: false, error: { from, move } });
    else expect(result).toEqual({ ok: true, value: expected });
  });
});
