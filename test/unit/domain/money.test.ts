import { describe, expect, it } from "vitest";

import {
  addMoney,
  CURRENCIES,
  type Currency,
  formatDecimal,
  formatForDisplay,
  isCurrency,
  type Money,
  moneyEquals,
  moneyFromMinor,
  parseDecimalAmount,
  parseDecimalNumber,
  subtractMoney,
  zeroMoney,
} from "../../../app/domain/money";

const pen = (amountMinor: number): Money => ({ amountMinor, currency: "PEN" });
const usd = (amountMinor: number): Money => ({ amountMinor, currency: "USD" });

describe("CURRENCIES", () => {
  it("lists exactly PEN and USD", () => {
    expect(CURRENCIES).toStrictEqual(["PEN", "USD"]);
    expect(isCurrency("PEN")).toBe(true);
    expect(isCurrency("pen")).toBe(false);
    expect(isCurrency("EUR")).toBe(false);
    expect(isCurrency(undefined)).toBe(false);
  });
});

describe("parseDecimalAmount", () => {
  it.each([
    ["123.00", 12300],
    ["123", 12300],
    ["123.5", 12350],
    ["123.05", 12305],
    ["0", 0],
    ["0.00", 0],
    ["0.01", 1],
    ["0.1", 10],
    ["007.50", 750],
    ["385000.00", 38_500_000],
    ["90071992547409.91", Number.MAX_SAFE_INTEGER],
  ])("parses %s as %d minor units", (input, expected) => {
    expect(parseDecimalAmount(input, "PEN")).toStrictEqual({ ok: true, value: pen(expected) });
  });

  it.each([
    "1e3",
    "-1",
    "+1",
    "12.345",
    "12.340",
    "",
    " 1",
    "1 ",
    "NaN",
    "Infinity",
    "1,000.00",
    "1.",
    ".5",
    "0x10",
    "1_000",
    "١٢٣", // Arabic-Indic digits: \d in JS is ASCII only, but keep the case pinned.
    "90071992547409.92", // one céntimo past Number.MAX_SAFE_INTEGER
    "99999999999999999999.99",
  ])("rejects %j", (input) => {
    const result = parseDecimalAmount(input, "PEN");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe("invalid_amount");
  });

  it("keeps the currency and refuses an unsupported one at run time", () => {
    expect(parseDecimalAmount("1.00", "USD")).toStrictEqual({ ok: true, value: usd(100) });
    const result = parseDecimalAmount("1.00", "EUR" as Currency);
    expect(result).toStrictEqual({ ok: false, error: { kind: "unsupported_currency", input: "EUR" } });
  });

  it("refuses a non-string at run time", () => {
    expect(parseDecimalAmount(12 as unknown as string, "PEN").ok).toBe(false);
  });
});

describe("parseDecimalNumber", () => {
  it.each([
    [22.05, 2205],
    [1, 100],
    [100.0, 10000],
    [0, 0],
    [-0, 0],
    [0.01, 1],
    [0.1, 10],
    [0.29, 29], // 0.29 * 100 is 28.999999999999996 in binary floating point
    [1.005, null], // three decimals
    [4.35, 435], // 4.35 * 100 is 434.99999999999994
    [385000, 38_500_000],
    [67109670.18, 6_710_967_018], // n * 100 is 6710967018.000001: a fixed epsilon would refuse it
    [1234567890123.45, 123_456_789_012_345],
    // Near 2^53 / 100 a double cannot tell .90 from .91 apart; the text it prints is what is parsed.
    [90071992547409.9, 9_007_199_254_740_990],
    [1e21, null],
    [1e-7, null],
    [22.055, null],
    [-1, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
  ])("converts %d to %s", (input, expected) => {
    const result = parseDecimalNumber(input, "PEN");
    if (expected === null) {
      expect(result.ok).toBe(false);
    } else {
      expect(result).toStrictEqual({ ok: true, value: pen(expected) });
      if (result.ok) expect(Object.is(result.value.amountMinor, -0)).toBe(false);
    }
  });
});

describe("formatDecimal", () => {
  it.each([
    [15000, "150.00"],
    [0, "0.00"],
    [1, "0.01"],
    [10, "0.10"],
    [2205, "22.05"],
    [123456789, "1234567.89"],
    [Number.MAX_SAFE_INTEGER, "90071992547409.91"],
    [-150, "-1.50"],
  ])("formats %d as %s", (minor, expected) => {
    expect(formatDecimal(pen(minor))).toBe(expected);
  });

  it("round-trips through parseDecimalAmount", () => {
    for (const minor of [0, 1, 99, 100, 101, 123456, Number.MAX_SAFE_INTEGER]) {
      expect(parseDecimalAmount(formatDecimal(usd(minor)), "USD")).toStrictEqual({ ok: true, value: usd(minor) });
    }
  });
});

describe("formatForDisplay", () => {
  it.each([
    [pen(15000), "es", "S/ 150.00"],
    [pen(15000), "en", "S/ 150.00"],
    [usd(15000), "es", "US$ 150.00"],
    [usd(15000), "en", "US$ 150.00"],
    [pen(123450), "es", "S/ 1,234.50"],
    [pen(0), "es", "S/ 0.00"],
    [pen(99999), "es", "S/ 999.99"],
    [pen(100000), "es", "S/ 1,000.00"],
    [usd(123456789012), "en", "US$ 1,234,567,890.12"],
    [pen(-123450), "es", "-S/ 1,234.50"],
  ] as const)("shows %o in %s as %s", (money, locale, expected) => {
    expect(formatForDisplay(money, locale)).toBe(expected);
  });
});

describe("arithmetic", () => {
  it("adds and subtracts the same currency", () => {
    expect(addMoney(pen(150), pen(250))).toStrictEqual({ ok: true, value: pen(400) });
    expect(subtractMoney(pen(150), pen(250))).toStrictEqual({ ok: true, value: pen(-100) });
    expect(subtractMoney(pen(150), pen(150))).toStrictEqual({ ok: true, value: pen(0) });
  });

  it("refuses to mix currencies", () => {
    expect(addMoney(pen(1), usd(1))).toStrictEqual({
      ok: false,
      error: { kind: "currency_mismatch", left: "PEN", right: "USD" },
    });
    expect(subtractMoney(usd(1), pen(1)).ok).toBe(false);
  });

  it("reports overflow beyond exact integers", () => {
    expect(addMoney(pen(Number.MAX_SAFE_INTEGER), pen(1))).toStrictEqual({ ok: false, error: { kind: "overflow" } });
    expect(subtractMoney(pen(-Number.MAX_SAFE_INTEGER), pen(1))).toStrictEqual({
      ok: false,
      error: { kind: "overflow" },
    });
  });

  it("compares amount and currency", () => {
    expect(moneyEquals(pen(100), pen(100))).toBe(true);
    expect(moneyEquals(pen(100), pen(101))).toBe(false);
    expect(moneyEquals(pen(100), usd(100))).toBe(false);
  });
});

describe("moneyFromMinor and zeroMoney", () => {
  it("accepts safe integers only", () => {
    expect(moneyFromMinor(150, "PEN")).toStrictEqual({ ok: true, value: pen(150) });
    expect(moneyFromMinor(1.5, "PEN").ok).toBe(false);
    expect(moneyFromMinor(Number.MAX_SAFE_INTEGER + 1, "PEN").ok).toBe(false);
    expect(moneyFromMinor(Number.NaN, "PEN").ok).toBe(false);
    expect(zeroMoney("USD")).toStrictEqual(usd(0));
  });
});
