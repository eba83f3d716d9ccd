import { describe, expect, it } from "vitest";

import { limaEpochDay } from "../../../../app/domain/lima-time";
import { buildSettlementReport, type ReportLine, SettlementReportBuilder } from "../../../../app/domain/settlement/settlement-report";

/** Groups summed by the database must give exactly the report that adding every line gives. */
describe("SettlementReportBuilder.addGroup", () => {
  const lines: ReportLine[] = [
    { amountMinor: 10000, currency: "PEN", paymentDate: new Date("2026-11-02T04:59:00Z"), payoutDate: null, channel: "Agencia", commissionMinor: 350, netMinor: null },
    { amountMinor: 20000, currency: "PEN", paymentDate: new Date("2026-11-02T05:00:00Z"), payoutDate: null, channel: "agencía ", commissionMinor: null, netMinor: null },
    { amountMinor: 5000, currency: "USD", paymentDate: new Date("2026-11-20T12:00:00Z"), payoutDate: null, channel: null, commissionMinor: 100, netMinor: 4800 },
    { amountMinor: 700, currency: "PEN", paymentDate: null, payoutDate: null, channel: "Billetera", commissionMinor: 10, netMinor: null },
  ];

  for (const granularity of ["day", "week", "month"] as const) {
    it(`matches line by line (${granularity})`, () => {
      const expected = buildSettlementReport(lines, { granularity });
      const builder = new SettlementReportBuilder({ granularity });
      // What the grouped query returns: one group per (Lima day, channel as spelled, currency), in first-line order.
      for (const line of lines) {
        const commission = line.commissionMinor ?? null;
        builder.addGroup({
          limaDay: line.paymentDate ? limaEpochDay(line.paymentDate) : null,
          channel: line.channel ?? null,
          currency: line.currency,
          count: 1,
          grossMinor: line.amountMinor,
          commissionMinor: commission ?? 0,
          netMinor: line.netMinor ?? line.amountMinor - (commission ?? 0),
          linesWithoutCommission: commission === null ? 1 : 0,
        });
      }
      expect(builder.build()).toEqual(expected);
    });
  }
});
