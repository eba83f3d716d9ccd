import { describe, expect, it } from "vitest";

import { FixedClock } from "../../../../app/lib/clock";
import type { SamplePayment } from "../../../../app/ports/settlement-report-sources";
import { DEFAULT_PAYOUT_TERMS } from "../../../../app/use-cases/run-reconciliation/settlement-expectations";
import { BuildSampleSettlementFile } from "../../../../app/use-cases/sample-settlement-file/sample-settlement-file";

const lima = (wall: string) => new Date(`${wall}-05:00`);

describe("the sample settlement file", () => {
  it("lists each payment the emulator recorded, with its channel, and plants one anomaly of each kind", async () => {
    const payments: SamplePayment[] = [
      { cip: "100", amountMinor: 15_000, currency: "PEN", paidAt: lima("2025-07-01T10:00:00"), operationNumber: "9001", channel: null },
      { cip: "101", amountMinor: 8_050, currency: "PEN", paidAt: lima("2025-07-01T11:00:00"), operationNumber: "9002", channel: null },
      { cip: "102", amountMinor: 2_000, currency: "USD", paidAt: lima("2025-07-01T12:00:00"), operationNumber: "9003", channel: null },
    ];
    const sample = await new BuildSampleSettlementFile({
      payments: async () => payments,
      emulatorPayments: async () =>
        new Map([
          ["100", [{ operationNumber: "9001", paidAt: lima("2025-07-01T10:00:00"), amountMinor: 15_000, currency: "PEN" as const, channel: "agente" }]],
          ["102", [{ operationNumber: "9003", paidAt: lima("2025-07-01T12:00:00"), amountMinor: 2_000, currency: "USD" as const, channel: "billetera" }]],
        ]),
      terms: { payoutTerms: async () => DEFAULT_PAYOUT_TERMS, feeSchedule: async () => [] },
      clock: new FixedClock(lima("2025-07-10T09:00:00")),
      unknownCip: () => "90000001",
    }).execute("shop_1");
    const lines = sample.csv.trim().split("\r\n");
    expect(lines).toEqual([
      "Código CIP;Monto;Moneda;Fecha de pago;Canal;Comisión;Neto;Fecha de abono;Nro. operación",
      // 1.00 short; sample schedule at an agent: 3 % of 149.00 + 1.00 = 5.47.
      "100;149.00;PEN;2025-07-01 10:00:00;Agente;5.47;143.53;2025-07-03;9001",
      // Commission 0.37 over the schedule's 2.5 % of 80.50 + 0.50 = 2.51 (2.5125 rounded).
      "101;80.50;PEN;2025-07-01 11:00:00;Banca móvil;2.88;77.62;2025-07-03;9002",
      // Listed twice; USD: 2.5 % of 20.00 + 0.20 = 0.70.
      "102;20.00;USD;2025-07-01 12:00:00;Billetera;0.70;19.30;2025-07-03;9003",
      "102;20.00;USD;2025-07-01 12:00:00;Billetera;0.70;19.30;2025-07-03;9003",
      // A CIP no one issued; at an agent: 3 % of 25.00 + 1.00 = 1.75.
      expect.stringMatching(/^90000001;25\.00;PEN;2025-07-09 09:00:00;Agente;1\.75;23\.25;2025-07-11;\d+$/),
    ]);
    expect(sample.planted).toEqual([
      { kind: "settlement_amount_mismatch", cip: "100" },
      { kind: "commission_mismatch", cip: "101" },
      { kind: "settlement_duplicate", cip: "102" },
      { kind: "settlement_unknown_cip", cip: "90000001" },
    ]);
  });
});
