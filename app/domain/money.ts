import { err, ok, type Result } from "../lib/result";

/**
 * Money inside the app is an integer number of minor units (céntimos / cents) plus an ISO currency.
 * Decimal text exists only at the edges: Shopify's "123.00" strings and PagoEfectivo's JSON numbers.
 */
export const CURRENCIES = ["PEN", "USD"] as const;
export type Currency = (typeof CURRENCIES)[number];

export interface Money {
  readonly amountMinor: number;
  readonly currency: Currency;
}

export type MoneyError =
  | { readonly kind: "invalid_amount"; readonly input: string; readonly reason: string }
  | { readonly kind: "unsupported_currency"; readonly input: string }
  | { readonly kind: "currency_mismatch"; readonly left: Currency; readonly right: Currency }
  | { readonly kind: "overflow" };

export type DisplayLocale = "es" | "en";

const MINOR_PER_MAJOR = 100;
const MAX_MINOR = BigInt(Number.MAX_SAFE_INTEGER);
// Unsigned, at most two decimals, no exponent, no whitespace: exactly what Shopify sends for PEN/USD.
const DECIMAL_PATTERN = /^(\d+)(?:\.(\d{1,2}))?$/;
const DISPLAY_SYMBOL: Record<Currency, string> = { PEN: "S/", USD: "US$" };

export function isCurrency(value: unknown): value is Currency {
  return typeof value === "string" && (CURRENCIES as readonly string[]).includes(value);
}

/** A currency code from outside (a request, a file, a stored row): an unknown one is an error, never PEN by default. */
export function parseCurrency(value: unknown): Result<Currency, MoneyError> {
  return isCurrency(value) ? ok(value) : err({ kind: "unsupported_currency", input: String(value) });
}

/** Builds Money from minor units, refusing fractions and values beyond exact double precision. */
export function moneyFromMinor(amountMinor: number, currency: Currency): Result<Money, MoneyError> {
  if (!isCurrency(currency)) return err({ kind: "unsupported_currency", input: String(currency) });
  if (!Number.isSafeInteger(amountMinor)) {
    return err({ kind: "invalid_amount", input: String(amountMinor), reason: "minor units must be a safe integer" });
  }
  return ok({ amountMinor: normalizeZero(amountMinor), currency });
}

export function zeroMoney(currency: Currency): Money {
  return { amountMinor: 0, currency };
}

/**
 * Parses a non-negative decimal string with at most two decimals ("123", "123.5", "123.00").
 * Digit arithmetic only (BigInt over the digit string), so no binary floating point touches the value.
 */
export function parseDecimalAmount(input: string, currency: Currency): Result<Money, MoneyError> {
  if (!isCurrency(currency)) return err({ kind: "unsupported_currency", input: String(currency) });
  if (typeof input !== "string") {
    return err({ kind: "invalid_amount", input: String(input), reason: "amount must be a string" });
  }
  const match = DECIMAL_PATTERN.exec(input);
  if (!match) {
    return err({
      kind: "invalid_amount",
      input,
      reason: "expected digits with an optional '.' and at most two decimals",
    });
  }
  const integerDigits = match[1] ?? "0";
  const fractionDigits = (match[2] ?? "").padEnd(2, "0");
  const minor = BigInt(integerDigits + fractionDigits);
  if (minor > MAX_MINOR) {
    return err({ kind: "invalid_amount", input, reason: "amount is too large to represent exactly" });
  }
  return ok({ amountMinor: Number(minor), currency });
}

/**
 * Converts a JSON number from PagoEfectivo (22.05, 1, 100) into Money.
 * String(n) is the shortest text that round-trips to the same double, so 22.05 prints as "22.05" and a
 * value with a third decimal (22.055) prints with it and is refused. Parsing that text is exact at every
 * magnitude, whereas n * 100 picks up float error that grows with the value (67109670.18 * 100 is
 * 6710967018.000001), so a fixed "close to an integer" tolerance would wrongly refuse large amounts.
 */
export function parseDecimalNumber(n: number, currency: Currency): Result<Money, MoneyError> {
  if (!isCurrency(currency)) return err({ kind: "unsupported_currency", input: String(currency) });
  if (typeof n !== "number" || !Number.isFinite(n)) {
    return err({ kind: "invalid_amount", input: String(n), reason: "amount must be a finite number" });
  }
  if (n < 0) return err({ kind: "invalid_amount", input: String(n), reason: "amount must not be negative" });
  // Exponent forms ("1e+21", "1e-7") fail the decimal pattern, so huge and tiny values are refused too.
  return parseDecimalAmount(String(n), currency);
}

/** "150.00": the decimal text PagoEfectivo and Shopify expect (two decimals, '.' separator, no grouping). */
export function formatDecimal(money: Money): string {
  const negative = money.amountMinor < 0;
  const absolute = Math.abs(money.amountMinor);
  const major = Math.floor(absolute / MINOR_PER_MAJOR);
  const minor = absolute % MINOR_PER_MAJOR;
  return `${negative ? "-" : ""}${major}.${String(minor).padStart(2, "0")}`;
}

/**
 * "S/ 1,234.50" or "US$ 150.00". Peru writes amounts with ',' for thousands and '.' for decimals in
 * both Spanish and English, so the locale does not change the digits today; it stays in the signature
 * so callers do not have to change if a locale ever needs a different layout.
 */
export function formatForDisplay(money: Money, _locale: DisplayLocale): string {
  const [major = "0", minor = "00"] = formatDecimal({ ...money, amountMinor: Math.abs(money.amountMinor) }).split(".");
  const grouped = major.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const sign = money.amountMinor < 0 ? "-" : "";
  return `${sign}${DISPLAY_SYMBOL[money.currency]} ${grouped}.${minor}`;
}

export function addMoney(a: Money, b: Money): Result<Money, MoneyError> {
  if (a.currency !== b.currency) return err({ kind: "currency_mismatch", left: a.currency, right: b.currency });
  return checked(a.amountMinor + b.amountMinor, a.currency);
}

export function subtractMoney(a: Money, b: Money): Result<Money, MoneyError> {
  if (a.currency !== b.currency) return err({ kind: "currency_mismatch", left: a.currency, right: b.currency });
  return checked(a.amountMinor - b.amountMinor, a.currency);
}

/** Same currency and same amount. Different currencies are never equal, whatever the amounts. */
export function moneyEquals(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.amountMinor === b.amountMinor;
}

function checked(amountMinor: number, currency: Currency): Result<Money, MoneyError> {
  if (!Number.isSafeInteger(amountMinor)) return err({ kind: "overflow" });
  return ok({ amountMinor: normalizeZero(amountMinor), currency });
}

// -0 would print and compare oddly (Object.is, JSON); keep a single zero.
function normalizeZero(n: number): number {
  return n === 0 ? 0 : n;
}

/** Céntimos as a decimal string with two places and no grouping: 123450 → "1234.50", -5 → "-0.05". */
export function formatMinor(amountMinor: number): string {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`not an integer amount: ${amountMinor}`);
  const sign = amountMinor < 0 ? "-" : "";
  const abs = Math.abs(amountMinor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
