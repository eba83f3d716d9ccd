import { describe, expect, it } from "vitest";

import {
  describeMappingError,
  normalizeHeader,
  resolveColumnMapping,
  settlementColumnMappingSchema,
  suggestColumnMapping,
} from "../../../../app/domain/settlement/column-mapping";

const PORTAL_HEADERS = ["Código CIP", "Monto", "Moneda", "Fecha de pago", "Canal", "Comisión", "Neto", "Fecha de abono", "Nro. operación"];

describe("settlementColumnMappingSchema", () => {
  it("accepts header names and indexes and defaults hasHeaderRow to true", () => {
    const mapping = settlementColumnMappingSchema.parse({ columns: { cip: "CIP", amount: 1 }, defaultCurrency: "PEN" });
    expect(mapping.hasHeaderRow).toBe(true);
  });

  it.each([
    ["no cip", { columns: { amount: "Monto" }, defaultCurrency: "PEN" }, "cip"],
    ["no amount", { columns: { cip: "CIP" }, defaultCurrency: "PEN" }, "amount"],
    ["no currency at all", { columns: { cip: "CIP", amount: "Monto" } }, "map a currency column or set a default currency"],
    ["an unknown default currency", { columns: { cip: "CIP", amount: "Monto" }, defaultCurrency: "EUR" }, "defaultCurrency"],
    ["names without a header row", { columns: { cip: "CIP", amount: 1 }, defaultCurrency: "PEN", hasHeaderRow: false }, "only be given by index"],
    ["a negative index", { columns: { cip: -1, amount: 1 }, defaultCurrency: "PEN" }, "cip"],
    ["two fields on one column", { columns: { cip: "CIP", amount: "Monto", net: "monto" }, defaultCurrency: "PEN" }, "same column as amount"],
    ["an empty header name", { columns: { cip: " ", amount: "Monto" }, defaultCurrency: "PEN" }, "cip"],
  ])("rejects %s", (_what, input, message) => {
    const result = settlementColumnMappingSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });
});

describe("normalizeHeader", () => {
  it.each([
    ["Nro. Operación", "nro operacion"],
    ["  CÓDIGO   CIP ", "codigo cip"],
    ["Comisión (S/)", "comision s"],
    ["N° operación", "n operacion"],
  ])("%j → %j", (header, expected) => {
    expect(normalizeHeader(header)).toBe(expected);
  });
});

describe("resolveColumnMapping", () => {
  it("matches names ignoring case, accents and punctuation", () => {
    const mapping = settlementColumnMappingSchema.parse({
      columns: { cip: "codigo cip", amount: "MONTO", currency: "moneda", operationNumber: "nro operacion", payoutDate: "Fecha de Abono" },
    });
    const resolved = resolveColumnMapping(mapping, PORTAL_HEADERS);
    expect(resolved).toEqual({
      ok: true,
      value: { indexes: { cip: 0, amount: 1, currency: 2, payoutDate: 7, operationNumber: 8 }, defaultCurrency: null },
    });
  });

  it("takes indexes as they are and mixes them with names", () => {
    const mapping = settlementColumnMappingSchema.parse({ columns: { cip: 0, amount: "Monto", paymentDate: 3 }, defaultCurrency: "USD" });
    expect(resolveColumnMapping(mapping, PORTAL_HEADERS)).toEqual({
      ok: true,
      value: { indexes: { cip: 0, amount: 1, paymentDate: 3 }, defaultCurrency: "USD" },
    });
  });

  it("resolves index mappings for files without a header row", () => {
    const mapping = settlementColumnMappingSchema.parse({ columns: { cip: 2, amount: 0 }, defaultCurrency: "PEN", hasHeaderRow: false });
    expect(resolveColumnMapping(mapping, null)).toMatchObject({ ok: true, value: { indexes: { cip: 2, amount: 0 } } });
  });

  it.each([
    [{ columns: { cip: "CIP", amount: "Importe" }, defaultCurrency: "PEN" }, PORTAL_HEADERS, "header_not_found", '"CIP" for cip is not in the header row'],
    [{ columns: { cip: "Código CIP", amount: "Monto" }, defaultCurrency: "PEN" }, ["Código CIP", "Monto", "MONTO"], "ambiguous_header", "appears more than once"],
    [{ columns: { cip: 0, amount: 12 }, defaultCurrency: "PEN" }, PORTAL_HEADERS, "column_out_of_range", "the file has 9 columns"],
    [{ columns: { cip: "Código CIP", amount: "Monto" }, defaultCurrency: "PEN" }, null, "no_header_row", "no header row"],
  ] as const)("reports %j against %j as %s", (input, headers, kind, message) => {
    const result = resolveColumnMapping(settlementColumnMappingSchema.parse(input), headers);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe(kind);
    expect(describeMappingError(result.error)).toContain(message);
  });
});

describe("suggestColumnMapping", () => {
  it("recognises the portal's Spanish headers", () => {
    expect(suggestColumnMapping(PORTAL_HEADERS)).toEqual({
      cip: "Código CIP",
      amount: "Monto",
      currency: "Moneda",
      paymentDate: "Fecha de pago",
      channel: "Canal",
      commission: "Comisión",
      net: "Neto",
      payoutDate: "Fecha de abono",
      operationNumber: "Nro. operación",
    });
  });

  it("suggests only what it recognises", () => {
    expect(suggestColumnMapping(["CIP", "Importe", "Algo"])).toEqual({ cip: "CIP", amount: "Importe" });
    expect(suggestColumnMapping([])).toEqual({});
  });
});
