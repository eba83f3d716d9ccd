import { type Currency } from "../../domain/money";
import { type ResolvedColumnMapping, type SettlementField } from "../../domain/settlement/column-mapping";
import { assertUnreachable } from "../../lib/assert-unreachable";
import type { SettlementRowError, SettlementRowResult } from "../../ports/settlement-files";
import { parseAmountCell } from "./settlement-amount";
import { parseSettlementDate } from "./settlement-date";

/** A cell as the CSV or XLSX reader hands it over. */
export type SettlementCell = string | number | Date | boolean | null | undefined;

export function rowFailure(lineNumber: number, error: SettlementRowError, fatal = false): SettlementRowResult {
  return { lineNumber, ok: false, reason: describeRowError(error), error, ...(fatal ? { fatal: true as const } : {}) };
}

export function describeRowError(error: SettlementRowError): string {
  switch (error.kind) {
    case "missing_value":
      return `${error.field} is empty`;
    case "invalid_value":
      return `${error.field} "${error.value}": ${error.detail}`;
    case "currency_conflict":
      return `the amount is written in ${error.amountCurrency} but the currency is ${error.currency}`;
    case "malformed_line":
      return `the line cannot be read: ${error.detail}`;
    case "bad_mapping":
      return error.detail;
    case "empty_file":
      return "the file has no header row";
    default:
      return assertUnreachable(error);
  }
}

/** A row whose cells are all blank: skipped silently (spacer rows, trailing separators). */
export function isBlankRow(cells: readonly SettlementCell[]): boolean {
  for (const cell of cells) {
    if (cell === null || cell === undefined) continue;
    if (typeof cell === "string" && cell.trim() === "") continue;
    return false;
  }
  return true;
}

type FieldResult<T> = { ok: true; value: T } | { ok: false; error: SettlementRowError };

/**
 * One data row into a settlement line, or the first problem found. Required: a CIP of digits, an
 * amount, and a currency (its column, else the amount's symbol, else the mapping's default; a symbol
 * that contradicts the column is an error). Optional columns that are
 * mapped but empty are null; mapped but unreadable is an error, since a half-read line would reconcile
 * wrongly.
 */
export function parseSettlementRow(
  cells: readonly SettlementCell[],
  mapping: ResolvedColumnMapping,
  lineNumber: number,
): SettlementRowResult {
  const { indexes } = mapping;
  const cip = readCip(cells[indexes.cip]);
  if (!cip.ok) return rowFailure(lineNumber, cip.error);

  const amountCell = cells[indexes.amount];
  if (isEmpty(amountCell)) return rowFailure(lineNumber, { kind: "missing_value", field: "amount" });
  const amount = parseAmountCell(numberOrText(amountCell));
  if (!amount.ok) return rowFailure(lineNumber, invalid("amount", amountCell, amountDetail(amount.error)));

  const hint = amount.value.currencyHint;
  const currency = readCurrency(indexes.currency === undefined ? undefined : cells[indexes.currency], hint, mapping);
  if (!currency.ok) return rowFailure(lineNumber, currency.error);
  if (hint !== null && hint !== currency.value) {
    return rowFailure(lineNumber, { kind: "currency_conflict", currency: currency.value, amountCurrency: hint });
  }

  const paymentDate = readDate(cells, indexes.paymentDate, "paymentDate");
  if (!paymentDate.ok) return rowFailure(lineNumber, paymentDate.error);
  const payoutDate = readDate(cells, indexes.payoutDate, "payoutDate");
  if (!payoutDate.ok) return rowFailure(lineNumber, payoutDate.error);
  const commission = readMoney(cells, indexes.commission, "commission", currency.value);
  if (!commission.ok) return rowFailure(lineNumber, commission.error);
  const net = readMoney(cells, indexes.net, "net", currency.value);
  if (!net.ok) return rowFailure(lineNumber, net.error);

  return {
    lineNumber,
    ok: true,
    line: {
      cip: cip.value,
      amountMinor: amount.value.amountMinor,
      currency: currency.value,
      paymentDate: paymentDate.value,
      channel: readText(cells, indexes.channel),
      commissionMinor: commission.value,
      netMinor: net.value,
      payoutDate: payoutDate.value,
      operationNumber: readIdentifier(cells, indexes.operationNumber),
      lineNumber,
    },
  };
}

function readCip(cell: SettlementCell): FieldResult<string> {
  if (isEmpty(cell)) return { ok: false, error: { kind: "missing_value", field: "cip" } };
  const text = identifierText(cell);
  if (text === null || !/^\d{1,20}$/.test(text)) return { ok: false, error: invalid("cip", cell, "a CIP is a number") };
  return { ok: true, value: text };
}

const CURRENCY_WORDS: ReadonlyMap<string, Currency> = new Map([
  ["pen", "PEN"],
  ["s/", "PEN"],
  ["s/.", "PEN"],
  ["s", "PEN"],
  ["sol", "PEN"],
  ["soles", "PEN"],
  ["nuevos soles", "PEN"],
  ["usd", "USD"],
  ["us$", "USD"],
  ["$", "USD"],
  ["dolar", "USD"],
  ["dolares", "USD"],
  ["dolares americanos", "USD"],
]);

/** The currency column's value; when it is empty, the amount's own symbol ("S/ 80.00"), then the default. */
function readCurrency(
  cell: SettlementCell,
  amountHint: Currency | null,
  mapping: ResolvedColumnMapping,
): FieldResult<Currency> {
  if (cell === "PEN" || cell === "USD") return { ok: true, value: cell };
  if (isEmpty(cell)) {
    if (amountHint) return { ok: true, value: amountHint };
    if (mapping.defaultCurrency) return { ok: true, value: mapping.defaultCurrency };
    return { ok: false, error: { kind: "missing_value", field: "currency" } };
  }
  const word = String(cell)
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
  const currency = CURRENCY_WORDS.get(word);
  if (!currency) return { ok: false, error: invalid("currency", cell, "expected PEN or USD") };
  return { ok: true, value: currency };
}

function readDate(
  cells: readonly SettlementCell[],
  index: number | undefined,
  field: "paymentDate" | "payoutDate",
): FieldResult<Date | null> {
  if (index === undefined) return { ok: true, value: null };
  const cell = cells[index];
  if (cell === null || cell === undefined || isEmpty(cell)) return { ok: true, value: null };
  if (typeof cell === "boolean") return { ok: false, error: invalid(field, cell, "not a date") };
  const parsed = parseSettlementDate(cell);
  if (!parsed.ok) {
    return { ok: false, error: invalid(field, cell, parsed.error.kind === "empty" ? "empty" : parsed.error.detail) };
  }
  return { ok: true, value: parsed.value };
}

function readMoney(
  cells: readonly SettlementCell[],
  index: number | undefined,
  field: "commission" | "net",
  currency: Currency,
): FieldResult<number | null> {
  if (index === undefined) return { ok: true, value: null };
  const cell = cells[index];
  if (isEmpty(cell)) return { ok: true, value: null };
  const parsed = parseAmountCell(numberOrText(cell));
  if (!parsed.ok) return { ok: false, error: invalid(field, cell, amountDetail(parsed.error)) };
  if (parsed.value.currencyHint !== null && parsed.value.currencyHint !== currency) {
    return { ok: false, error: { kind: "currency_conflict", currency, amountCurrency: parsed.value.currencyHint } };
  }
  return { ok: true, value: parsed.value.amountMinor };
}

function readText(cells: readonly SettlementCell[], index: number | undefined): string | null {
  if (index === undefined) return null;
  const cell = cells[index];
  if (isEmpty(cell)) return null;
  return cell instanceof Date ? cell.toISOString() : String(cell).trim();
}

function readIdentifier(cells: readonly SettlementCell[], index: number | undefined): string | null {
  if (index === undefined) return null;
  const cell = cells[index];
  if (isEmpty(cell)) return null;
  return identifierText(cell) ?? String(cell).trim();
}

/** Identifiers may come from XLSX as numbers: 11546901 → "11546901", never "1.15e7". */
function identifierText(cell: SettlementCell): string | null {
  if (typeof cell === "string") return cell.trim();
  if (typeof cell === "number") return Number.isSafeInteger(cell) && cell >= 0 ? String(cell) : null;
  return null;
}

function numberOrText(cell: SettlementCell): string | number {
  if (typeof cell === "number" || typeof cell === "string") return cell;
  return cell instanceof Date ? cell.toISOString() : String(cell);
}

function isEmpty(cell: SettlementCell): boolean {
  return cell === null || cell === undefined || (typeof cell === "string" && cell.trim() === "");
}

function invalid(field: SettlementField, cell: SettlementCell, detail: string): SettlementRowError {
  const value = cell instanceof Date ? cell.toISOString() : String(cell);
  return { kind: "invalid_value", field, value: value.length > 60 ? `${value.slice(0, 57)}...` : value, detail };
}

function amountDetail(error: { kind: "empty" } | { kind: "invalid_amount"; detail: string }): string {
  return error.kind === "empty" ? "empty" : error.detail;
}
