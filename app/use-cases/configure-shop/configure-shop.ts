import { z } from "zod";

import { MAX_CIP_LIFETIME_HOURS } from "../../domain/payment-session";
import { type RucInvalidReason, validateRuc } from "../../domain/settlement/ruc";
import { assertUnreachable } from "../../lib/assert-unreachable";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { err, ok, type Result } from "../../lib/result";
import type { AdminCredential, SettingsPatch } from "../../ports/admin-settings";
import type { Environment } from "../../ports/payment-store";

/** The merchant's settings and PagoEfectivo credentials, as the admin panel edits them. */

/** Optional text where "" means "clear it". */
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

const ruc = z
  .string()
  .trim()
  .nullable()
  .transform((value) => (value === "" ? null : value))
  .superRefine((value, ctx) => {
    if (value === null) return;
    const checked = validateRuc(value);
    if (!checked.valid) ctx.addIssue({ code: "custom", message: rucProblem(checked.reason) });
  });

export const settingsUpdateInput = z.strictObject({
  cipLifetimeHours: z
    .number({ error: "must be a whole number of hours" })
    .int("must be a whole number of hours")
    .min(1, "must be at least 1 hour")
    .max(MAX_CIP_LIFETIME_HOURS, `must be at most ${MAX_CIP_LIFETIME_HOURS} hours`)
    .optional(),
  paymentConcept: clearableText(50).optional(),
  locale: z.enum(["es", "en"], { error: 'must be "es" or "en"' }).optional(),
  legalName: clearableText(120).optional(),
  ruc: ruc.optional(),
});
export type SettingsUpdateInput = z.infer<typeof settingsUpdateInput>;

export const credentialsInput = z.strictObject({
  accessKey: z.string({ error: "is required" }).trim().min(1, "is required").max(20, "must be at most 20 characters"),
  /** Write-only: required the first time, omitted to keep the stored one. */
  secretKey: z.string().trim().min(1, "must not be empty (omit it to keep the saved one)").max(256, "is too long").optional(),
  idService: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be 1 to 9999").max(9999, "must be 1 to 9999"),
});
export type CredentialsInput = z.infer<typeof credentialsInput>;

export type SaveCredentialsError = { kind: "secret_required"; message: string };

export interface ConfigureShopDeps {
  settings: {
    updateSettings(shopId: string, patch: SettingsPatch, now: Date): Promise<void>;
    credential(shopId: string, environment: Environment): Promise<AdminCredential | null>;
    confirmNotificationUrl(shopId: string, now: Date): Promise<void>;
  };
  shops: {
    setCredentials(params: {
      shopId: string;
      environment: Environment;
      accessKey: string;
      secretKeyEncrypted: string | null;
      idService: number;
      now: Date;
    }): Promise<void>;
  };
  secrets: { encrypt(plaintext: string): string };
  clock: Clock;
  logger: Logger;
}

export class ConfigureShop {
  constructor(private readonly deps: ConfigureShopDeps) {}

  async updateSettings(shopId: string, input: SettingsUpdateInput): Promise<void> {
    const patch: SettingsPatch = {};
    if (input.cipLifetimeHours !== undefined) patch.cipLifetimeHours = input.cipLifetimeHours;
    if (input.paymentConcept !== undefined) patch.paymentConcept = input.paymentConcept;
    if (input.locale !== undefined) patch.locale = input.locale;
    if (input.legalName !== undefined) patch.legalName = input.legalName;
    if (input.ruc !== undefined) patch.ruc = input.ruc;
    if (Object.keys(patch).length === 0) return;
    await this.deps.settings.updateSettings(shopId, patch, this.deps.clock.now());
    this.deps.logger.info({ shopId, fields: Object.keys(patch) }, "shop settings updated");
  }

  /** Saves one environment's credentials; the secretKey is sealed here and never comes back out. */
  async saveCredentials(shopId: string, environment: Environment, input: CredentialsInput): Promise<Result<void, SaveCredentialsError>> {
    if (input.secretKey === undefined) {
      const existing = await this.deps.settings.credential(shopId, environment);
      if (!existing) return err({ kind: "secret_required", message: "secretKey: is required the first time credentials are saved" });
    }
    await this.deps.shops.setCredentials({
      shopId,
      environment,
      accessKey: input.accessKey,
      secretKeyEncrypted: input.secretKey === undefined ? null : this.deps.secrets.encrypt(input.secretKey),
      idService: input.idService,
      now: this.deps.clock.now(),
    });
    this.deps.logger.info({ shopId, environment, idService: input.idService, secretKeyChanged: input.secretKey !== undefined }, "PagoEfectivo credentials saved");
    return ok(undefined);
  }

  async confirmNotificationUrl(shopId: string): Promise<void> {
    await this.deps.settings.confirmNotificationUrl(shopId, this.deps.clock.now());
  }
}
