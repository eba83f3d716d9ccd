import { parseServiceId } from "../../../../app/domain/pagoefectivo-service-id";
import { validateRuc } from "../../../../app/domain/settlement/ruc";
import type { Messages } from "../../i18n/es";

/** The same rules the API enforces, checked as the merchant types so errors show next to the field. */

export interface CredentialValues {
  accessKey: string;
  secretKey: string;
  idService: string;
}

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

export function validateCredentialValues(
  values: CredentialValues,
  hasSecretKey: boolean,
  t: Messages["settings"],
): FieldErrors<keyof CredentialValues> {
  const errors: FieldErrors<keyof CredentialValues> = {};
  const accessKey = values.accessKey.trim();
  if (!accessKey) errors.accessKey = t.accessKeyRequired;
  else if (accessKey.length > 20) errors.accessKey = t.accessKeyTooLong;
  if (!hasSecretKey && !values.secretKey) errors.secretKey = t.secretRequired;
  if (parseIdService(values.idService) === null) errors.idService = t.idServiceInvalid;
  return errors;
}

/** 1 to 9 digits: production services have 5-digit ids (app/domain/pagoefectivo-service-id.ts). */
export function parseIdService(value: string): number | null {
  return parseServiceId(value);
}

export interface OptionValues {
  cipLifetimeHours: string;
  paymentConcept: string;
  legalName: string;
  ruc: string;
}

export function validateOptionValues(values: OptionValues, t: Messages["settings"]): FieldErrors<keyof OptionValues> {
  const errors: FieldErrors<keyof OptionValues> = {};
  if (parseHours(values.cipLifetimeHours) === null) errors.cipLifetimeHours = t.cipLifetimeError;
  if (values.paymentConcept.trim().length > 50) errors.paymentConcept = t.paymentConceptError;
  if (values.legalName.trim().length > 120) errors.legalName = t.legalNameError;
  const ruc = values.ruc.trim();
  if (ruc) {
    const check = validateRuc(ruc);
    if (!check.valid) errors.ruc = t.rucErrors[check.reason];
  }
  return errors;
}

export function parseHours(value: string): number | null {
  const text = value.trim();
  if (!/^\d{1,2}$/.test(text)) return null;
  const hours = Number(text);
  return hours >= 1 && hours <= 72 ? hours : null;
}

export function hasErrors(errors: Record<string, string | undefined>): boolean {
  return Object.values(errors).some(Boolean);
}
