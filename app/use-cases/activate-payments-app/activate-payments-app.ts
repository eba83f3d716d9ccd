import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { err, ok, type Result } from "../../lib/result";
import type { AdminCredential, AdminShop } from "../../ports/admin-settings";
import type { ShopifyPaymentsAppsGateway } from "../../ports/shopify-payments-apps";

/**
 * Tells Shopify the payments app is ready (or no longer ready) for this shop with
 * `paymentsAppConfigure`. Only after `ready: true` can the merchant activate PagoEfectivo in the
 * Shopify admin, so activation waits for credentials that passed Test connection.
 */

export type ActivationError =
  | { kind: "not_ready"; message: string }
  | { kind: "not_installed"; message: string }
  | { kind: "shopify_error"; message: string };

export class ActivatePaymentsApp {
  constructor(
    private readonly deps: {
      settings: { credentials(shopId: string): Promise<AdminCredential[]> };
      shops: { markReady(shopId: string, ready: boolean, externalHandle: string | null, now: Date): Promise<void> };
      shopify: Pick<ShopifyPaymentsAppsGateway, "configurePaymentsApp">;
      secrets: { decrypt(sealed: string): string };
      clock: Clock;
      logger: Logger;
    },
  ) {}

  /** `externalHandle`: undefined keeps the current one, null clears it. */
  async activate(shop: AdminShop, externalHandle: string | null | undefined): Promise<Result<void, ActivationError>> {
    const credentials = await this.deps.settings.credentials(shop.id);
    if (credentials.length === 0) {
      return err({ kind: "not_ready", message: "Save your PagoEfectivo credentials and test the connection before activating" });
    }
    if (!credentials.some(isVerified)) {
      return err({ kind: "not_ready", message: "Test the connection with your PagoEfectivo credentials before activating" });
    }
    return this.configure(shop, true, externalHandle === undefined ? shop.externalHandle : externalHandle);
  }

  async deactivate(shop: AdminShop): Promise<Result<void, ActivationError>> {
    return this.configure(shop, false, shop.externalHandle);
  }

  private async configure(shop: AdminShop, ready: boolean, externalHandle: string | null): Promise<Result<void, ActivationError>> {
    const { deps } = this;
    if (!shop.offlineTokenEncrypted) return err({ kind: "not_installed", message: "The app has no access to this shop; install it again" });
    const target = { shopDomain: shop.domain, accessToken: deps.secrets.decrypt(shop.offlineTokenEncrypted) };
    const result = await deps.shopify.configurePaymentsApp(target, { externalHandle, ready });
    if (!result.ok) {
      deps.logger.warn({ shop: shop.domain, ready, errorKind: result.error.kind }, "paymentsAppConfigure failed");
      return err({ kind: "shopify_error", message: `Shopify did not accept the change: ${result.error.message}` });
    }
    await deps.shops.markReady(shop.id, result.value.ready, result.value.externalHandle ?? externalHandle, deps.clock.now());
    deps.logger.info({ shop: shop.domain, ready: result.value.ready }, "payments app configuration sent to Shopify");
    return ok(undefined);
  }
}

export function isVerified(credential: AdminCredential): boolean {
  return credential.verifiedAt !== null && credential.lastTestError === null;
}
