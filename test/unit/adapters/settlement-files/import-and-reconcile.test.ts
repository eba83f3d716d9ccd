import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { readSettlementCsv } from "../../../../app/adapters/settlement-files/csv-settlement-reader";
import { SettlementMatcher } from "../../../../app/domain/reconciliation/match-settlement-lines";
import { type PaymentRecord, type SettlementLineStatus } from "../../../../app/domain/reconciliation/types";
import { settlementColumnMappingSchema } from "../../../../app/domain/settlement/column-mapping";
import { expectedCommission, type FeeSchedule } from "../../../../app/domain/settlement/fee-schedule";
import { expectedPayoutDate, type PayoutCycle } from "../../../../app/domain/settlement/payout-calendar";

const fixture = fileURLToPath(new URL("../../../fixtures/settlement/portal-export-semicolon.csv", import.meta.url));
const lima = (wall: string) => new Date(`${wall}-05:00`);

// Invented contract terms for the test (PagoEfectivo publishes none).
const schedule: FeeSchedule = [
  { currency: "PEN", channel: "*", percentBps: 250, fixedMinor: 50, effectiveFrom: lima("2025-01-01T00:00:00") },
  { currency: "PEN", channel: "Agentes", percentBps: 300, fixedMinor: 100, effectiveFrom: lima("2025-01-01T00:00:00") },
  { currency: "USD", channel: "*", percentBps: 250, fixedMinor: 20, effectiveFrom: lima("2025-01-01T00:00:00") },
];
const cycle: PayoutCycle = { daysByChannel: { Agentes: 3, "Banca por Internet": 1 }, defaultDays: 2, cutoffHour: 17 };

function paid(cip: string, amountMinor: number, paidAt: string, channel: string, overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    sessionId: `sess_${cip}`,
    shopId: "shop_1",
    cip,
    expectedAmountMinor: amountMinor,
    currency: "PEN",
    state: "resolved",
    cipExpiresAt: lima("2025-08-31T00:00:00"),
    paidAt: lima(paidAt),
    paidAmountMinor: amountMinor,
    paidCurrency: "PEN",
    paidVia: "notification",
    paymentCount: 1,
    orderId: `order_${cip}`,
    orderFinancialStatus: "PAID",
    channel,
    ...overrides,
  };
}

describe("importing the portal export and reconciling it", () => {
  it("matches the file line by line against the ledger while it streams", async () => {
    const ledger: PaymentRecord[] = [
      paid("11546901", 15000, "2025-07-15T10:30:00", "Agentes"),
      paid("11546902", 123450, "2025-07-15T18:05:00", "Banca por Internet"),
      paid("11546903", 2000, "2025-07-16T09:00:00", "Banca por Internet", { currency: "USD", paidCurrency: "USD" }),
      // The ledger says S/ 85.00; the file says S/ 80.00.
      paid("11546904", 8500, "2025-07-16T00:00:00", "Agentes"),
      // Paid on Monday 14 July at an agent: due Thursday 17 July, absent from the file.
      paid("11546999", 5000, "2025-07-14T11:00:00", "Agentes"),
    ];
    const statuses: [number, SettlementLineStatus][] = [];
    const matcher = new SettlementMatcher(ledger, {
      now: lima("2025-07-20T12:00:00"),
      expectedPayoutDate: (p) => (p.paidAt ? expectedPayoutDate(p.paidAt, p.channel, cycle) : null),
      expectedCommission: (line) => expectedCommission(schedule, line),
      commissionToleranceMinor: 1,
      onLineStatus: (line, status) => statuses.push([line.lineNumber, status]),
    });
    const mapping = settlementColumnMappingSchema.parse({
      columns: {
        cip: "Código CIP",
        amount: "Monto",
        currency: "Moneda",
        paymentDate: "Fecha de pago",
        channel: "Canal",
        commission: "Comisión",
        net: "Neto",
        payoutDate: "Fecha de abono",
        operationNumber: "Nro. operación",
      },
    });
    for await (const row of readSettlementCsv(createReadStream(fixture), mapping)) {
      if (!row.ok) throw new Error(row.reason);
      matcher.addLine({ ...row.line, importId: "imp_1" });
    }
    const result = matcher.finish();

    expect(statuses).toEqual([
      [2, "matched"],
      [3, "matched"],
      [4, "matched"],
      [5, "amount_mismatch"],
      [7, "unknown"],
    ]);
    // Every commission in the fixture follows the schedule (S/ 150.00 at an agent: 4.50 + 1.00 = 5.50;
    // S/ 99.90: 2.997 + 1.00 rounds to 4.00), so none is flagged.
    expect(result.exceptions.map((e) => [e.kind, e.cip, e.evidence["lineNumber"] ?? null])).toEqual([
      ["settlement_amount_mismatch", "11546904", 5],
      ["settlement_unknown_cip", "11546905", 7],
      ["missing_from_settlement", "11546999", null],
    ]);
    expect(result.statusCounts).toEqual({ matched: 3, unknown: 1, amount_mismatch: 1, duplicate: 0, missing: 1 });
    expect(result.exceptions[2]?.evidence["expectedPayoutDate"]).toBe("2025-07-17T05:00:00.000Z");
    expect(() => matcher.finish()).toThrow();
  });

  it("flags a commission that breaks the schedule", async () => {
    const strict: FeeSchedule = [{ currency: "PEN", channel: "*", percentBps: 200, fixedMinor: 0, effectiveFrom: lima("2025-01-01T00:00:00") }];
    const matcher = new SettlementMatcher([], {
      now: lima("2025-07-20T12:00:00"),
      expectedPayoutDate: () => null,
      expectedCommission: (line) => expectedCommission(strict, line),
      commissionToleranceMinor: 0,
    });
    const mapping = settlementColumnMappingSchema.parse({
      columns: { cip: "Código CIP", amount: "Monto", currency: "Moneda", paymentDate: "Fecha de pago", channel: "Canal", commission: "Comisión" },
    });
    for await (const row of readSettlementCsv(createReadStream(fixture), mapping)) {
      if (row.ok) matcher.addLine({ ...row.line, importId: "imp_1" });
    }
    const commissions = matcher.finish().exceptions.filter((e) => e.kind === "commission_mismatch");
    // 2 % of 150.00 is 3.00 against 5.50 reported.
    expect(commissions[0]?.evidence).toMatchObject({ lineNumber: 2, reportedCommissionMinor: 550, expectedCommissionMinor: 300, differenceMinor: 250 });
    expect(commissions).toHaveLength(4);
  });
});
