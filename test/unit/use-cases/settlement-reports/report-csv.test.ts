import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";

import { buildSettlementReport } from "../../../../app/domain/settlement/settlement-report";
import { exceptionCsvRecord, exceptionsCsvColumns } from "../../../../app/use-cases/settlement-reports/exceptions-csv";
import { type ExportHeader, exportPreamble, settlementReportCsv } from "../../../../app/use-cases/settlement-reports/report-csv";

const header = (overrides: Partial<ExportHeader> = {}): ExportHeader => ({
  legalName: "Inversiones Qhapaq E.I.R.L.",
  ruc: "20100070970",
  title: "Liquidaciones por día",
  period: "2025-07-01 – 2025-07-31",
  generatedAt: new Date("2025-08-01T12:00:00Z"),
  language: "es",
  ...overrides,
});

const rows = (records: string[]) => parse(records.join("").replace(/^\uFEFF/, ""), { relax_column_count: true, skip_empty_lines: true }) as string[][];

describe("export CSVs", () => {
  it("start with the legal name and a RUC that passes SUNAT's check digit", () => {
    expect(rows(exportPreamble(header())).slice(0, 2)).toEqual([["Razón social: Inversiones Qhapaq E.I.R.L."], ["RUC: 20100070970"]]);
    // Wrong check digit (…971), missing, or not eleven digits: exported anyway, marked as not configured.
    for (const ruc of ["20100070971", null, "2010007097"]) {
      expect(rows(exportPreamble(header({ ruc })))[1]).toEqual(["RUC: (no configurado)"]);
    }
    expect(rows(exportPreamble(header({ legalName: "  ", language: "en" })))[0]).toEqual(["Legal name: (not set)"]);
  });

  it("never put PEN and USD in the same section or total", () => {
    const report = buildSettlementReport(
      [
        { amountMinor: 10_000, currency: "USD", paymentDate: new Date("2025-07-01T15:00:00Z"), payoutDate: null, channel: "Agente", commissionMinor: 300, netMinor: null },
        { amountMinor: 5_000, currency: "PEN", paymentDate: new Date("2025-07-01T15:00:00Z"), payoutDate: null, channel: "Agente", commissionMinor: 100, netMinor: null },
        { amountMinor: 2_550, currency: "PEN", paymentDate: new Date("2025-07-02T15:00:00Z"), payoutDate: null, channel: "Bodega", commissionMinor: null, netMinor: null },
      ],
      { granularity: "day" },
    );
    const table = rows(settlementReportCsv(report, header())).slice(5);
    expect(table).toEqual([
      ["Periodo", "Inicio del periodo", "Canal", "Moneda", "Operaciones", "Bruto", "Comisión", "Neto", "Líneas sin comisión"],
      ["2025-07-01", "2025-07-01", "Agente", "PEN", "1", "50.00", "1.00", "49.00", "0"],
      ["2025-07-02", "2025-07-02", "Bodega", "PEN", "1", "25.50", "0.00", "25.50", "1"],
      ["TOTAL", "", "", "PEN", "2", "75.50", "1.00", "74.50", "1"],
      ["2025-07-01", "2025-07-01", "Agente", "USD", "1", "100.00", "3.00", "97.00", "0"],
      ["TOTAL", "", "", "USD", "1", "100.00", "3.00", "97.00", "0"],
    ]);
  });

  it("put an exception's amount in the column of its currency", () => {
    const base = {
      detectedAt: new Date("2025-08-01T00:00:00Z"),
      kind: "settlement_amount_mismatch",
      status: "open",
      source: "settlement",
      cip: "123",
      paymentSessionId: "s1",
      orderName: "#1001",
      orderFinancialStatus: "paid",
      resolvedAt: null,
      resolvedBy: null,
      resolutionNote: null,
    };
    const columns = rows([exceptionsCsvColumns("en")])[0] ?? [];
    const usd = rows([exceptionCsvRecord({ ...base, evidence: { amountMinor: 1234, currency: "USD" } }, "en")])[0] ?? [];
    const pen = rows([exceptionCsvRecord({ ...base, evidence: { paidAmountMinor: 500, paidCurrency: "PEN" } }, "en")])[0] ?? [];
    const at = (name: string) => columns.indexOf(name);
    expect([usd[at("Amount PEN")], usd[at("Amount USD")], usd[at("Suggested action")]]).toEqual(["", "12.34", expect.stringContaining("Ask PagoEfectivo")]);
    expect([pen[at("Amount PEN")], pen[at("Amount USD")]]).toEqual(["5.00", ""]);
    // A formula-looking value from outside is defused.
    const hostile = rows([exceptionCsvRecord({ ...base, orderName: "=HYPERLINK(1)", evidence: {} }, "en")])[0] ?? [];
    expect(hostile[at("Order")]).toBe("'=HYPERLINK(1)");
  });
});
