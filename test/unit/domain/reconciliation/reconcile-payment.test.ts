import { describe, expect, it } from "vitest";

import { reconcilePayment } from "../../../../app/domain/reconciliation/reconcile-payment";
import { SUGGESTED_ACTIONS } from "../../../../app/domain/reconciliation/suggested-actions";
import { EXCEPTION_KINDS, type ExceptionKind, type PaymentRecord } from "../../../../app/domain/reconciliation/types";

const lima = (wall: string) => new Date(`${wall}-05:00`);
const NOW = lima("2025-07-20T12:00:00");

/** A healthy payment: paid by notification before expiry, order paid in Shopify. */
function payment(overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    sessionId: "sess_1",
    shopId: "shop_1",
    cip: "11546901",
    expectedAmountMinor: 15000,
    currency: "PEN",
    state: "resolved",
    cipExpiresAt: lima("2025-07-16T10:00:00"),
    paidAt: lima("2025-07-15T10:30:00"),
    paidAmountMinor: 15000,
    paidCurrency: "PEN",
    paidVia: "notification",
    paymentCount: 1,
    orderId: "gid://shopify/Order/1",
    orderFinancialStatus: "PAID",
    channel: "Agentes",
    ...overrides,
  };
}

const kinds = (record: PaymentRecord, now = NOW) => reconcilePayment(record, now).map((e) => e.kind).sort();

describe("reconcilePayment", () => {
  it.each<[string, Partial<PaymentRecord>, ExceptionKind[]]>([
    ["a healthy payment", {}, []],
    ["an unpaid pending session", { state: "pending", paidAt: null, paidAmountMinor: null, paidCurrency: null, paidVia: null, paymentCount: 0, orderFinancialStatus: "PENDING" }, []],
    ["an expired unpaid session", { state: "expired", paidAt: null, paidVia: null, paymentCount: 0, orderFinancialStatus: "VOIDED" }, []],
    ["paid, no order linked", { orderId: null, orderFinancialStatus: null }, ["paid_without_order"]],
    ["paid, order still pending in Shopify", { state: "paid", orderFinancialStatus: "PENDING" }, ["order_pending_but_paid"]],
    ["paid, order only partially paid", { state: "paid", orderFinancialStatus: "PARTIALLY_PAID" }, ["order_pending_but_paid"]],
    ["paid less than expected", { paidAmountMinor: 14000 }, ["amount_mismatch"]],
    ["paid more than expected", { paidAmountMinor: 15001 }, ["amount_mismatch"]],
    ["paid in the other currency (amount not compared)", { paidCurrency: "USD", paidAmountMinor: 4000 }, ["currency_mismatch"]],
    ["paid one second after expiry", { paidAt: lima("2025-07-16T10:00:01") }, ["paid_after_expiry"]],
    ["paid exactly at expiry is in time", { paidAt: lima("2025-07-16T10:00:00") }, []],
    ["paid on a session already rejected", { state: "rejected", orderFinancialStatus: "VOIDED" }, ["paid_after_expiry"]],
    ["paid on a cancelled session", { state: "cancelled" }, ["paid_after_expiry"]],
    ["paid while the order was voided", { orderFinancialStatus: "VOIDED" }, ["paid_after_expiry"]],
    ["paid twice", { paymentCount: 2 }, ["paid_twice"]],
    ["found by polling: the notification never came", { paidVia: "polling" }, ["notification_missing"]],
    [
      "several problems at once",
      { paidVia: "polling", paymentCount: 3, paidAmountMinor: 1, orderId: null, paidAt: lima("2025-07-17T00:00:00") },
      ["amount_mismatch", "notification_missing", "paid_after_expiry", "paid_twice", "paid_without_order"],
    ],
  ])("%s", (_what, overrides, expected) => {
    expect(kinds(payment(overrides))).toEqual(expected);
  });

  it("gives Shopify delivery a grace period before flagging the order", () => {
    const justPaid = payment({
      state: "paid",
      orderFinancialStatus: "PENDING",
      orderId: null,
      cipExpiresAt: lima("2025-07-21T00:00:00"),
      paidAt: lima("2025-07-20T11:30:00"),
    });
    expect(kinds(justPaid)).toEqual([]);
    expect(kinds(justPaid, lima("2025-07-20T12:30:00"))).toEqual(["paid_without_order"]);
    expect(reconcilePayment(justPaid, NOW, { orderGraceMs: 0 }).map((e) => e.kind)).toEqual(["paid_without_order"]);
  });

  it("does not call an order pending while the app itself has not accepted the payment", () => {
    // e.g. a wrong amount was flagged and not marked paid: the order is rightly still pending.
    expect(kinds(payment({ state: "pending", orderFinancialStatus: "PENDING", paidAmountMinor: 100 }))).toEqual(["amount_mismatch"]);
  });

  it("builds stable dedupe keys, evidence and bilingual actions", () => {
    const [first, again] = [reconcilePayment(payment({ paymentCount: 2 }), NOW), reconcilePayment(payment({ paymentCount: 2 }), lima("2025-09-01T00:00:00"))];
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      kind: "paid_twice",
      cip: "11546901",
      sessionId: "sess_1",
      dedupeKey: "paid_twice:11546901",
      evidence: { paymentCount: 2, expectedAmountMinor: 15000, currency: "PEN", paidAt: "2025-07-15T15:30:00.000Z" },
      suggestedAction: SUGGESTED_ACTIONS.paid_twice,
    });
    expect(again?.[0]?.dedupeKey).toBe(first[0]?.dedupeKey);
    expect(JSON.parse(JSON.stringify(first[0]?.evidence))).toEqual(first[0]?.evidence);
  });

  it("records the amount difference and why a late payment was late", () => {
    const [mismatch] = reconcilePayment(payment({ paidAmountMinor: 14000 }), NOW);
    expect(mismatch?.evidence).toMatchObject({ paidAmountMinor: 14000, differenceMinor: -1000 });
    const [late] = reconcilePayment(payment({ state: "rejected", orderFinancialStatus: "VOIDED" }), NOW);
    expect(late?.evidence).toMatchObject({ reason: "session_closed", orderFinancialStatus: "VOIDED" });
  });
});

describe("suggested actions", () => {
  it("exist in Spanish and English for every kind", () => {
    for (const kind of EXCEPTION_KINDS) {
      expect(SUGGESTED_ACTIONS[kind].es.length).toBeGreaterThan(20);
      expect(SUGGESTED_ACTIONS[kind].en.length).toBeGreaterThan(20);
    }
    expect(new Set(EXCEPTION_KINDS).size).toBe(12);
  });
});
