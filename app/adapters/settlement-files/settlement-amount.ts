import { type Currency } from "../../domain/money";
import { err, ok, type Result } from "../../lib/result";

export type AmountParseError =
  | { readonly kind: "empty" }
  | { readonly kind: "invalid_amount"; readonly input: string; readonly detail: string };

export interface ParsedAmount {
  readonly amountMinor: number;
  /** The currency a symbol in the cell implies ("S/ 150.00" → PEN, "US$ 20" → USD), else null. */
  readonly currencyHint: Currency | null;
}

/**
 * A money cell from a settlement file as integer céntimos, without ever going through a binary float for
 * text. Accepted text: "1234.5", "150", "1,234.50", "1.234,50", "150,5", an optional currency symbol
 * before or after ("S/ 150.00", "S/. 150", "PEN 150", "US$ 20", "150.00 USD"), and negatives written
 * "-150.00", "S/ -150.00", "(150.00)" or "150.00-". At most two decimals.
 *
 * Separators: with both "." and ",", the last one is the decimal separator and the other groups
 * thousands. With only ",", it is the decimal separator when it appears once followed by one or two
 * digits ("150,5"), otherwise it groups thousands ("1,234"). A lone "." is always the decimal point, so
 * "1.234" is rejected (three decimals) rather than guessed to be 1234. Thousands groups must have three
 * digits. Numbers (XLSX numeric cells) are converted with Math.round(n × 100) after checking that n has
 * no more than two decimals.
 */
export function parseSettlementAmount(cell: string | number): Result<number, AmountParseError> {
  const parsed = parseAmountCell(cell);
  return parsed.ok ? ok(parsed.value.amountMinor) : parsed;
}

export function parseAmountCell(cell: string | number): Result<ParsedAmount, AmountParseError> {
  if (typeof cell === "number") return parseNumberCell(cell);
  return parseTextCell(cell);
}

const CURRENCY_PREFIX = /^(S\/\.?|PEN|USD|US\$|\$)\s*/i;
const CURRENCY_SUFFIX = /\s*(S\/\.?|PEN|USD|US\$|\$)$/i;
/** The plain form most exports use ("150", "-1234.5", "1234.50"): no symbol, no grouping. */
const PLAIN = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/;
/** Peru's usual written form, "1,234.50": comma thousands, dot decimals. */
const COMMA_GROUPED = /^(-?)(\d{1,3}(?:,\d{3}){1,4})(?:\.(\d{1,2}))?$/;

function parseTextCell(cell: string): Result<ParsedAmount, AmountParseError> {
  // Fast paths first: they cover nearly every cell of a real export.
  const plain = PLAIN.exec(cell) ?? COMMA_GROUPED.exec(cell);
  if (plain) {
    const digits = plain[2] ?? "";
    const integer = digits.length > 3 && digits.includes(",") ? digits.replaceAll(",", "") : digits;
    const minor = Number(integer) * 100 + Number((plain[3] ?? "").padEnd(2, "0"));
    return ok({ amountMinor: plain[1] === "-" && minor !== 0 ? -minor : minor, currencyHint: null });
  }

  let text = cell.replace(/[\u00a0\u202f]/g, " ").trim();
  if (text === "") return err({ kind: "empty" });
  let negative = false;
  let signSeen = false;
  let currencyHint: Currency | null = null;

  const parenthesized = /^\((.*)\)$/.exec(text);
  if (parenthesized) {
    negative = true;
    signSeen = true;
    text = (parenthesized[1] ?? "").trim();
  }
  // A sign may stand before or after a leading currency symbol: "-S/ 150.00", "S/ -150.00".
  for (let pass = 0; pass < 2; pass += 1) {
    const sign = text.charAt(0);
    if (!signSeen && (sign === "-" || sign === "\u2212" || sign === "+")) {
      signSeen = true;
      negative = sign !== "+";
      text = text.slice(1).trimStart();
    }
    const prefix = pass === 0 ? CURRENCY_PREFIX.exec(text) : null;
    if (prefix) {
      currencyHint = currencyOfSymbol(prefix[1] ?? "");
      text = text.slice(prefix[0].length);
    }
  }
  const suffix = currencyHint === null ? CURRENCY_SUFFIX.exec(text) : null;
  if (suffix) {
    currencyHint = currencyOfSymbol(suffix[1] ?? "");
    text = text.slice(0, suffix.index);
  }
  if (!signSeen && text.endsWith("-")) {
    negative = true;
    text = text.slice(0, -1).trimEnd();
  }

  if (!/^\d[\d.,]*$/.test(text)) return invalidAmount(cell, "not a number");
  const split = splitDecimal(text);
  if (!split.ok) return invalidAmount(cell, split.error);
  const { integerDigits, fraction } = split.value;
  if (fraction.length > 2) return invalidAmount(cell, "more than two decimals");
  if (integerDigits.length > 13) return invalidAmount(cell, "too large");
  const minor = Number(integerDigits) * 100 + Number(fraction.padEnd(2, "0"));
  return ok({ amountMinor: negative && minor !== 0 ? -minor : minor, currencyHint });
}

function invalidAmount(input: string, detail: string): Result<never, AmountParseError> {
  return err({ kind: "invalid_amount", input, detail });
}

const GROUPED_BY_COMMA = /^\d{1,3}(?:,\d{3})*$/;
const GROUPED_BY_DOT = /^\d{1,3}(?:\.\d{3})*$/;

function splitDecimal(text: string): Result<{ integerDigits: string; fraction: string }, string> {
  const lastDot = text.lastIndexOf(".");
  const lastComma = text.lastIndexOf(",");
  let decimal: "." | "," | null = null;
  let grouping: "." | "," | null = null;
  if (lastDot >= 0 && lastComma >= 0) {
    decimal = lastDot > lastComma ? "." : ",";
    grouping = decimal === "." ? "," : ".";
  } else if (lastComma >= 0) {
    const single = text.indexOf(",") === lastComma;
    const after = text.length - lastComma - 1;
    if (single && (after === 1 || after === 2)) decimal = ",";
    else grouping = ",";
  } else if (lastDot >= 0) {
    if (text.indexOf(".") === lastDot) decimal = ".";
    else grouping = ".";
  }

  let integerPart = text;
  let fraction = "";
  if (decimal !== null) {
    const at = text.lastIndexOf(decimal);
    integerPart = text.slice(0, at);
    fraction = text.slice(at + 1);
    if (!/^\d+$/.test(fraction)) return err("misplaced separator");
    if (integerPart.includes(decimal)) return err("more than one decimal separator");
  }
  if (grouping !== null) {
    if (!(grouping === "," ? GROUPED_BY_COMMA : GROUPED_BY_DOT).test(integerPart)) {
      return err("thousands separators in the wrong places");
    }
    integerPart = integerPart.split(grouping).join("");
  }
  if (!/^\d+$/.test(integerPart)) return err("misplaced separator");
  return ok({ integerDigits: integerPart.replace(/^0+(?=\d)/, ""), fraction });
}

function parseNumberCell(cell: number): Result<ParsedAmount, AmountParseError> {
  const input = String(cell);
  if (!Number.isFinite(cell)) return err({ kind: "invalid_amount", input, detail: "not a finite number" });
  const scaled = cell * 100;
  const minor = Math.round(scaled);
  // Binary floats make 19.99 × 100 = 1998.9999999999998; a real third decimal is off by ≥ 0.001 × 100.
  if (Math.abs(scaled - minor) > Math.max(1e-6, Math.abs(minor) * 1e-12)) {
    return err({ kind: "invalid_amount", input, detail: "more than two decimals" });
  }
  if (!Number.isSafeInteger(minor)) return err({ kind: "invalid_amount", input, detail: "too large" });
  return ok({ amountMinor: minor === 0 ? 0 : minor, currencyHint: null });
}

function currencyOfSymbol(symbol: string): Currency {
  const upper = symbol.toUpperCase();
  return upper.startsWith("S/") || upper === "PEN" ? "PEN" : "USD";
}
