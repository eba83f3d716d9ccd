import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { previewSettlementCsv, readSettlementCsv } from "../../../../app/adapters/settlement-files/csv-settlement-reader";
import { type SettlementColumnMappingInput,settlementColumnMappingSchema } from "../../../../app/domain/settlement/column-mapping";
import type { SettlementRowResult } from "../../../../app/ports/settlement-files";

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/settlement/${name}`, import.meta.url));
const mapping = (input: SettlementColumnMappingInput) => settlementColumnMappingSchema.parse(input);

/** A stream of the text cut into chunks of `size` bytes, to exercise chunk boundaries. */
function streamOf(content: string | Buffer, size = 64 * 1024): Readable {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
}

async function collect(rows: AsyncIterable<SettlementRowResult>): Promise<SettlementRowResult[]> {
  const all: SettlementRowResult[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

const byName = mapping({
  columns: {
    cip: "codigo cip",
    amount: "MONTO",
    currency: "Moneda",
    paymentDate: "Fecha de pago",
    channel: "canal",
    commission: "comision",
    net: "neto",
    payoutDate: "fecha de abono",
    operationNumber: "Nro operacion",
  },
});
const byIndex = mapping({
  columns: { cip: 0, amount: 1, currency: 2, paymentDate: 3, channel: 4, commission: 5, net: 6, payoutDate: 7, operationNumber: 8 },
});

describe("readSettlementCsv with the portal export (; delimiter, Spanish headers, BOM, CRLF)", () => {
  it.each([
    ["names", byName],
    ["indexes", byIndex],
  ])("maps columns by %s", async (_how, columns) => {
    const rows = await collect(readSettlementCsv(createReadStream(fixture("portal-export-semicolon.csv")), columns));
    expect(rows.map((row) => row.ok && row.lineNumber)).toEqual([2, 3, 4, 5, 7]);
    expect(rows[0]).toEqual({
      lineNumber: 2,
      ok: true,
      line: {
        cip: "11546901",
        amountMinor: 15000,
        currency: "PEN",
        paymentDate: new Date("2025-07-15T15:30:00Z"),
        channel: "Agentes",
        commissionMinor: 550,
        netMinor: 14450,
        payoutDate: new Date("2025-07-22T05:00:00Z"),
        operationNumber: "000123",
        lineNumber: 2,
      },
    });
    expect(rows[1]).toMatchObject({ ok: true, line: { amountMinor: 123450, netMinor: 120314, channel: "Banca por Internet" } });
    expect(rows[2]).toMatchObject({ ok: true, line: { currency: "USD", amountMinor: 2000, paymentDate: new Date("2025-07-16T14:00:00Z") } });
    expect(rows[3]).toMatchObject({ ok: true, line: { amountMinor: 8000, paymentDate: new Date("2025-07-16T05:00:00Z") } });
  });
});

describe("readSettlementCsv with bad rows", () => {
  const columns = mapping({
    columns: { cip: "CIP", amount: "Amount", currency: "Currency", paymentDate: "Payment date", channel: "Channel", operationNumber: "Operation" },
  });

  it("keeps the good rows and reports each bad one with its line and reason", async () => {
    const rows = await collect(readSettlementCsv(createReadStream(fixture("bad-rows.csv")), columns));
    const summary = rows.map((row) => (row.ok ? [row.lineNumber, "ok", row.line.cip] : [row.lineNumber, row.error.kind, row.reason]));
    expect(summary).toEqual([
      [2, "ok", "11546901"],
      [3, "invalid_value", 'amount "abc": not a number'],
      [4, "missing_value", "cip is empty"],
      [5, "invalid_value", 'paymentDate "31/02/2025": no such date or time'],
      [6, "invalid_value", 'currency "EUR": expected PEN or USD'],
      [8, "ok", "11546905"],
      [9, "invalid_value", 'amount "10.005": more than two decimals'],
      [10, "currency_conflict", "the amount is written in PEN but the currency is USD"],
      [11, "invalid_value", 'cip "TOTAL": a CIP is a number'],
      [12, "ok", "11546909"],
    ]);
    expect(rows.some((row) => !row.ok && row.fatal)).toBe(false);
  });
});

describe("readSettlementCsv file handling", () => {
  const simple = mapping({ columns: { cip: "CIP", amount: "Monto" }, defaultCurrency: "PEN" });
  const cips = (rows: SettlementRowResult[]) => rows.map((row) => (row.ok ? `${row.lineNumber}:${row.line.cip}:${row.line.amountMinor}` : `${row.lineNumber}!${row.reason}`));

  it.each([
    ["comma", "CIP,Monto\n1,\"1,234.50\"\n2,5\n"],
    ["semicolon", "CIP;Monto\n1;1,234.50\n2;5\n"],
    ["tab", "CIP\tMonto\n1\t1,234.50\n2\t5\n"],
    ["Excel's sep= hint", "sep=;\nCIP;Monto\n1;1,234.50\n2;5\n"],
  ])("detects the %s delimiter", async (_what, text) => {
    const rows = cips(await collect(readSettlementCsv(streamOf(text), simple)));
    const offset = text.startsWith("sep=") ? 1 : 0;
    expect(rows).toEqual([`${2 + offset}:1:123450`, `${3 + offset}:2:500`]);
  });

  it("uses the delimiter it is told", async () => {
    // Sniffing would pick "," (three of them against two ";"): the option wins.
    const rows = cips(await collect(readSettlementCsv(streamOf("CIP;Monto;x,y,z,w\n1;150;n\n"), simple, { delimiter: ";" })));
    expect(rows).toEqual(["2:1:15000"]);
  });

  it("reads Latin-1 files, as Excel on Windows saves them", async () => {
    const latin1 = Buffer.from("Código CIP;Comisión;Monto\n11546901;1.00;150.00\n", "latin1");
    const columns = mapping({ columns: { cip: "Código CIP", amount: "Monto", commission: "Comisión" }, defaultCurrency: "PEN" });
    const rows = await collect(readSettlementCsv(streamOf(latin1), columns));
    expect(rows).toMatchObject([{ ok: true, line: { cip: "11546901", commissionMinor: 100, amountMinor: 15000 } }]);
    const preview = await previewSettlementCsv(streamOf(latin1));
    expect(preview.encoding).toBe("latin1");
    expect(preview.headers).toEqual(["Código CIP", "Comisión", "Monto"]);
  });

  it("survives one-byte chunks, a BOM and a multi-byte character cut in two", async () => {
    const text = "\uFEFFCódigo CIP;Monto\r\n1;150.00\r\n2;S/ 5.00\r\n";
    const columns = mapping({ columns: { cip: "Código CIP", amount: "Monto" }, defaultCurrency: "PEN" });
    expect(cips(await collect(readSettlementCsv(streamOf(text, 1), columns)))).toEqual(["2:1:15000", "3:2:500"]);
  });

  it("counts physical lines across quoted line breaks and skips blank and separator-only lines", async () => {
    const text = 'CIP;Monto;Canal\n1;10.00;"Agente\nBodega"\n\n;;\n2;20.00;Banca\n';
    const columns = mapping({ columns: { cip: "CIP", amount: "Monto", channel: "Canal" }, defaultCurrency: "PEN" });
    const rows = await collect(readSettlementCsv(streamOf(text), columns));
    expect(rows).toMatchObject([
      { lineNumber: 3, ok: true, line: { channel: "Agente\nBodega" } },
      { lineNumber: 6, ok: true, line: { cip: "2" } },
    ]);
  });

  it("ends with a fatal row at an unclosed quote, after the good rows before it", async () => {
    const rows = await collect(readSettlementCsv(streamOf('CIP;Monto\n1;10.00\n2;"20.00\n3;30.00\n'), simple));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ ok: true, lineNumber: 2 });
    expect(rows[1]).toMatchObject({ ok: false, fatal: true, lineNumber: 3, error: { kind: "malformed_line" } });
    expect(rows[1]?.ok === false && rows[1].reason).toContain("quote opened on line 3");
  });

  it("reports stray quotes inside fields as bad values and reads on", async () => {
    const rows = await collect(readSettlementCsv(streamOf('CIP;Monto\n1;2"0.00\n2;30.00\n'), simple));
    expect(cips(rows)).toEqual(['2!amount "2"0.00": not a number', "3:2:3000"]);
  });

  it("finds the header below a title and skips the preamble", async () => {
    const text = "Liquidación PagoEfectivo\nDel 01/07/2025 al 31/07/2025\n\nCIP;Monto\n1;10.00\n";
    expect(cips(await collect(readSettlementCsv(streamOf(text), simple)))).toEqual(["5:1:1000"]);
    const fixed = mapping({ columns: { cip: "CIP", amount: "Monto" }, defaultCurrency: "PEN", headerLine: 4 });
    expect(cips(await collect(readSettlementCsv(streamOf(text), fixed)))).toEqual(["5:1:1000"]);
  });

  it("reports a mapping that fits no header once, as fatal", async () => {
    const wrong = mapping({ columns: { cip: "CIP", amount: "Importe" }, defaultCurrency: "PEN" });
    const rows = await collect(readSettlementCsv(streamOf("CIP;Monto\n1;10.00\n2;20.00\n"), wrong));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ok: false, fatal: true, lineNumber: 1, error: { kind: "bad_mapping" } });
    expect(rows[0]?.ok === false && rows[0].reason).toContain('"Importe" for amount is not in the header row');
  });

  it("reports an empty file as fatal", async () => {
    const rows = await collect(readSettlementCsv(streamOf(""), simple));
    expect(rows).toMatchObject([{ ok: false, fatal: true, error: { kind: "empty_file" } }]);
  });

  it("reads files without a header row by index", async () => {
    const columns = mapping({ columns: { cip: 1, amount: 0 }, defaultCurrency: "USD", hasHeaderRow: false });
    const rows = await collect(readSettlementCsv(streamOf("10.00;1\n20.00;2\n"), columns));
    expect(rows).toMatchObject([
      { lineNumber: 1, ok: true, line: { cip: "1", amountMinor: 1000, currency: "USD" } },
      { lineNumber: 2, ok: true, line: { cip: "2", amountMinor: 2000 } },
    ]);
  });

  it("streams: a large file yields rows as they are read", async () => {
    const lines = 50_000;
    let produced = 0;
    async function* generate(): AsyncGenerator<Buffer> {
      yield Buffer.from("CIP;Monto\n");
      for (let i = 0; i < lines; i += 1000) {
        let chunk = "";
        for (let j = i; j < i + 1000; j += 1) chunk += `${j + 1};1.00\n`;
        produced += 1000;
        yield Buffer.from(chunk);
      }
    }
    let count = 0;
    let producedAtFirstRow = -1;
    for await (const row of readSettlementCsv(Readable.from(generate()), simple)) {
      if (producedAtFirstRow < 0) producedAtFirstRow = produced;
      if (row.ok) count += 1;
    }
    expect(count).toBe(lines);
    expect(producedAtFirstRow).toBeLessThan(lines);
  });
});

describe("previewSettlementCsv", () => {
  it("shows the header, the first rows, the detected format and a suggested mapping", async () => {
    const preview = await previewSettlementCsv(createReadStream(fixture("portal-export-semicolon.csv")), 2);
    expect(preview.headers).toEqual(["Código CIP", "Monto", "Moneda", "Fecha de pago", "Canal", "Comisión", "Neto", "Fecha de abono", "Nro. operación"]);
    expect(preview.headerLineNumber).toBe(1);
    expect(preview.rows).toEqual([
      { lineNumber: 2, cells: ["11546901", "150.00", "PEN", "15/07/2025 10:30:00", "Agentes", "5.50", "144.50", "22/07/2025", "000123"] },
      { lineNumber: 3, cells: ["11546902", "1,234.50", "PEN", "15/07/2025 18:05", "Banca por Internet", "31.36", "1,203.14", "17/07/2025", "000124"] },
    ]);
    expect(preview.delimiter).toBe(";");
    expect(preview.encoding).toBe("utf8");
    expect(preview.suggestedMapping).toMatchObject({ cip: "Código CIP", amount: "Monto", operationNumber: "Nro. operación" });
    expect(preview.parsed).toBeUndefined();
  });

  it("with a mapping, shows how the rows would import", async () => {
    const preview = await previewSettlementCsv(createReadStream(fixture("portal-export-semicolon.csv")), 3, { mapping: byName });
    expect(preview.parsed?.map((row) => row.ok && row.line.amountMinor)).toEqual([15000, 123450, 2000]);
    const wrong = mapping({ columns: { cip: "CIP", amount: "Monto" }, defaultCurrency: "PEN" });
    const bad = await previewSettlementCsv(createReadStream(fixture("portal-export-semicolon.csv")), 3, { mapping: wrong });
    expect(bad.parsed).toMatchObject([{ ok: false, fatal: true, error: { kind: "bad_mapping" } }]);
    expect(bad.rows).toHaveLength(3);
  });

  it("guesses the header below a title", async () => {
    const preview = await previewSettlementCsv(streamOf("Liquidación julio\n\nCIP;Monto;Canal\n1;10.00;Agentes\n"));
    expect(preview.headerLineNumber).toBe(3);
    expect(preview.headers).toEqual(["CIP", "Monto", "Canal"]);
    expect(preview.rows).toEqual([{ lineNumber: 4, cells: ["1", "10.00", "Agentes"] }]);
  });

  it("stops reading once it has enough rows", async () => {
    let chunks = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.from("CIP;Monto\n");
      for (let i = 0; ; i += 1) {
        chunks += 1;
        yield Buffer.from(`${i};1.00\n`.repeat(100));
      }
    }
    const preview = await previewSettlementCsv(Readable.from(endless()), 5);
    expect(preview.rows).toHaveLength(5);
    expect(chunks).toBeLessThan(100);
  });
});

describe("currency of a line", () => {
  it("comes from the column, else the amount's symbol, else the default", async () => {
    const columns = mapping({ columns: { cip: "CIP", amount: "Monto", currency: "Moneda" }, defaultCurrency: "PEN" });
    const text = "CIP;Monto;Moneda\n1;10.00;USD\n2;US$ 10.00;\n3;10.00;\n4;10.00;Soles\n5;10.00;dólares\n6;S/ 10.00;USD\n";
    const rows = await collect(readSettlementCsv(streamOf(text), columns));
    expect(rows.map((row) => (row.ok ? row.line.currency : row.error.kind))).toEqual(["USD", "USD", "PEN", "PEN", "USD", "currency_conflict"]);
  });
});
