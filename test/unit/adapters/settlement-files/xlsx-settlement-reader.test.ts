import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";

import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { previewSettlementXlsx, readSettlementXlsx } from "../../../../app/adapters/settlement-files/xlsx-settlement-reader";
import { settlementColumnMappingSchema } from "../../../../app/domain/settlement/column-mapping";
import type { SettlementRowResult } from "../../../../app/ports/settlement-files";

let dir = "";
let exportFile = "";
let plainFile = "";

/** Excel has no time zones: a cell's value is wall time, which exceljs writes from the UTC fields. */
const wall = (y: number, m: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, m - 1, d, h, mi));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "settlement-xlsx-"));

  // Like a portal export: a title, a blank row, then the header on row 3.
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Liquidación");
  sheet.addRow(["Reporte de liquidación PagoEfectivo"]);
  sheet.addRow([]);
  sheet.addRow(["Código CIP", "Monto", "Moneda", "Fecha de pago", "Canal", "Comisión", "Neto", "Fecha de abono", "Nro. operación"]);
  sheet.addRow([11546901, 150, "PEN", wall(2025, 7, 15, 10, 30), "Agentes", 5.5, 144.5, wall(2025, 7, 22), 123]);
  sheet.addRow([
    "11546902",
    { formula: "1000+234.5", result: 1234.5 },
    "PEN",
    "15/07/2025 18:05",
    { richText: [{ text: "Banca " }, { text: "por Internet" }] },
    31.36,
    "1,203.14",
    "17/07/2025",
    "000124",
  ]);
  sheet.addRow([11546903, 10.005, "PEN", wall(2025, 7, 16), "Agentes"]);
  sheet.addRow([11546904, 20, "USD", "ayer", "Agentes"]);
  sheet.addRow([]);
  sheet.addRow([11546905, 19.99, "USD", 45853.4375, "Banca por Internet", 0.7, 19.29, null, 99999]);
  for (const cell of ["D4", "D6"]) sheet.getCell(cell).numFmt = "dd/mm/yyyy hh:mm";
  sheet.getCell("H4").numFmt = "dd/mm/yyyy";
  workbook.addWorksheet("Resumen").addRow(["Código CIP", "Monto"]);
  exportFile = join(dir, "export.xlsx");
  await workbook.xlsx.writeFile(exportFile);

  // Written with the streaming writer (inline strings, no shared strings table), without a header row.
  const plain = join(dir, "plain.xlsx");
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: plain, useSharedStrings: false });
  const plainSheet = writer.addWorksheet("Datos");
  plainSheet.addRow(["A", 1, 15.5]).commit();
  plainSheet.addRow(["B", 2, 7]).commit();
  plainSheet.commit();
  await writer.commit();
  plainFile = plain;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(rows: AsyncIterable<SettlementRowResult>): Promise<SettlementRowResult[]> {
  const all: SettlementRowResult[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

const byName = settlementColumnMappingSchema.parse({
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

describe("readSettlementXlsx", () => {
  it("reads the first worksheet below its title, with row numbers, keeping good rows and reporting bad ones", async () => {
    const rows = await collect(readSettlementXlsx(createReadStream(exportFile), byName));
    expect(rows.map((row) => (row.ok ? [row.lineNumber, row.line.cip] : [row.lineNumber, row.reason]))).toEqual([
      [4, "11546901"],
      [5, "11546902"],
      [6, 'amount "10.005": more than two decimals'],
      [7, 'paymentDate "ayer": expected yyyy-mm-dd[Thh:mm[:ss]], dd/mm/yyyy [hh:mm[:ss]] or an Excel date'],
      [9, "11546905"],
    ]);
  });

  it("converts numbers, dates, formulas and rich text", async () => {
    const rows = await collect(readSettlementXlsx(createReadStream(exportFile), byName));
    expect(rows[0]).toEqual({
      lineNumber: 4,
      ok: true,
      line: {
        cip: "11546901",
        amountMinor: 15000,
        currency: "PEN",
        // A 10:30 date cell is 10:30 in Lima.
        paymentDate: new Date("2025-07-15T15:30:00Z"),
        channel: "Agentes",
        commissionMinor: 550,
        netMinor: 14450,
        payoutDate: new Date("2025-07-22T05:00:00Z"),
        operationNumber: "123",
        lineNumber: 4,
      },
    });
    expect(rows[1]).toMatchObject({
      ok: true,
      line: { amountMinor: 123450, channel: "Banca por Internet", netMinor: 120314, paymentDate: new Date("2025-07-15T23:05:00Z") },
    });
    // A date typed as a plain number (an Excel serial) in a date column.
    expect(rows[4]).toMatchObject({
      ok: true,
      line: { amountMinor: 1999, currency: "USD", paymentDate: new Date("2025-07-15T15:30:00Z"), operationNumber: "99999", payoutDate: null },
    });
  });

  it("maps by index in a file without a header row", async () => {
    const mapping = settlementColumnMappingSchema.parse({
      columns: { operationNumber: 0, cip: 1, amount: 2 },
      defaultCurrency: "PEN",
      hasHeaderRow: false,
    });
    const rows = await collect(readSettlementXlsx(createReadStream(plainFile), mapping));
    expect(rows).toMatchObject([
      { lineNumber: 1, ok: true, line: { cip: "1", amountMinor: 1550, operationNumber: "A" } },
      { lineNumber: 2, ok: true, line: { cip: "2", amountMinor: 700, operationNumber: "B" } },
    ]);
  });

  it("reports a mapping that fits no header row as fatal", async () => {
    const wrong = settlementColumnMappingSchema.parse({ columns: { cip: "CIP", amount: "Importe" }, defaultCurrency: "PEN" });
    const rows = await collect(readSettlementXlsx(createReadStream(exportFile), wrong));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ok: false, fatal: true, lineNumber: 3, error: { kind: "bad_mapping" } });
  });

  it("turns a file that is not XLSX into one fatal row", async () => {
    const rows = await collect(readSettlementXlsx(Readable.from([Buffer.from("CIP;Monto\n1;2\n")]), byName));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ok: false, fatal: true });
  });
});

describe("previewSettlementXlsx", () => {
  it("finds the header below the title and shows the first rows as text", async () => {
    const preview = await previewSettlementXlsx(createReadStream(exportFile), 2);
    expect(preview.headerLineNumber).toBe(3);
    expect(preview.headers[0]).toBe("Código CIP");
    expect(preview.rows).toEqual([
      { lineNumber: 4, cells: ["11546901", "150", "PEN", "2025-07-15 10:30:00", "Agentes", "5.5", "144.5", "2025-07-22", "123"] },
      { lineNumber: 5, cells: ["11546902", "1234.5", "PEN", "15/07/2025 18:05", "Banca por Internet", "31.36", "1,203.14", "17/07/2025", "000124"] },
    ]);
    expect(preview.suggestedMapping).toMatchObject({ cip: "Código CIP", payoutDate: "Fecha de abono" });
  });

  it("with a mapping, shows how the rows would import", async () => {
    const preview = await previewSettlementXlsx(createReadStream(exportFile), 3, { mapping: byName });
    expect(preview.parsed?.map((row) => (row.ok ? row.line.amountMinor : row.error.kind))).toEqual([15000, 123450, "invalid_value"]);
  });
});
