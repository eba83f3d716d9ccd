import { describe, expect, it } from "vitest";

import { parseAmountCell, parseSettlementAmount } from "../../../../app/adapters/settlement-files/settlement-amount";

describe("parseSettlementAmount", () => {
  it.each<[string | number, number]>([
    ["150", 15000],
    ["150.00", 15000],
    ["1234.5", 123450],
    ["1234.50", 123450],
    ["0.01", 1],
    ["0", 0],
    ["007.50", 750],
    ["1,234.50", 123450],
    ["1,234", 123400],
    ["12,345,678.90", 1234567890],
    ["1.234,50", 123450],
    ["1.234.567,89", 123456789],
    ["150,5", 15050],
    ["150,50", 15050],
    ["S/ 150.00", 15000],
    ["S/150.00", 15000],
    ["S/. 150.00", 15000],
    ["S/.150", 15000],
    ["PEN 1,234.50", 123450],
    ["US$ 20.00", 2000],
    ["$20", 2000],
    ["20.00 USD", 2000],
    ["  150.00  ", 15000],
    ["\u00a0150.00", 15000],
    ["-150.00", -15000],
    ["−150.00", -15000],
    ["+150.00", 15000],
    ["-S/ 150.00", -15000],
    ["S/ -150.00", -15000],
    ["(150.00)", -15000],
    ["(S/ 1,234.50)", -123450],
    ["150.00-", -15000],
    ["-0.00", 0],
    ["9999999999999.99", 999999999999999],
    // Numbers from XLSX cells.
    [150, 15000],
    [1234.5, 123450],
    [19.99, 1999],
    [0.1 + 0.2, 30],
    [-5.25, -525],
    [0, 0],
    [-0, 0],
    [385000, 38500000],
  ])("%j → %i céntimos", (cell, expected) => {
    const result = parseSettlementAmount(cell);
    expect(result).toEqual({ ok: true, value: expected });
  });

  it.each<[string | number, string]>([
    ["", "empty"],
    ["   ", "empty"],
    ["abc", "not a number"],
    ["12abc", "not a number"],
    ["1e5", "not a number"],
    ["0x10", "not a number"],
    ["NaN", "not a number"],
    ["Infinity", "not a number"],
    ["--5", "not a number"],
    ["S/", "not a number"],
    ["12 345.00", "not a number"],
    [".50", "not a number"],
    ["150.", "misplaced separator"],
    ["1.2.3", "thousands separators in the wrong places"],
    ["1,23,456.00", "thousands separators in the wrong places"],
    ["1.234", "more than two decimals"],
    ["150.001", "more than two decimals"],
    ["10.005", "more than two decimals"],
    ["1,2,3", "thousands separators in the wrong places"],
    ["1.234,567", "more than two decimals"],
    ["12345678901234.00", "too large"],
    [10.005, "more than two decimals"],
    [0.001, "more than two decimals"],
    [Number.NaN, "not a finite number"],
    [Number.POSITIVE_INFINITY, "not a finite number"],
    [1e20, "too large"],
  ])("rejects %j (%s)", (cell, detail) => {
    const result = parseSettlementAmount(cell);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    if (detail === "empty") expect(result.error).toEqual({ kind: "empty" });
    else expect(result.error).toMatchObject({ kind: "invalid_amount", detail });
  });

  it("tells which currency a symbol implies", () => {
    expect(parseAmountCell("S/ 10.00")).toEqual({ ok: true, value: { amountMinor: 1000, currencyHint: "PEN" } });
    expect(parseAmountCell("US$ 10.00")).toEqual({ ok: true, value: { amountMinor: 1000, currencyHint: "USD" } });
    expect(parseAmountCell("10.00")).toEqual({ ok: true, value: { amountMinor: 1000, currencyHint: null } });
    expect(parseAmountCell(10)).toEqual({ ok: true, value: { amountMinor: 1000, currencyHint: null } });
  });
});
