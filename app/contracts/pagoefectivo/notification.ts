import { parse as parseLossless } from "lossless-json";

import { parsePagoEfectivoDate } from "../../domain/lima-time";
import { isCurrency, type Money, parseDecimalAmount } from "../../domain/money";
import { findNulCharacter } from "../../lib/nul-characters";
import { err, ok, type Result } from "../../lib/result";

/**
 * A PagoEfectivo notification after its signature was verified. DOC documents only "cip.paid"
 * ({"eventType","operationNumber","data":{"cip","currency","amount"}}); paymentDate and transactionCode
 * are read by several integrations and treated as optional; "cip.expired" and "cip.refunded" are seen in
 * one integration only, so their payload is assumed to look like "cip.paid".
 */
export type PagoEfectivoNotification =
  | {
      readonly type: "cip.paid";
      readonly operationNumber: string;
      readonly cip: string;
      readonly amount: Money;
      readonly paymentDate: Date | null;
      readonly transactionCode: string | null;
      readonly raw: unknown;
    }
  | {
      readonly type: "cip.expired" | "cip.refunded";
      readonly operationNumber: string | null;
      readonly cip: string;
      readonly amount: Money | null;
      readonly transactionCode: string | null;
      readonly raw: unknown;
    }
  | { readonly type: "unknown"; readonly eventType: string; readonly raw: unknown };

export interface NotificationParseError {
  readonly reason: "malformed_json" | "not_an_object" | "missing_field" | "invalid_field";
  readonly field?: string;
  readonly message: string;
}

type JsonObject = Record<string, unknown>;

/**
 * A JSON number as the literal PagoEfectivo wrote: "amount":22.05 is N(18,2) (DOC §5.2), and reading it through
 * a double would turn 22.055 into an amount nobody sent. lossless-json hands every number over as its text.
 */
class NumberLiteral {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
}

const CIP_DIGITS = /^\d{1,14}$/;

/** Parses the verified raw body. Never throws; anything unexpected comes back as an error value. */
export function parsePagoEfectivoNotification(
  rawBody: Buffer | string,
): Result<PagoEfectivoNotification, NotificationParseError> {
  const text = (typeof rawBody === "string" ? rawBody : rawBody.toString("utf8")).replace(/^\uFEFF/, "");
  let raw: unknown;
  try {
    raw = parseLossless(text, null, (literal: string) => new NumberLiteral(literal));
  } catch {
    return err({ reason: "malformed_json", message: "The body is not valid JSON." });
  }
  if (!isObject(raw)) return err({ reason: "not_an_object", message: "The body is not a JSON object." });
  const nul = findNulCharacter(raw);
  if (nul !== null) return invalid(nul, "must not contain a NUL character");

  const eventType = field(raw, "eventType");
  if (eventType === undefined || eventType === null) return missing("eventType");
  if (typeof eventType !== "string" || eventType.trim() === "") return invalid("eventType", "must be a non-empty string");

  switch (eventType) {
    case "cip.paid":
      return parsePaid(raw);
    case "cip.expired":
    case "cip.refunded":
      return parseOther(raw, eventType);
    default:
      return ok({ type: "unknown", eventType, raw });
  }
}

function parsePaid(raw: JsonObject): Result<PagoEfectivoNotification, NotificationParseError> {
  const data = field(raw, "data");
  if (!isObject(data)) return data === undefined || data === null ? missing("data") : invalid("data", "must be an object");

  const operationNumber = textOf(field(raw, "operationNumber"));
  if (operationNumber === undefined) return missing("operationNumber");
  if (operationNumber === null) return invalid("operationNumber", "must be a string or a number");

  const cip = parseCip(data);
  if (!cip.ok) return cip;
  const amount = parseAmount(data, true);
  if (!amount.ok) return amount;
  if (amount.value === null) return missing("data.amount");

  return ok({
    type: "cip.paid",
    operationNumber,
    cip: cip.value,
    amount: amount.value,
    paymentDate: optionalDate(field(data, "paymentDate")),
    transactionCode: optionalText(field(data, "transactionCode")),
    raw,
  });
}

function parseOther(
  raw: JsonObject,
  type: "cip.expired" | "cip.refunded",
): Result<PagoEfectivoNotification, NotificationParseError> {
  const data = field(raw, "data");
  if (!isObject(data)) return data === undefined || data === null ? missing("data") : invalid("data", "must be an object");
  const cip = parseCip(data);
  if (!cip.ok) return cip;
  const amount = parseAmount(data, false);
  if (!amount.ok) return amount;
  return ok({
    type,
    operationNumber: optionalText(field(raw, "operationNumber")),
    cip: cip.value,
    amount: amount.value,
    transactionCode: optionalText(field(data, "transactionCode")),
    raw,
  });
}

function parseCip(data: JsonObject): Result<string, NotificationParseError> {
  const value = textOf(field(data, "cip"));
  if (value === undefined) return missing("data.cip");
  if (value === null || !CIP_DIGITS.test(value)) return invalid("data.cip", "must be 1 to 14 digits");
  return ok(value);
}

/** amount is N(18,2): a JSON number (22.05, 100) or, defensively, a numeric string ("100.00"). */
function parseAmount(data: JsonObject, required: boolean): Result<Money | null, NotificationParseError> {
  const amount = field(data, "amount");
  const currency = field(data, "currency");
  if ((amount === undefined || amount === null) && !required) return ok(null);
  if (amount === undefined || amount === null) return missing("data.amount");
  if (currency === undefined || currency === null) return missing("data.currency");
  if (!isCurrency(currency)) return invalid("data.currency", "must be PEN or USD");
  const parsed =
    amount instanceof NumberLiteral
      ? parseDecimalAmount(amount.text, currency)
      : typeof amount === "string"
        ? parseDecimalAmount(amount.trim(), currency)
        : null;
  if (parsed === null || !parsed.ok) return invalid("data.amount", "must be a non-negative amount with at most 2 decimals");
  return ok(parsed.value);
}

// Optional metadata must not block a payment: an unreadable paymentDate becomes null rather than an error.
function optionalDate(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const parsed = parsePagoEfectivoDate(value);
  return parsed.ok ? parsed.value : null;
}

function optionalText(value: unknown): string | null {
  const text = textOf(value);
  return text === undefined || text === null || text === "" ? null : text;
}

/** string as-is (trimmed), integer number as its digits; undefined when absent, null when unusable. */
function textOf(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value.trim();
  if (value instanceof NumberLiteral && /^\d{1,15}$/.test(value.text)) return value.text;
  return null;
}

/**
 * Field lookup that ignores the case of the key: DOC writes camelCase, but .NET-based senders are known
 * to use PascalCase ("PaymentDate"). An exact match wins over a case-insensitive one.
 */
function field(object: JsonObject, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function missing(name: string): Result<never, NotificationParseError> {
  return err({ reason: "missing_field", field: name, message: `The notification has no ${name}.` });
}

function invalid(name: string, why: string): Result<never, NotificationParseError> {
  return err({ reason: "invalid_field", field: name, message: `The notification's ${name} ${why}.` });
}
