import { formatLimaDateTime } from "../../domain/lima-time";
import { formatDecimal, isCurrency } from "../../domain/money";
import { err, ok, type Result } from "../../lib/result";
import type {
  CreateCipRequest,
  PagoEfectivoDocumentType,
  PagoEfectivoError,
  PagoEfectivoFieldError,
} from "../../ports/pagoefectivo-gateway";
import { localInvalidData } from "./pagoefectivo-errors";

/**
 * Field limits from DOC §5.1.2. Free text (names, concept) is cut to fit, because a shortened name is
 * harmless; identifiers and contact data are never cut (a cut email or order id points somewhere else),
 * so they are refused before anything is sent.
 */
export const CIP_FIELD_LIMITS = {
  transactionCode: 36,
  paymentConcept: 50,
  additionalData: 200,
  email: 100,
  name: 30,
  userCountry: 20,
  userDocumentNumber: 14,
  userPhone: 15,
  userCodeCountry: 5,
} as const;

const DOCUMENT_TYPES: readonly PagoEfectivoDocumentType[] = ["DNI", "PAR", "PAS", "LMI", "NAN", "CE"];
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

export interface CipRequestBody {
  /** The JSON text to send, with amount written as a literal like 150.00. */
  readonly json: string;
  readonly origin: string;
  readonly language: string;
}

export function buildCreateCipBody(
  request: CreateCipRequest,
  idService: number,
  now: Date,
): Result<CipRequestBody, PagoEfectivoError> {
  const problems: PagoEfectivoFieldError[] = [];
  const required = (field: string) => problems.push({ code: "112", message: "Required.", field });
  const invalid = (field: string, message: string) => problems.push({ code: "113", message, field });

  const { amount } = request;
  if (!isCurrency(amount.currency)) invalid("currency", "Must be PEN or USD.");
  if (!Number.isSafeInteger(amount.amountMinor) || amount.amountMinor <= 0) {
    invalid("amount", "Must be greater than zero.");
  }

  const transactionCode = request.transactionCode ?? "";
  if (transactionCode === "") required("transactionCode");
  else if (transactionCode.length > CIP_FIELD_LIMITS.transactionCode) {
    invalid("transactionCode", `Must be at most ${CIP_FIELD_LIMITS.transactionCode} characters.`);
  }

  const expiryTime = request.dateExpiry instanceof Date ? request.dateExpiry.getTime() : Number.NaN;
  if (Number.isNaN(expiryTime)) required("dateExpiry");
  else if (expiryTime <= now.getTime()) invalid("dateExpiry", "Must be in the future.");

  const userEmail = checkEmail("userEmail", request.userEmail, true, required, invalid);
  const adminEmail = checkEmail("adminEmail", request.adminEmail, false, required, invalid);

  const userPhone = (request.userPhone ?? "").replace(/[\s\-().]/g, "");
  if (userPhone === "") required("userPhone");
  else if (!new RegExp(`^\\d{1,${CIP_FIELD_LIMITS.userPhone}}$`).test(userPhone)) {
    invalid("userPhone", `Must be digits only, at most ${CIP_FIELD_LIMITS.userPhone}.`);
  }

  const rawCodeCountry = (request.userCodeCountry ?? "").trim();
  const userCodeCountry = rawCodeCountry === "" || rawCodeCountry.startsWith("+") ? rawCodeCountry : `+${rawCodeCountry}`;
  if (userCodeCountry === "") required("userCodeCountry");
  else if (!/^\+\d{1,4}$/.test(userCodeCountry)) invalid("userCodeCountry", 'Must look like "+51".');

  const userDocumentType = request.userDocumentType;
  if (userDocumentType !== undefined && !DOCUMENT_TYPES.includes(userDocumentType)) {
    invalid("userDocumentType", `Must be one of ${DOCUMENT_TYPES.join(", ")}.`);
  }
  const userDocumentNumber = emptyToUndefined(request.userDocumentNumber?.trim());
  if (userDocumentNumber !== undefined && userDocumentNumber.length > CIP_FIELD_LIMITS.userDocumentNumber) {
    invalid("userDocumentNumber", `Must be at most ${CIP_FIELD_LIMITS.userDocumentNumber} characters.`);
  }

  const userUbigeo = emptyToUndefined(request.userUbigeo?.trim());
  if (userUbigeo !== undefined && !/^\d{6}$/.test(userUbigeo)) invalid("userUbigeo", "Must be 6 digits.");

  if (problems.length > 0) return err(localInvalidData(problems));

  // Order follows DOC's field table. JSON.stringify drops the undefined (absent optional) fields.
  const rest = {
    transactionCode,
    dateExpiry: formatLimaDateTime(request.dateExpiry),
    paymentConcept: cut(request.paymentConcept, CIP_FIELD_LIMITS.paymentConcept),
    additionalData: cut(request.additionalData, CIP_FIELD_LIMITS.additionalData),
    adminEmail,
    userEmail,
    userId: emptyToUndefined(request.userId?.trim()),
    userName: cut(request.userName, CIP_FIELD_LIMITS.name),
    userLastName: cut(request.userLastName, CIP_FIELD_LIMITS.name),
    userUbigeo,
    userCountry: cut(request.userCountry, CIP_FIELD_LIMITS.userCountry),
    userDocumentType,
    userDocumentNumber,
    userPhone,
    userCodeCountry,
    // Not in DOC's field table but in its example body, and sent by working clients.
    serviceId: idService,
  };
  // JSON has no way to say 150.00 as a number (stringify writes 150), so the amount is spliced in as text.
  // formatDecimal only emits digits, one '.', two decimals: always a valid JSON number literal.
  const head = `{"currency":${JSON.stringify(amount.currency)},"amount":${formatDecimal(amount)}`;
  const tail = JSON.stringify(rest).slice(1);
  const json = tail === "}" ? `${head}}` : `${head},${tail}`;
  return ok({ json, origin: request.origin ?? "web", language: request.language ?? "es-PE" });
}

function checkEmail(
  field: string,
  value: string | undefined,
  isRequired: boolean,
  required: (field: string) => void,
  invalid: (field: string, message: string) => void,
): string | undefined {
  const email = emptyToUndefined(value?.trim());
  if (email === undefined) {
    if (isRequired) required(field);
    return undefined;
  }
  if (email.length > CIP_FIELD_LIMITS.email) {
    invalid(field, `Must be at most ${CIP_FIELD_LIMITS.email} characters.`);
  } else if (!EMAIL_SHAPE.test(email)) {
    invalid(field, "Must be an email address.");
  }
  return email;
}

/** Trims and cuts to at most `max` UTF-16 units without splitting a character; empty becomes absent. */
export function cut(value: string | undefined, max: number): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (text.length <= max) return text;
  let result = "";
  for (const character of text) {
    if (result.length + character.length > max) break;
    result += character;
  }
  return emptyToUndefined(result.trimEnd());
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
