import { z } from "zod";

import { MAX_SERVICE_ID, MAX_SERVICE_ID_DIGITS } from "../../domain/pagoefectivo-service-id";
import { MAX_CIP_LIFETIME_HOURS } from "../../domain/payment-session";
import { type RucInvalidReason, validateRuc } from "../../domain/settlement/ruc";
import { assertUnreachable } from "../../lib/assert-unreachable";
import { environment, instant, locale } from "./common";

/** A saved PagoEfectivo credential; the secret key is write-only (only whether one is stored). */
export const credentialAnswer = z.strictObject({
  accessKey: z.string(),
  idService: z.number().int(),
  hasSecretKey: z.literal(true),
  verifiedAt: instant.nullable(),
  lastTestError: z.string().nullable(),
});
export type CredentialAnswer = z.infer<typeof credentialAnswer>;

/** GET/PUT /api/settings and every settings write (credentials, confirm, activate, deactivate). */
export const settingsAnswer = z.strictObject({
  cipLifetimeHours: z.number().int(),
  paymentConcept: z.string().nullable(),
  locale,
  timezone: z.string(),
  legalName: z.string().nullable(),
  ruc: z.string().nullable(),
  notificationUrl: z.string(),
  notificationUrlConfirmedAt: instant.nullable(),
  ready: z.boolean(),
  externalHandle: z.string().nullable(),
  credentials: z.strictObject({ sandbox: credentialAnswer.nullable(), production: credentialAnswer.nullable() }),
});
export type SettingsAnswer = z.infer<typeof settingsAnswer>;

/**
 * Why a connection test failed: PagoEfectivo's error kind (app/ports/pagoefectivo-gateway.ts, e.g.
 * service_error, timeout, network). The panel words the kinds it knows and has one sentence for the rest.
 */
export const connectionFailure = z.string().regex(/^[a-z_]+$/);

/** POST /api/credentials/:environment/test */
export const connectionTestAnswer = z.discriminatedUnion("ok", [
  z.strictObject({ ok: z.literal(true), tokenExpires: instant }),
  z.strictObject({ ok: z.literal(false), reason: connectionFailure, message: z.string() }),
]);
export type ConnectionTestAnswer = z.infer<typeof connectionTestAnswer>;

/** Optional text where "" or null means "clear it". */
const clearableText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullable()
    .transform((value) => (value === "" ? null : value));

function rucProblem(reason: RucInvalidReason): string {
  switch (reason) {
    case "not_11_digits":
      return "must be exactly 11 digits";
    case "unknown_prefix":
      return "must start with 10, 15, 16, 17 or 20";
    case "bad_check_digit":
      return "is not a valid RUC (the check digit does not match)";
    default:
      return assertUnreachable(reason);
  }
}

const rucText = z
  .string()
  .trim()
  .nullable()
  .transform((value) => (value === "" ? null : value))
  .superRefine((value, ctx) => {
    if (value === null) return;
    const checked = validateRuc(value);
    if (!checked.valid) ctx.addIssue({ code: "custom", message: rucProblem(checked.reason) });
  });

/** PUT /api/settings (every field optional). */
export const settingsUpdateRequest = z.strictObject({
  cipLifetimeHours: z
    .number({ error: "must be a whole number of hours" })
    .int("must be a whole number of hours")
    .min(1, "must be at least 1 hour")
    .max(MAX_CIP_LIFETIME_HOURS, `must be at most ${MAX_CIP_LIFETIME_HOURS} hours`)
    .optional(),
  paymentConcept: clearableText(50).optional(),
  locale: z.enum(["es", "en"], { error: 'must be "es" or "en"' }).optional(),
  legalName: clearableText(120).optional(),
  ruc: rucText.optional(),
});
export type SettingsUpdateRequest = z.input<typeof settingsUpdateRequest>;
export type SettingsUpdateRequestParsed = z.output<typeof settingsUpdateRequest>;

/** PUT /api/credentials/:environment (the secret key is required the first time only: the use case checks). */
export const credentialsRequest = z.strictObject({
  accessKey: z.string({ error: "is required" }).trim().min(1, "is required").max(20, "must be at most 20 characters"),
  /** Write-only: required the first time, omitted to keep the stored one. */
  secretKey: z.string().trim().min(1, "must not be empty (omit it to keep the saved one)").max(256, "is too long").optional(),
  // Production ids have 5 digits although DOC says N 4 (app/domain/pagoefectivo-service-id.ts).
  idService: z
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, `must have 1 to ${MAX_SERVICE_ID_DIGITS} digits`)
    .max(MAX_SERVICE_ID, `must have 1 to ${MAX_SERVICE_ID_DIGITS} digits`),
});
export type CredentialsRequest = z.input<typeof credentialsRequest>;
export type CredentialsRequestParsed = z.output<typeof credentialsRequest>;

export const environmentParam = z.object({ environment: environment });

/** POST /api/activate */
export const activateRequest = z.strictObject({
  externalHandle: z
    .string()
    .trim()
    .max(100, "must be at most 100 characters")
    .transform((value) => (value === "" ? null : value))
    .nullable()
    .optional(),
});
