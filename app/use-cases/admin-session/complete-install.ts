import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { ShopRecord } from "../../ports/payment-store";
import type { ShopProfileReader } from "../../ports/shop-profiles";
import type { OfflineGrant } from "../../ports/shopify-oauth";
import { isValidTimeZone } from "../admin-panel/zoned-day";
import type { ShopNames } from "./shop-names";

/**
 * The offline grant of the OAuth install: store the shop with its sealed offline token (the one
 * the Payments Apps API needs), then take its name and time zone from Shopify. A profile that
 * cannot be read does not fail the install; the defaults (America/Lima) stay.
 */
export class CompleteInstall {
  constructor(
    private readonly deps: {
      shops: {
        upsertInstalled(params: { domain: string; offlineTokenEncrypted: string; scopes: string; now: Date }): Promise<ShopRecord>;
        setName(shopId: string, name: string, now: Date): Promise<void>;
      };
      settings: { setTimezone(shopId: string, timezone: string, now: Date): Promise<void> };
      profiles: ShopProfileReader;
      names: ShopNames;
      secrets: { encrypt(plaintext: string): string };
      clock: Clock;
      logger: Logger;
      /** Sandbox: provisions the shop's PagoEfectivo emulator service. A failure is logged, never fails the install. */
      afterInstall?: (shop: ShopRecord) => Promise<void>;
    },
  ) {}

  async execute(grant: OfflineGrant): Promise<ShopRecord> {
    const { deps } = this;
    const now = deps.clock.now();
    const shop = await deps.shops.upsertInstalled({
      domain: grant.shop,
      offlineTokenEncrypted: deps.secrets.encrypt(grant.accessToken),
      scopes: grant.scope,
      now,
    });
    const profile = await deps.profiles.read({ shopDomain: grant.shop, accessToken: grant.accessToken });
    if (profile.ok) {
      deps.names.remember(grant.shop, profile.value.name);
      // Stored too: the buyer page names the store to shoppers without asking Shopify each time.
      // Shop.name is `String!` in the Admin GraphQL API (shopify.dev/docs/api/admin-graphql/latest/objects/Shop).
      if (profile.value.name !== shop.name) await deps.shops.setName(shop.id, profile.value.name, now);
      const timezone = profile.value.timezone;
      if (timezone && isValidTimeZone(timezone) && timezone !== shop.timezone) await deps.settings.setTimezone(shop.id, timezone, now);
    }
    if (deps.afterInstall) {
      try {
        await deps.afterInstall(shop);
      } catch (error) {
        deps.logger.warn({ err: error, shop: grant.shop }, "sandbox: the shop's emulator service could not be set up");
      }
    }
    deps.logger.info({ shop: grant.shop, scopes: grant.scope }, "app installed (offline token stored)");
    return shop;
  }
}
