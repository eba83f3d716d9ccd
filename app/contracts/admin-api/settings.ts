import { z } from "zod";

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

/** PUT /api/settings (every field optional; null clears a text). */
export const settingsUpdateRequest = z.strictObject({
  cipLifetimeHours: z.number().int().optional(),
  paymentConcept: z.string().nullable().optional(),
  locale: locale.optional(),
  legalName: z.string().nullable().optional(),
  ruc: z.string().nullable().optional(),
});
export type SettingsUpdateRequest = z.infer<typeof settingsUpdateRequest>;

/** PUT /api/credentials/:environment (the secret key is required the first time only). */
export const credentialsRequest = z.strictObject({ accessKey: z.string(), secretKey: z.string().optional(), idService: z.number().int() });
export type CredentialsRequest = z.infer<typeof credentialsRequest>;

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
