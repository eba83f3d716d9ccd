import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AdminApi, signIn } from "../../helpers/admin-browser";
import { startAdminTestApp } from "../../helpers/admin-test-app";
import { importFile, type ImportView, PORTAL_HEADER, PORTAL_MAPPING, uploadRaw, waitForImport, XLSX_TYPE } from "../../helpers/reconciliation-helpers";
import type { TestApp } from "../../helpers/test-app";

const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";

/** A portal export with three good rows and three bad ones (and a blank line, which is not a row). */
const WITH_BAD_ROWS = [
  PORTAL_HEADER,
  "21000001;150.00;PEN;2025-07-15 10:30:00;Agente;5.50;144.50;2025-07-18;900001",
  "ABC123;20.00;PEN;2025-07-15 10:31:00;Agente;1.10;18.90;2025-07-18;900002",
  "21000003;99.90;PEN;2025-07-15 11:00:00;Banca móvil;3.00;96.90;2025-07-16;900003",
  "21000004;12,3,4;PEN;2025-07-15 11:30:00;Agente;1.00;1.00;2025-07-18;900004",
  "",
  "21000005;40.00;EUR;2025-07-15 12:00:00;Agente;1.50;38.50;2025-07-18;900005",
  "21000006;25.00;USD;2025-07-16 09:00:00;Bodega;0.83;24.17;2025-07-21;900006",
].join("\n");

describe("settlement file import", () => {
  let t: TestApp;
  let api: AdminApi;

  beforeAll(async () => {
    // The background poller and daily run stay off: the sandbox clock route runs the poller when the test moves time.
    t = await startAdminTestApp({ env: { SCHEDULER_ENABLED: "false" } });
    api = (await signIn(t, DEMO_SHOP, "login")).api;
  });
  afterAll(async () => {
    await t?.close();
  });

  const lineCount = () => t.app.db.prisma.settlementLine.count();

  it("refuses an import before the column mapping is set, and validates the mapping", async () => {
    const early = await uploadRaw(api, "/api/settlements/imports", WITH_BAD_ROWS, { fileName: "early.csv" });
    expect(early.status).toBe(409);
    expect((await api.get<{ mapping: unknown }>("/api/settlements/mapping")).body.mapping).toBeNull();

    const missingCip = await api.put<{ error: { code: string; message: string } }>("/api/settlements/mapping", { columns: { amount: "Monto" }, defaultCurrency: "PEN" });
    expect(missingCip.status).toBe(400);
    expect(missingCip.body.error.message).toContain("columns.cip");
    const noCurrency = await api.put<{ error: { message: string } }>("/api/settlements/mapping", { columns: { cip: "CIP", amount: "Monto" } });
    expect(noCurrency.status).toBe(400);
    expect(noCurrency.body.error.message).toContain("defaultCurrency");

    const saved = await api.put<{ mapping: { columns: Record<string, string> } }>("/api/settlements/mapping", PORTAL_MAPPING);
    expect(saved.status).toBe(200);
    expect((await api.get<{ mapping: { columns: Record<string, string> } }>("/api/settlements/mapping")).body.mapping?.columns.cip).toBe("Código CIP");
  });

  it("previews the first rows with the suggested and the saved mapping", async () => {
    const preview = await uploadRaw(api, "/api/settlements/preview?rows=3", WITH_BAD_ROWS, { fileName: "julio.csv" });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const body = preview.body as {
      uploadId: string;
      format: string;
      headers: string[];
      rows: { lineNumber: number; cells: string[] }[];
      suggestedMapping: Record<string, string>;
      parsed: { line: number; ok: boolean; reason?: string; value?: { cip: string; amountMinor: number } }[];
      delimiter: string;
      alreadyImported: unknown;
    };
    expect(body.format).toBe("csv");
    expect(body.delimiter).toBe(";");
    expect(body.headers[0]).toBe("Código CIP");
    expect(body.rows.map((r) => r.lineNumber)).toEqual([2, 3, 4]);
    expect(body.suggestedMapping).toMatchObject({ cip: "Código CIP", amount: "Monto", currency: "Moneda", commission: "Comisión" });
    expect(body.parsed[0]).toMatchObject({ line: 2, ok: true, value: { cip: "21000001", amountMinor: 15000 } });
    expect(body.parsed[1]).toMatchObject({ line: 3, ok: false });
    expect(body.parsed[1]?.reason).toContain("cip");
    expect(body.alreadyImported).toBeNull();
    expect(await lineCount()).toBe(0);

    // The previewed upload can be imported without sending the file again.
    const started = await api.post<{ import: ImportView }>("/api/settlements/imports", { uploadId: body.uploadId, fileName: "julio.csv" });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body.import.fileName).toBe("julio.csv");
  });

  it("keeps the good rows and reports each bad row with its line number and reason", async () => {
    const list = await api.get<{ items: ImportView[] }>("/api/settlements/imports");
    const first = list.body.items[0];
    expect(first).toBeDefined();
    const finished = await waitForImport(api, first?.id ?? "");
    expect(finished).toMatchObject({ status: "done", totalRows: 6, goodRows: 3, badRows: 3, duplicateRows: 0, progress: 1, format: "csv" });
    expect(finished.errors.map((e) => e.line)).toEqual([3, 5, 7]);
    expect(finished.errors[0]?.reason).toMatch(/cip "ABC123": a CIP is a number/);
    expect(finished.errors[1]?.reason).toMatch(/^amount "12,3,4"/);
    expect(finished.errors[2]?.reason).toMatch(/^currency "EUR": expected PEN or USD/);
    expect(finished.coverage).toEqual({ from: "2025-07-15", to: "2025-07-16" });
    expect(finished.reconciliationRunId).not.toBeNull();
    expect(await lineCount()).toBe(3);
    const stored = await t.app.db.prisma.settlementLine.findMany({ orderBy: { lineNumber: "asc" } });
    expect(stored.map((l) => [l.lineNumber, l.cip, l.amountMinor, l.currency, l.commissionMinor, l.channel])).toEqual([
      [2, "21000001", 15000, "PEN", 550, "Agente"],
      [4, "21000003", 9990, "PEN", 300, "Banca móvil"],
      [8, "21000006", 2500, "USD", 83, "Bodega"],
    ]);
    expect(stored[0]?.paymentDate?.toISOString()).toBe("2025-07-15T15:30:00.000Z");
  });

  it("changes nothing when the same file is imported again", async () => {
    const before = await lineCount();
    const again = await uploadRaw(api, "/api/settlements/imports", WITH_BAD_ROWS, { fileName: "julio (copia).csv" });
    expect(again.status).toBe(200);
    const body = again.body as { import: ImportView; duplicate: boolean };
    expect(body.duplicate).toBe(true);
    expect(body.import.fileName).toBe("julio.csv");
    expect(await lineCount()).toBe(before);
    expect((await api.get<{ total: number }>("/api/settlements/imports")).body.total).toBe(1);
  });

  it("skips lines an earlier file already brought (line keys), and keeps a line repeated inside one file", async () => {
    const overlapping = [
      PORTAL_HEADER,
      "21000001;150.00;PEN;2025-07-15 10:30:00;Agente;5.50;144.50;2025-07-18;900001",
      "21000003;99.90;PEN;2025-07-15 11:00:00;Banca móvil;3.00;96.90;2025-07-16;900003",
      "21000007;60.00;PEN;2025-07-17 08:00:00;Agente;2.80;57.20;2025-07-22;900007",
      "21000007;60.00;PEN;2025-07-17 08:00:00;Agente;2.80;57.20;2025-07-22;900007",
    ].join("\r\n");
    const { finished } = await importFile(api, overlapping, "julio-2.csv");
    expect(finished).toMatchObject({ status: "done", totalRows: 4, goodRows: 2, duplicateRows: 2, badRows: 0 });
    const keys = (await t.app.db.prisma.settlementLine.findMany({ where: { cip: "21000007" }, orderBy: { lineNumber: "asc" } })).map((l) => l.lineKey);
    expect(keys).toEqual(["op:21000007:900007", "op:21000007:900007#2"]);
  });

  it("imports an XLSX export", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Liquidación");
    sheet.addRow(["Reporte de liquidaciones"]);
    sheet.addRow(PORTAL_HEADER.split(";"));
    sheet.addRow([31000001, 150, "PEN", new Date(Date.UTC(2025, 6, 20, 10, 0, 0)), "Agente", 5.5, 144.5, new Date(Date.UTC(2025, 6, 23)), "910001"]);
    sheet.addRow([31000002, 75.25, "USD", new Date(Date.UTC(2025, 6, 20, 11, 0, 0)), "Billetera", 2.08, 73.17, new Date(Date.UTC(2025, 6, 21)), "910002"]);
    sheet.addRow(["no-es-cip", 10, "PEN", null, null, null, null, null, null]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const { finished } = await importFile(api, buffer, "liquidacion.xlsx", XLSX_TYPE);
    expect(finished).toMatchObject({ status: "done", format: "xlsx", goodRows: 2, badRows: 1 });
    expect(finished.errors).toEqual([{ line: 5, reason: expect.stringContaining("cip") }]);
    const usd = await t.app.db.prisma.settlementLine.findFirstOrThrow({ where: { cip: "31000002" } });
    expect([usd.amountMinor, usd.currency, usd.commissionMinor, usd.paymentDate?.toISOString()]).toEqual([7525, "USD", 208, "2025-07-20T16:00:00.000Z"]);
  });

  it("fails an import whose mapping fits no header, and accepts the same file again once the mapping is fixed", async () => {
    const otherHeaders = ["CIP;Importe;Divisa", "41000001;10.00;PEN", "41000002;20.00;PEN"].join("\n");
    const { finished } = await importFile(api, otherHeaders, "otro-formato.csv");
    expect(finished.status).toBe("failed");
    expect(finished.failureReason).toContain("Código CIP");
    expect(await t.app.db.prisma.settlementLine.count({ where: { cip: { startsWith: "41" } } })).toBe(0);

    expect((await api.put("/api/settlements/mapping", { columns: { cip: "CIP", amount: "Importe", currency: "Divisa" } })).status).toBe(200);
    const retried = await importFile(api, otherHeaders, "otro-formato.csv");
    expect(retried.started.import.id).toBe(finished.id);
    expect(retried.finished).toMatchObject({ status: "done", goodRows: 2 });
    expect((await api.put("/api/settlements/mapping", PORTAL_MAPPING)).status).toBe(200);
  });

  it("answers 415 for other body types, 422 for old .xls files, 400 without a file name, and lists imports newest first", async () => {
    expect((await uploadRaw(api, "/api/settlements/imports", "x", { fileName: "a.png", contentType: "image/png" })).status).toBe(415);
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect((await uploadRaw(api, "/api/settlements/imports", xls, { fileName: "viejo.xls", contentType: "application/vnd.ms-excel" })).status).toBe(422);
    // A PDF, or bytes that are neither CSV text nor a workbook (a damaged .xlsx): one code each, with the
    // file's name, for the panel to say what is wrong and which file to send; nothing is imported.
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF");
    for (const path of ["/api/settlements/imports", "/api/settlements/preview"]) {
      const asPdf = await uploadRaw(api, path, pdf, { fileName: "estado.pdf", contentType: "application/octet-stream" });
      expect(asPdf.status).toBe(422);
      expect(asPdf.body).toMatchObject({ error: { code: "file_pdf_unsupported", params: { fileName: "estado.pdf" } } });
      const noise = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37 + 11) % 256));
      const damaged = await uploadRaw(api, path, noise, { fileName: "liquidacion-rota.xlsx", contentType: XLSX_TYPE });
      expect(damaged.status).toBe(422);
      expect(damaged.body).toMatchObject({ error: { code: "file_unreadable", params: { fileName: "liquidacion-rota.xlsx" } } });
    }
    expect((await uploadRaw(api, "/api/settlements/imports", WITH_BAD_ROWS, {})).status).toBe(400);
    expect((await uploadRaw(api, "/api/settlements/imports", WITH_BAD_ROWS, { fileName: "x.csv", csrf: false })).status).toBe(403);
    const list = await api.get<{ items: ImportView[]; total: number }>("/api/settlements/imports?pageSize=2");
    expect(list.body.total).toBe(4);
    expect(list.body.items.map((i) => i.fileName)).toEqual(["otro-formato.csv", "liquidacion.xlsx"]);
    expect((await api.get("/api/settlements/imports/imp_doesnotexist")).status).toBe(404);
  });
});
