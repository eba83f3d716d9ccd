import { z } from "zod";

import { err, ok, type Result } from "../../lib/result";
import { type EmulatorCurrency, parseAmountLiteral } from "./emulator-money";
import { parseLimaDateTime } from "./lima-time";
import { JsonNumber, type LosslessJson, readCaseInsensitive } from "./lossless-json";
import { type FieldError, invalidField, requiredField } from "./v1-responses";

/**
 * The field table of POST /v1/cips (technical document §5.1.2), checked in table order. Missing mandatory fields
 * are 112 "Requerido.", present but wrong ones 113 "Valor inválido.". Fields typed N may arrive as JSON numbers.
 */
type Kind = "text" | "digits";
interface FieldRule {
  mandatory: boolean;
  kind: Kind;
  schema: z.ZodType<string>;
}

// Control characters are never valid in these AN fields.
// eslint-disable-next-line no-control-regex
const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;
const text = (min: number, max: number) => z.string().min(min).max(max).regex(NO_CONTROL_CHARS);
const email = text(1, 100).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/);

const RULES = {
  currency: { mandatory: true, kind: "text", schema: z.enum(["PEN", "USD"]) },
  transactionCode: { mandatory: true, kind: "text", schema: text(1, 36) },
  paymentConcept: { mandatory: false, kind: "text", schema: text(1, 50) },
  additionalData: { mandatory: false, kind: "text", schema: text(1, 200) },
  adminEmail: { mandatory: false, kind: "text", schema: email },
  userEmail: { mandatory: true, kind: "text", schema: email },
  // AN in DOC; the Django and PHP clients send it as a JSON number and are served (reference §7).
  userId: { mandatory: false, kind: "digits", schema: text(1, 100) },
  userName: { mandatory: false, kind: "text", schema: text(1, 30) },
  userLastName: { mandatory: false, kind: "text", schema: text(1, 30) },
  userUbigeo: { mandatory: false, kind: "digits", schema: z.string().regex(/^\d{6}$/) },
  userCountry: { mandatory: false, kind: "text", schema: text(1, 20) },
  userDocumentType: { mandatory: false, kind: "text", schema: z.enum(["DNI", "PAR", "PAS", "LMI", "NAN", "CE"]) },
  // N 14 in the document, but passports and CE carry letters; letters and digits are accepted.
  userDocumentNumber: { mandatory: false, kind: "digits", schema: z.string().regex(/^[0-9A-Za-z]{1,14}$/) },
  userPhone: { mandatory: true, kind: "digits", schema: z.string().regex(/^\d{1,15}$/) },
  userCodeCountry: { mandatory: true, kind: "text", schema: text(1, 5) },
} satisfies Record<string, FieldRule>;

type TextField = keyof typeof RULES;
const DETAIL_FIELDS = Object.keys(RULES).filter((f) => f !== "currency" && f !== "transactionCode") as TextField[];
const ALL_FIELDS = [...Object.keys(RULES), "amount", "dateExpiry", "serviceId"] as const;

export interface ValidCipRequest {
  currency: EmulatorCurrency;
  amountMinor: number;
  transactionCode: string;
  /** null: the service's default lifetime applies. */
  dateExpiry: Date | null;
  /** Only in the document's example body; when present it must be the token's service. */
  serviceId: number | null;
  details: Record<string, string>;
}

const isMissing = (v: LosslessJson | undefined): v is null | undefined | "" => v === undefined || v === null || v === "";

function asText(value: LosslessJson, kind: Kind): string | null {
  if (typeof value === "string") return value;
  if (kind === "digits" && value instanceof JsonNumber && /^\d+$/.test(value.literal)) return value.literal;
  return null;
}

/** One AN/N field of the table: 112 when a mandatory one is missing, 113 when present but wrong (or an empty optional). */
function checkText(
  fields: Record<string, LosslessJson | undefined>,
  field: TextField,
  errors: FieldError[],
  texts: Partial<Record<TextField, string>>,
): void {
  const rule: FieldRule = RULES[field];
  const raw = fields[field];
  if (isMissing(raw)) {
    if (rule.mandatory || raw === "") errors.push(rule.mandatory ? requiredField(field) : invalidField(field));
    return;
  }
  const value = asText(raw, rule.kind);
  const parsed = value === null ? null : rule.schema.safeParse(value);
  if (!parsed?.success) errors.push(invalidField(field));
  else texts[field] = parsed.data;
}

export function parseCipRequest(body: LosslessJson, now: Date): Result<ValidCipRequest, FieldError[]> {
  const fields = readCaseInsensitive(body, ALL_FIELDS);
  if (!fields) return err([invalidField("body")]);
  const errors: FieldError[] = [];
  const texts: Partial<Record<TextField, string>> = {};

  checkText(fields, "currency", errors, texts);

  let amountMinor: number | null = null;
  const rawAmount = fields.amount;
  if (isMissing(rawAmount)) errors.push(requiredField("amount"));
  else {
    // N18 in DOC §5.1.2, a JSON number in its example; the PHP, Ruby, Django and Java clients send a string
    // ("150.00") and are served (reference §7), so both are read, each as its exact literal.
    const literal = rawAmount instanceof JsonNumber ? rawAmount.literal : typeof rawAmount === "string" ? rawAmount.trim() : null;
    amountMinor = literal === null ? null : parseAmountLiteral(literal);
    if (amountMinor === null || amountMinor <= 0) errors.push(invalidField("amount"));
  }

  checkText(fields, "transactionCode", errors, texts);

  let dateExpiry: Date | null = null;
  const rawExpiry = fields.dateExpiry;
  if (!isMissing(rawExpiry)) {
    dateExpiry = typeof rawExpiry === "string" ? parseLimaDateTime(rawExpiry) : null;
    if (dateExpiry === null || dateExpiry.getTime() <= now.getTime()) errors.push(invalidField("dateExpiry"));
  } else if (rawExpiry === "") errors.push(invalidField("dateExpiry"));

  for (const field of DETAIL_FIELDS) checkText(fields, field, errors, texts);

  let serviceId: number | null = null;
  const rawServiceId = fields.serviceId;
  if (!isMissing(rawServiceId)) {
    const literal = asText(rawServiceId, "digits");
    if (literal === null || !/^\d{1,9}$/.test(literal)) errors.push(invalidField("serviceId"));
    else serviceId = Number(literal);
  }

  if (errors.length > 0 || amountMinor === null || texts.currency === undefined || texts.transactionCode === undefined) {
    return err(errors);
  }
  const details: Record<string, string> = {};
  for (const field of DETAIL_FIELDS) {
    const value = texts[field];
    if (value !== undefined) details[field] = value;
  }
  return ok({
    currency: texts.currency as EmulatorCurrency,
    amountMinor,
    transactionCode: texts.transactionCode,
    dateExpiry,
    serviceId,
    details,
  });
}
