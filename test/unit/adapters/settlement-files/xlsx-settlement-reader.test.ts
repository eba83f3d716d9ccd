import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openFileSource } from "../../../../app/adapters/settlement-files/file-source";
import { previewSettlementXlsx, readSettlementXlsx } from "../../../../app/adapters/settlement-files/xlsx-settlement-reader";
import { settlementColumnMappingSchema } from "../../../../app/domain/settlement/column-mapping";
import type { SettlementRowResult } from "../../../../app/ports/settlement-files";
import { memorySource } from "../../../helpers/settlement-file-source";
import { writeZip, type ZipPart, zipParts } from "../../../helpers/zip-writer";

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
    const rows = await collect(readSettlementXlsx(await openFileSource(exportFile), byName));
    expect(rows.map((row) => (row.ok ? [row.lineNumber, row.line.cip] : [row.lineNumber, row.reason]))).toEqual([
      [4, "11546901"],
      [5, "11546902"],
      [6, 'amount "10.005": more than two decimals'],
      [7, 'paymentDate "ayer": expected yyyy-mm-dd[Thh:mm[:ss]], dd/mm/yyyy [hh:mm[:ss]] or an Excel date'],
      [9, "11546905"],
    ]);
  });

  it("converts numbers, dates, formulas and rich text", async () => {
    const rows = await collect(readSettlementXlsx(await openFileSource(exportFile), byName));
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
    const rows = await collect(readSettlementXlsx(await openFileSource(plainFile), mapping));
    expect(rows).toMatchObject([
      { lineNumber: 1, ok: true, line: { cip: "1", amountMinor: 1550, operationNumber: "A" } },
      { lineNumber: 2, ok: true, line: { cip: "2", amountMinor: 700, operationNumber: "B" } },
    ]);
  });

  it("reports a mapping that fits no header row as fatal", async () => {
    const wrong = settlementColumnMappingSchema.parse({ columns: { cip: "CIP", amount: "Importe" }, defaultCurrency: "PEN" });
    const rows = await collect(readSettlementXlsx(await openFileSource(exportFile), wrong));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ok: false, fatal: true, lineNumber: 3, error: { kind: "bad_mapping" } });
  });

  it("turns a file that is not XLSX into one fatal row", async () => {
    const rows = await collect(readSettlementXlsx(memorySource(Buffer.from("CIP;Monto\n1;2\n")), byName));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ok: false, fatal: true });
  });
});

describe("previewSettlementXlsx", () => {
  it("finds the header below the title and shows the first rows as text", async () => {
    const preview = await previewSettlementXlsx(await openFileSource(exportFile), 2);
    expect(preview.headerLineNumber).toBe(3);
    expect(preview.headers[0]).toBe("Código CIP");
    expect(preview.rows).toEqual([
      { lineNumber: 4, cells: ["11546901", "150", "PEN", "2025-07-15 10:30:00", "Agentes", "5.5", "144.5", "2025-07-22", "123"] },
      { lineNumber: 5, cells: ["11546902", "1234.5", "PEN", "15/07/2025 18:05", "Banca por Internet", "31.36", "1,203.14", "17/07/2025", "000124"] },
    ]);
    expect(preview.suggestedMapping).toMatchObject({ cip: "Código CIP", payoutDate: "Fecha de abono" });
  });

  it("with a mapping, shows how the rows would import", async () => {
    const preview = await previewSettlementXlsx(await openFileSource(exportFile), 3, { mapping: byName });
    expect(preview.parsed?.map((row) => (row.ok ? row.line.amountMinor : row.error.kind))).toEqual([15000, 123450, "invalid_value"]);
  });
});

/**
 * exceljs's own streaming reader takes the archive as one forward-only stream and can lose the parts still
 * queued when unzipper reaches the end of the file (exceljs issue #3064): with STORED parts the parse always
 * outruns exceljs, so the old reader failed these every time ("Cannot read properties of undefined (reading
 * 'sheets')" with xl/workbook.xml stored last, as exceljs writes it; a header of empty cells with
 * xl/sharedStrings.xml after the sheet, as Excel writes it).
 */
describe("readSettlementXlsx, whatever the order and compression of the workbook's parts", () => {
  const portal = settlementColumnMappingSchema.parse({ columns: { cip: "Código CIP", amount: "Monto", channel: "Canal" }, defaultCurrency: "PEN" });
  const EXCEL_ORDER = [
    "[Content_Types].xml",
    "_rels/.rels",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/worksheets/sheet1.xml",
    "xl/worksheets/sheet2.xml",
    "xl/theme/theme1.xml",
    "xl/styles.xml",
    "xl/sharedStrings.xml",
    "docProps/app.xml",
    "docProps/core.xml",
  ];

  async function portalWorkbook(lines: number): Promise<ZipPart[]> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Liquidación");
    sheet.addRow(["Código CIP", "Monto", "Canal"]);
    // Text CIPs and channels go to the shared strings part, as in a portal export.
    for (let i = 0; i < lines; i += 1) sheet.addRow([String(51000000 + i), 10 + (i % 90), i % 2 ? "Banca móvil" : "Agencias y bodegas"]);
    const summary = workbook.addWorksheet("Resumen");
    summary.addRow(["Código CIP", "Monto", "Canal"]);
    summary.addRow(["77000001", 5, "Resumen"]);
    return zipParts(Buffer.from(await workbook.xlsx.writeBuffer())).filter((part) => !part.name.endsWith("/"));
  }

  const inOrder = (parts: ZipPart[], names: string[]) => names.map((name) => parts.find((part) => part.name === name) ?? expect.unreachable(name));
  const cips = (rows: SettlementRowResult[]) => rows.map((row) => (row.ok ? row.line.cip : row.reason));

  it("reads a STORED workbook with xl/workbook.xml as its last part (exceljs's own order)", async () => {
    const parts = await portalWorkbook(3);
    expect(parts.at(-1)?.name).toBe("xl/workbook.xml");
    const file = memorySource(writeZip(parts, { stored: true }));
    expect(cips(await collect(readSettlementXlsx(file, portal)))).toEqual(["51000000", "51000001", "51000002"]);
    expect(file.closed).toBe(true);
  });

  it("reads a STORED workbook with the shared strings after the sheets (Excel's order), text cells included", async () => {
    const parts = await portalWorkbook(3);
    // The whole file at once: unzipper then parses every part while exceljs still handles the sheet.
    const zip = writeZip(inOrder(parts, EXCEL_ORDER), { stored: true });
    const rows = await collect(readSettlementXlsx(memorySource(zip, { chunkSize: zip.length }), portal));
    expect(rows.map((row) => (row.ok ? [row.line.cip, row.line.channel] : row.reason))).toEqual([
      ["51000000", "Agencias y bodegas"],
      ["51000001", "Banca móvil"],
      ["51000002", "Agencias y bodegas"],
    ]);
  });

  it("reads the same rows whatever the chunking and pauses of the file, deflated, stored and ZIP64", async () => {
    const parts = await portalWorkbook(400);
    const expected = Array.from({ length: 400 }, (_, i) => String(51000000 + i));
    const variants = [
      memorySource(writeZip(parts), { chunkSize: 1 }),
      memorySource(writeZip(parts, { stored: true }), { chunkSize: 7 }),
      memorySource(writeZip([...parts].reverse(), { stored: true }), { chunkSize: 4096, delayMs: 1 }),
      memorySource(writeZip(inOrder(parts, EXCEL_ORDER)), { chunkSize: 13 }),
      memorySource(writeZip(parts, { zip64: true }), { chunkSize: 100 }),
    ];
    for (const file of variants) expect(cips(await collect(readSettlementXlsx(file, portal)))).toEqual(expected);
  });

  it("keeps characters split between two chunks of a large shared strings part", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Liquidación");
    sheet.addRow(["Código CIP", "Monto", "Canal"]);
    // Distinct strings of two-byte characters, well past the 16 KiB chunks of the inflated part.
    for (let i = 0; i < 15_000; i += 1) sheet.addRow([String(61000000 + i), 10, `Añoñó ${i} ${"ñ".repeat(i % 7)}`]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    for (const chunkSize of [4096, bytes.length]) {
      const rows = await collect(readSettlementXlsx(memorySource(bytes, { chunkSize }), portal));
      expect(rows).toHaveLength(15_000);
      expect(rows.filter((row) => !row.ok || row.line.channel?.includes("\uFFFD"))).toEqual([]);
      expect(rows.at(-1)).toMatchObject({ ok: true, line: { cip: "61014999", channel: `Añoñó 14999 ${"ñ".repeat(14_999 % 7)}` } });
    }
  });

  it("reads the workbook's first tab, not the part named sheet1.xml", async () => {
    const parts = await portalWorkbook(2);
    const swapped = parts.map((part) => {
      if (part.name !== "xl/workbook.xml") return part;
      const xml = part.data.toString("utf8");
      const tabs = /<sheet [^>]*\/><sheet [^>]*\/>/.exec(xml)?.[0] ?? expect.unreachable("two tabs");
      const [first, second] = tabs.split("/>");
      return { name: part.name, data: Buffer.from(xml.replace(tabs, `${second}/>${first}/>`)) };
    });
    expect(cips(await collect(readSettlementXlsx(memorySource(writeZip(parts)), portal)))).toEqual(["51000000", "51000001"]);
    expect(cips(await collect(readSettlementXlsx(memorySource(writeZip(swapped)), portal)))).toEqual(["77000001"]);
  });

  it("turns a damaged part (CRC-32), a truncated file and a missing workbook part into one fatal row, and closes the file", async () => {
    const parts = await portalWorkbook(3);
    const good = writeZip(parts, { stored: true });
    const flipped = Buffer.from(good);
    const at = flipped.indexOf("51000001");
    flipped[at] = "9".charCodeAt(0);
    const cases = [
      { file: memorySource(flipped), detail: "xl/sharedStrings.xml fails its CRC-32 check" },
      { file: memorySource(good.subarray(0, good.length - 30)), detail: "no ZIP end of central directory record" },
      { file: memorySource(writeZip(parts.filter((part) => part.name !== "xl/workbook.xml"))), detail: "xl/workbook.xml is missing" },
    ];
    for (const { file, detail } of cases) {
      const rows = await collect(readSettlementXlsx(file, portal));
      expect(rows).toMatchObject([{ ok: false, fatal: true, error: { kind: "malformed_line", detail: `not a readable XLSX file (${detail})` } }]);
      expect(file.closed).toBe(true);
    }
  });

  it("reads only the parts it needs, and a preview stops after its rows and closes the file", async () => {
    const parts = await portalWorkbook(20_000);
    const file = memorySource(writeZip(parts));
    const preview = await previewSettlementXlsx(file, 2);
    expect(preview.rows.map((row) => row.cells[0])).toEqual(["51000000", "51000001"]);
    expect(file.closed).toBe(true);
    // The rest of the sheet and the parts the reader does not use (theme, docProps, the second sheet).
    expect(file.bytesDelivered).toBeLessThan(file.sizeBytes * 0.8);
  });
});
