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
      shops: { upsertInstalled(params: { domain: string; offlineTokenEncrypted: string; scopes: string; now: Date }): Promise<ShopRecord> };
      settings: { setTimezone(shopId: string, timezone: string, now: Date): Promise<void> };
      profiles: ShopProfileReader;
      names: ShopNames;
      secrets: { encrypt(plaintext: string): string };
      clock: Clock;
      logger: Logger;
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
      const timezone = profile.value.timezone;
      if (timezone && isValidTimeZone(timezone) && timezone !== shop.timezone) await deps.settings.setTimezone(shop.id, timezone, now);
    }
    deps.logger.info({ shop: grant.shop, scopes: grant.scope }, "app installed (offline token stored)");
    return shop;
  }
}
