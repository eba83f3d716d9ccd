import { z } from "zod";

import type { Logger } from "../../lib/logger";
import { err, ok, type Result } from "../../lib/result";
import type { ShopProfile, ShopProfileError, ShopProfileReader } from "../../ports/shop-profiles";
import type { ShopifyTarget } from "../../ports/shopify-payments-apps";

/**
 * The shop's display name and IANA time zone, read from the Admin GraphQL API right after the
 * OAuth install (and again when the panel needs the name and nothing has it cached).
 */

const QUERY = "query ShopProfile { shop { name ianaTimezone } }";

const responseSchema = z.object({
  data: z
    .object({
      shop: z.object({ name: z.string().min(1).max(255), ianaTimezone: z.string().max(64).nullish() }).nullish(),
    })
    .nullish(),
});

export class ShopifyShopProfileReader implements ShopProfileReader {
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly options: {
      apiVersion: string;
      /** `https://${shop}`, or the sandbox simulator's origin for the shop. */
      shopOrigin: (shopDomain: string) => string;
      logger: Logger;
      fetch?: typeof fetch;
      timeoutMs?: number;
    },
  ) {
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async read(target: ShopifyTarget): Promise<Result<ShopProfile, ShopProfileError>> {
    const url = `${this.options.shopOrigin(target.shopDomain)}/admin/api/${this.options.apiVersion}/graphql.json`;
    try {
      const response = await this.fetchFn(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-Shopify-Access-Token": target.accessToken },
        body: JSON.stringify({ query: QUERY }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
      if (!response.ok) return this.fail(target, `HTTP ${response.status}`);
      const parsed = responseSchema.safeParse(await response.json());
      const shop = parsed.success ? parsed.data.data?.shop : null;
      if (!shop) return this.fail(target, "unexpected response");
      return ok({ name: shop.name, timezone: shop.ianaTimezone ?? null });
    } catch (error) {
      return this.fail(target, error instanceof Error ? error.name : "request failed");
    }
  }

  private fail(target: ShopifyTarget, detail: string): Result<ShopProfile, ShopProfileError> {
    this.options.logger.warn({ shop: target.shopDomain, detail }, "could not read the shop profile from Shopify");
    return err({ kind: "unavailable", message: `Shop profile unavailable (${detail})` });
  }
}
