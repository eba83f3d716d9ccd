import { describe, expect, it } from "vitest";

import { matchSettlementLines, type SettlementMatchContext, SettlementMatcher } from "../../../../app/domain/reconciliation/match-settlement-lines";
import { LedgerIndexBuilder } from "../../../../app/domain/reconciliation/settlement-ledger-index";
import {
  type PaymentRecord,
  type SettlementLineRecord,
  type SettlementLineStatus,
} from "../../../../app/domain/reconciliation/types";

const lima = (wall: string) => new Date(`${wall}-05:00`);
const NOW = lima("2025-07-20T12:00:00");

function payment(cip: string, overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    sessionId: `sess_${cip}`,
    shopId: "shop_1",
    cip,
    expectedAmountMinor: 15000,
    currency: "PEN",
    state: "resolved",
    cipExpiresAt: lima("2025-07-16T10:00:00"),
    paidAt: lima("2025-07-15T10:30:00"),
    paidAmountMinor: 15000,
    paidCurrency: "PEN",
    paidVia: "notification",
    paymentCount: 1,
    orderId: `order_${cip}`,
    orderFinancialStatus: "PAID",
    channel: "Agentes",
    ...overrides,
  };
}

let nextLine = 2;
function line(cip: string, overrides: Partial<SettlementLineRecord> = {}): SettlementLineRecord {
  return {
    cip,
    amountMinor: 15000,
    currency: "PEN",
    paymentDate: lima("2025-07-15T10:30:00"),
    channel: "Agentes",
    commissionMinor: null,
    netMinor: null,
    payoutDate: null,
    operationNumber: `op${cip}-${nextLine}`,
    lineNumber: nextLine++,
    importId: "imp_1",
    ...overrides,
  };
}

/** Expected payout: the instant given per CIP (default 18 July), like a calendar would. */
function context(overrides: Partial<SettlementMatchContext> = {}, payouts: Record<string, string> = {}): SettlementMatchContext {
  return {
    now: NOW,
    expectedPayoutDate: (p) => lima(`${payouts[p.cip] ?? "2025-07-18"}T00:00:00`),
    expectedCommission: () => null,
    commissionToleranceMinor: 1,
    ...overrides,
  };
}

/** Feeds an iterable that can be read only once, as a database cursor or file stream would be. */
function* once<T>(items: T[]): Generator<T> {
  yield* items;
}

function statusesOf(payments: PaymentRecord[], lines: SettlementLineRecord[], ctx = context()) {
  const statuses: [string, SettlementLineStatus][] = [];
  const result = matchSettlementLines(once(payments), once(lines), {
    ...ctx,
    onLineStatus: (l, status) => statuses.push([l.cip, status]),
  });
  return { result, statuses, kinds: result.exceptions.map((e) => `${e.kind}:${e.cip}`).sort() };
}

describe("matchSettlementLines", () => {
  it.each<[string, PaymentRecord[], SettlementLineRecord[], SettlementLineStatus[], string[]]>([
    ["a paid CIP with its line", [payment("100")], [line("100")], ["matched"], []],
    ["a line for a CIP the shop never issued", [payment("100")], [line("100"), line("999")], ["matched", "unknown"], ["settlement_unknown_cip:999"]],
    ["the same CIP twice for one payment", [payment("200")], [line("200"), line("200")], ["matched", "duplicate"], ["settlement_duplicate:200"]],
    ["a CIP paid twice, settled twice", [payment("300", { paymentCount: 2 })], [line("300"), line("300")], ["matched", "matched"], []],
    ["a different amount", [payment("400")], [line("400", { amountMinor: 14900 })], ["amount_mismatch"], ["settlement_amount_mismatch:400"]],
    ["a different currency", [payment("500")], [line("500", { currency: "USD" })], ["amount_mismatch"], ["settlement_amount_mismatch:500"]],
    [
      "compares with the amount actually paid when recorded",
      [payment("600", { paidAmountMinor: 14000 })],
      [line("600", { amountMinor: 14000 })],
      ["matched"],
      [],
    ],
    [
      "a settled CIP the ledger has as unpaid: the notification was lost",
      [payment("700", { state: "pending", paidAt: null, paidAmountMinor: null, paidCurrency: null, paidVia: null, paymentCount: 0, cipExpiresAt: lima("2025-07-30T00:00:00") })],
      [line("700")],
      ["matched"],
      ["notification_missing:700"],
    ],
    [
      "a settled CIP the ledger has as expired, paid after expiry",
      [payment("800", { state: "expired", paidAt: null, paidAmountMinor: null, paidCurrency: null, paidVia: null, paymentCount: 0 })],
      [line("800", { paymentDate: lima("2025-07-17T09:00:00") })],
      ["matched"],
      ["notification_missing:800", "paid_after_expiry:800"],
    ],
    ["a paid CIP with no line after its payout day", [payment("900")], [], [], ["missing_from_settlement:900"]],
    [
      "a CIP paid twice with only one line",
      [payment("910", { paymentCount: 2 })],
      [line("910")],
      ["matched"],
      ["missing_from_settlement:910"],
    ],
    ["an unpaid CIP is never missing", [payment("920", { state: "pending", paidAt: null, paidVia: null, paymentCount: 0 })], [], [], []],
  ])("%s", (_what, payments, lines, expectedStatuses, expectedKinds) => {
    const { statuses, kinds } = statusesOf(payments, lines);
    expect(statuses.map(([, status]) => status)).toEqual(expectedStatuses);
    expect(kinds).toEqual(expectedKinds);
  });

  it("counts every status, including missing payments", () => {
    const { result } = statusesOf(
      [payment("100"), payment("200"), payment("300"), payment("400")],
      [line("100"), line("200"), line("200"), line("300", { amountMinor: 1 }), line("999")],
    );
    expect(result.matched).toBe(2);
    expect(result.statusCounts).toEqual({ matched: 2, unknown: 1, amount_mismatch: 1, duplicate: 1, missing: 1 });
  });

  it("reports a missing payment only after its whole expected payout day has passed", () => {
    const payments = [payment("1"), payment("2"), payment("3")];
    const payouts = { "1": "2025-07-19", "2": "2025-07-20", "3": "2025-07-21" };
    const { kinds } = statusesOf(payments, [], context({}, payouts));
    // Now is 20 July 12:00 Lima: 19 July is over, 20 July is not.
    expect(kinds).toEqual(["missing_from_settlement:1"]);
    const later = statusesOf(payments, [], context({ now: lima("2025-07-21T00:00:00") }, payouts));
    expect(later.kinds).toEqual(["missing_from_settlement:1", "missing_from_settlement:2"]);
    const noGrace = statusesOf(payments, [], context({ missingGraceMs: 0 }, payouts));
    expect(noGrace.kinds).toEqual(["missing_from_settlement:1", "missing_from_settlement:2"]);
  });

  it("does not expect payments outside the settlement files' coverage or without a payout date", () => {
    const payments = [payment("1", { paidAt: lima("2025-06-30T23:59:59") }), payment("2"), payment("3")];
    const coverage = { from: lima("2025-07-01T00:00:00"), to: lima("2025-07-31T23:59:59") };
    const { kinds } = statusesOf(
      payments,
      [],
      context({ coverage, expectedPayoutDate: (p) => (p.cip === "3" ? null : lima("2025-07-18T00:00:00")) }),
    );
    expect(kinds).toEqual(["missing_from_settlement:2"]);
  });

  it("flags commissions outside the tolerance, on any line", () => {
    const ctx = context({
      expectedCommission: (l) => (l.cip === "777" ? null : 550),
      commissionToleranceMinor: 1,
    });
    const { kinds, result } = statusesOf(
      [payment("100"), payment("200"), payment("300"), payment("777")],
      [
        line("100", { commissionMinor: 551 }),
        line("200", { commissionMinor: 600 }),
        line("300", { commissionMinor: null }),
        line("777", { commissionMinor: 9999 }),
        line("999", { commissionMinor: 100 }),
      ],
      ctx,
    );
    expect(kinds).toEqual(["commission_mismatch:200", "commission_mismatch:999", "settlement_unknown_cip:999"]);
    const mismatch = result.exceptions.find((e) => e.kind === "commission_mismatch" && e.cip === "200");
    expect(mismatch?.evidence).toMatchObject({ reportedCommissionMinor: 600, expectedCommissionMinor: 550, differenceMinor: 50 });
    expect(mismatch?.sessionId).toBe("sess_200");
  });

  it("gives exceptions dedupe keys that survive a re-run and a re-import", () => {
    const run = () =>
      matchSettlementLines(
        [payment("100"), payment("200")],
        [
          line("200", { operationNumber: "A1", lineNumber: 2 }),
          line("200", { operationNumber: "A2", lineNumber: 3 }),
          line("999", { operationNumber: "Z9", lineNumber: 4 }),
          line("998", { operationNumber: null, lineNumber: 5, amountMinor: 1234 }),
        ],
        context(),
      ).exceptions.map((e) => e.dedupeKey);
    const first = run();
    expect(first).toEqual([
      "settlement_duplicate:200#2",
      "settlement_unknown_cip:op:999:Z9",
      "settlement_unknown_cip:dt:998:2025-07-15T15:30:00.000Z:PEN:1234",
      "missing_from_settlement:100",
    ]);
    expect(run()).toEqual(first);
  });

  it("puts where to find the line in the evidence", () => {
    const { result } = statusesOf([], [line("999", { lineNumber: 42, importId: "imp_9" })]);
    expect(result.exceptions[0]?.evidence).toMatchObject({ importId: "imp_9", lineNumber: 42, amountMinor: 15000, currency: "PEN" });
    expect(result.exceptions[0]?.sessionId).toBeUndefined();
  });

  it("handles a hundred thousand lines in one pass", () => {
    const n = 100_000;
    function* payments() {
      for (let i = 0; i < n; i += 1) yield payment(String(10_000_000 + i));
    }
    function* lines() {
      for (let i = 0; i < n; i += 1) yield line(String(10_000_000 + i), { lineNumber: i + 2 });
    }
    const result = matchSettlementLines(payments(), lines(), context());
    expect(result.matched).toBe(n);
    expect(result.exceptions).toEqual([]);
  });
});

describe("the ledger index built while the ledger streams", () => {
  it("matches exactly as the index built from the whole ledger, past its growth steps, first session per CIP winning", () => {
    const ledger: PaymentRecord[] = [];
    for (let i = 0; i < 2_500; i += 1) {
      const cip = String(5_000_000 + i);
      ledger.push(
        payment(cip, {
          paidAmountMinor: i % 7 === 0 ? 14_000 : 15_000,
          paidAt: i % 11 === 0 ? null : lima("2025-07-15T10:30:00"),
          paymentCount: i % 11 === 0 ? 0 : i % 13 === 0 ? 2 : 1,
          paidCurrency: i % 17 === 0 ? "USD" : "PEN",
        }),
      );
    }
    ledger.push(payment("5000003", { sessionId: "sess_second_holder", paidAmountMinor: 1 }));
    const lines = ledger.filter((_, i) => i % 5 !== 0).map((p) => line(p.cip, { paymentDate: lima("2025-07-15T10:30:00") }));
    lines.push(line("5000013"), line("999"));

    const whole = matchSettlementLines(ledger, lines, context());
    const builder = new LedgerIndexBuilder(context());
    for (const p of ledger) builder.add(p);
    const index = builder.build();
    expect(index.size).toBe(2_500);
    expect(index.sessionIdOf("5000003")).toBe("sess_5000003");
    const matcher = new SettlementMatcher(index, context());
    for (const l of lines) matcher.addLine(l);
    const streamed = matcher.finish();
    expect(streamed).toEqual(whole);
    expect(whole.statusCounts.missing).toBeGreaterThan(0);
    expect(whole.statusCounts.amount_mismatch).toBeGreaterThan(0);
    expect(whole.statusCounts.unknown).toBe(1);
  });
});
