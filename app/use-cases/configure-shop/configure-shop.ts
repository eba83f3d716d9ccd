import type { CredentialsRequestParsed, SettingsUpdateRequestParsed } from "../../contracts/admin-api";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { err, ok, type Result } from "../../lib/result";
import type { AdminCredential, SettingsPatch } from "../../ports/admin-settings";
import type { Environment } from "../../ports/payment-store";

/** The merchant's settings and PagoEfectivo credentials, as the admin panel edits them. */

/** The requests as the wire contract parses them (app/contracts/admin-api/settings.ts). */
export type SettingsUpdateInput = SettingsUpdateRequestParsed;
export type CredentialsInput = CredentialsRequestParsed;

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
