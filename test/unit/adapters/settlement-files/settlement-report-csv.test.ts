import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { readSettlementCsv } from "../../../../app/adapters/settlement-files/csv-settlement-reader";
import { settlementReportCsv, validateExportIdentity } from "../../../../app/adapters/settlement-files/settlement-report-csv";
import { formatMinor } from "../../../../app/domain/money";
import { settlementColumnMappingSchema } from "../../../../app/domain/settlement/column-mapping";
import { SettlementReportBuilder } from "../../../../app/domain/settlement/settlement-report";
import { csvRecord } from "../../../../app/lib/csv-record";

const fixture = fileURLToPath(new URL("../../../fixtures/settlement/portal-export-semicolon.csv", import.meta.url));
const identity = { legalName: "Bodega Doña Rosa S.A.C.", ruc: "20100070970" };

async function fixtureReport(granularity: "day" | "week" | "month") {
  const mapping = settlementColumnMappingSchema.parse({
    columns: { cip: "Código CIP", amount: "Monto", currency: "Moneda", paymentDate: "Fecha de pago", channel: "Canal", commission: "Comisión", net: "Neto" },
  });
  const builder = new SettlementReportBuilder({ granularity });
  for await (const row of readSettlementCsv(createReadStream(fixture), mapping)) {
    if (!row.ok) throw new Error(row.reason);
    builder.add(row.line);
  }
  return builder.build();
}

describe("settlementReportCsv", () => {
  it("exports the fixture's month with legal name and RUC on every record and PEN and USD apart", async () => {
    const result = settlementReportCsv(await fixtureReport("month"), identity);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toEqual([
      "\uFEFFRazón social,RUC,Periodo,Inicio del periodo,Canal,Moneda,Operaciones,Bruto,Comisión,Neto,Líneas sin comisión\r\n",
      "Bodega Doña Rosa S.A.C.,20100070970,2025-07,2025-07-01,Agentes,PEN,3,329.90,12.90,317.00,0\r\n",
      "Bodega Doña Rosa S.A.C.,20100070970,2025-07,2025-07-01,Banca por Internet,PEN,1,1234.50,31.36,1203.14,0\r\n",
      "Bodega Doña Rosa S.A.C.,20100070970,2025-07,2025-07-01,Banca por Internet,USD,1,20.00,0.70,19.30,0\r\n",
      // 150.00 + 1234.50 + 80.00 + 99.90 = 1564.40 gross, 44.26 commission, 1520.14 net.
      "Bodega Doña Rosa S.A.C.,20100070970,TOTAL,,,PEN,4,1564.40,44.26,1520.14,0\r\n",
      "Bodega Doña Rosa S.A.C.,20100070970,TOTAL,,,USD,1,20.00,0.70,19.30,0\r\n",
    ]);
  });

  it("writes English headers, ; for Spanish Excel, and quotes what needs quoting", async () => {
    const result = settlementReportCsv(
      await fixtureReport("week"),
      { legalName: "Comercial; \"El Sol\"", ruc: "10460278975" },
      { language: "en", delimiter: ";", bom: false },
    );
    if (!result.ok) throw new Error(result.error.kind);
    expect(result.value[0]).toBe("Legal name;RUC;Period;Period start;Channel;Currency;Payments;Gross;Commission;Net;Lines without commission\r\n");
    expect(result.value[1]).toBe('"Comercial; ""El Sol""";10460278975;2025-W29;2025-07-14;Agentes;PEN;2;230.00;8.90;221.10;0\r\n');
  });

  it.each([
    [{ legalName: "  ", ruc: "20100070970" }, { kind: "missing_legal_name" }],
    [{ legalName: "X S.A.", ruc: "20100070971" }, { kind: "invalid_ruc", reason: "bad_check_digit" }],
    [{ legalName: "X S.A.", ruc: "2010007097" }, { kind: "invalid_ruc", reason: "not_11_digits" }],
  ])("refuses to export for %j", async (who, error) => {
    expect(settlementReportCsv(await fixtureReport("day"), who)).toEqual({ ok: false, error });
    expect(validateExportIdentity(who)).toEqual({ ok: false, error });
  });
});

describe("csv-writer", () => {
  it.each([
    [["a", "b"], "a,b\r\n"],
    [["a,b", 'say "hi"', "two\nlines"], '"a,b","say ""hi""","two\nlines"\r\n'],
    [["=HYPERLINK(\"x\")", "+1", "@SUM", "-12.50", "-x"], "\"'=HYPERLINK(\"\"x\"\")\",'+1,'@SUM,-12.50,'-x\r\n"],
    [[null, undefined, 0, -3], ",,0,-3\r\n"],
  ])("%j → %j", (values, expected) => {
    expect(csvRecord(values)).toBe(expected);
  });

  it.each([
    [0, "0.00"],
    [5, "0.05"],
    [-5, "-0.05"],
    [123450, "1234.50"],
    [-123456789, "-1234567.89"],
  ])("formats %i céntimos as %s", (minor, text) => {
    expect(formatMinor(minor)).toBe(text);
  });

  it("refuses non-integer amounts", () => {
    expect(() => formatMinor(1.5)).toThrow(RangeError);
  });
});
