import { describe, expect, it } from "vitest";

import { FixedClock } from "../../../../app/lib/clock";
import type { PayoutTerms } from "../../../../app/ports/reconciliation";
import type { ReportSourceLine, UnsettledPayment } from "../../../../app/ports/settlement-report-sources";
import { SettlementReports } from "../../../../app/use-cases/settlement-reports/settlement-reports";

const lima = (wall: string) => new Date(`${wall}-05:00`);

function reports(now: string, lines: ReportSourceLine[], unsettled: UnsettledPayment[], settlementCurrencies: PayoutTerms["settlementCurrencies"] = { PEN: "PEN", USD: "USD" }) {
  return new SettlementReports({
    sources: {
      async *linePages(_shopId, filter) {
        yield lines.filter((l) => {
          const at = filter.basis === "payout" ? l.payoutDateMs : l.paymentDateMs;
          return at !== null && (!filter.from || at >= filter.from.getTime()) && (!filter.to || at <= filter.to.getTime());
        });
      },
      unsettledPayments: async () => unsettled,
    },
    terms: {
      payoutTerms: async () => ({ cycle: { daysByChannel: { Agente: 3 }, defaultDays: 1, cutoffHour: null }, extraClosedDays: [], settlementCurrencies }),
      feeSchedule: async () => [{ currency: "PEN", channel: "*", percentBps: 250, fixedMinor: 50, effectiveFrom: lima("2020-01-01T00:00:00") }],
    },
    clock: new FixedClock(lima(now)),
  });
}

describe("upcoming payouts", () => {
  it("dates unsettled payments with the payout cycle on the Peruvian calendar and adds the files' future payouts", async () => {
    const upcoming = await reports(
      "2025-07-24T09:00:00",
      [{ amountMinor: 5_000, currency: "USD", paymentDateMs: lima("2025-07-22T10:00:00").getTime(), payoutDateMs: lima("2025-07-25T00:00:00").getTime(), channel: "Agente", commissionMinor: 150, netMinor: 4_850 }],
      [
        // Thursday 24 July at an agent, T+3: Friday 25, (28 and 29 July are holidays) Wednesday 30, Thursday 31.
        { cip: "1", amountMinor: 10_000, currency: "PEN", paidAt: lima("2025-07-24T08:00:00"), channel: "Agente" },
        // Paid on the 1st, T+1 long gone: overdue, not upcoming.
        { cip: "2", amountMinor: 2_000, currency: "PEN", paidAt: lima("2025-07-01T08:00:00"), channel: "Bodega" },
        // USD: no fee entry for USD, so the commission is unknown.
        { cip: "3", amountMinor: 3_000, currency: "USD", paidAt: lima("2025-07-24T08:00:00"), channel: "Billetera" },
      ],
      { PEN: "PEN", USD: "PEN" },
    ).upcomingPayouts("shop", { days: 14 });
    expect(upcoming.from).toBe("2025-07-24");
    expect(upcoming.rows.map((r) => [r.date, r.source, r.currency, r.payoutCurrency, r.count, r.grossMinor, r.commissionMinor, r.netMinor, r.withoutCommission])).toEqual([
      ["2025-07-25", "expected", "USD", "PEN", 1, 3_000, 0, 3_000, 1],
      ["2025-07-25", "settlement_file", "USD", "PEN", 1, 5_000, 150, 4_850, 0],
      // 2.5 % of 100.00 + 0.50 = 3.00.
      ["2025-07-31", "expected", "PEN", "PEN", 1, 10_000, 300, 9_700, 0],
    ]);
    expect(upcoming.totals.PEN).toEqual({ count: 1, grossMinor: 10_000, commissionMinor: 300, netMinor: 9_700 });
    expect(upcoming.totals.USD.count).toBe(2);
    expect(upcoming.overdue.PEN).toEqual({ count: 1, grossMinor: 2_000 });
  });
});
