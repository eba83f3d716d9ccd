import type { Clock } from "../../lib/clock";
import type { ShopProfileReader } from "../../ports/shop-profiles";

/**
 * Shop display names for the panel's header. Shopify owns the name, so it is read from the Admin
 * API (at install, or on first use after a restart) and cached in memory; when Shopify cannot be
 * reached the name is derived from the domain and asked for again a few minutes later.
 */

const FRESH_MS = 6 * 60 * 60 * 1000;
const FALLBACK_MS = 5 * 60 * 1000;

export class ShopNames {
  private readonly cache = new Map<string, { name: string; until: number }>();

  constructor(
    private readonly deps: {
      profiles: ShopProfileReader;
      secrets: { decrypt(sealed: string): string };
      clock: Clock;
    },
  ) {}

  remember(domain: string, name: string): void {
    this.cache.set(domain, { name, until: this.deps.clock.now().getTime() + FRESH_MS });
  }

  async nameOf(shop: { domain: string; offlineTokenEncrypted: string | null }): Promise<string> {
    const now = this.deps.clock.now().getTime();
    const cached = this.cache.get(shop.domain);
    if (cached && cached.until > now) return cached.name;
    if (shop.offlineTokenEncrypted) {
      const profile = await this.deps.profiles.read({ shopDomain: shop.domain, accessToken: this.deps.secrets.decrypt(shop.offlineTokenEncrypted) });
      if (profile.ok) {
        this.remember(shop.domain, profile.value.name);
        return profile.value.name;
      }
    }
    const fallback = cached?.name ?? nameFromDomain(shop.domain);
    this.cache.set(shop.domain, { name: fallback, until: now + FALLBACK_MS });
    return fallback;
  }
}

/** "mi-tienda-lima.myshopify.com" → "Mi Tienda Lima". */
export function nameFromDomain(domain: string): string {
  return domain
    .replace(/\.myshopify\.com$/, "")
    .split("-")
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}
