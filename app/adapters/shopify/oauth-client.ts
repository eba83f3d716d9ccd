import type { IncomingMessage } from "node:http";

import {
  type ApiVersion,
  AuthScopes,
  BotActivityDetected,
  CookieNotFound,
  InvalidHmacError,
  InvalidOAuthError,
  InvalidShopError,
  LogSeverity,
  type Shopify,
  shopifyApi,
} from "@shopify/shopify-api";

import type { Logger } from "../../lib/logger";
import { err, ok, type Result } from "../../lib/result";
import {
  OAUTH_CALLBACK_PATHS,
  type OAuthError,
  type OAuthGrantKind,
  type OAuthRedirect,
  type OfflineGrant,
  type OnlineGrant,
  type ShopifyOAuthFlow,
} from "../../ports/shopify-oauth";
import { withShopOrigin } from "./oauth-fetch";

/**
 * Shopify's authorization-code grant through @shopify/shopify-api: the redirect to the consent
 * screen (state nonce in a signed cookie), then the callback (HMAC, state and shop checks, code
 * exchange). Offline grants give the shop's long-lived token for the Payments Apps API; online
 * (per-user) grants identify the merchant's staff member for the admin panel.
 */

export interface OAuthClientOptions {
  apiKey: string;
  apiSecret: string;
  scopes: readonly string[];
  /** The app's public URL; the callback URLs are built on it. */
  appUrl: string;
  apiVersion: string;
  /**
   * Where https://{shop}/... really is. null: Shopify itself. The sandbox passes its simulator's
   * `${base}/sandbox/shopify/shops/${shop}`, for the browser redirect and the code exchange alike.
   */
  shopOrigin: ((shopDomain: string) => string) | null;
  logger: Logger;
}

export class ShopifyOAuth implements ShopifyOAuthFlow {
  private readonly shopify: Shopify;
  private readonly logger: Logger;
  private readonly plainHttp: boolean;

  constructor(private readonly options: OAuthClientOptions) {
    this.logger = options.logger;
    const app = new URL(options.appUrl);
    this.plainHttp = app.protocol === "http:";
    const log = this.logger;
    this.shopify = shopifyApi({
      apiKey: options.apiKey,
      apiSecretKey: options.apiSecret,
      scopes: [...options.scopes],
      hostName: app.host,
      hostScheme: app.protocol === "http:" ? "http" : "https",
      apiVersion: options.apiVersion as ApiVersion,
      isEmbeddedApp: false,
      logger: {
        level: LogSeverity.Info,
        httpRequests: false,
        timestamps: false,
        // The library's messages carry shop names and nonces, never tokens (httpRequests stays off).
        log: async (severity, message) => {
          if (severity === LogSeverity.Error) log.warn({ library: message }, "shopify-api");
          else if (severity === LogSeverity.Warning) log.warn({ library: message }, "shopify-api");
          else log.debug({ library: message }, "shopify-api");
        },
      },
    });
  }

  /** A valid `*.myshopify.com` domain in lower case, or null. */
  sanitizeShop(shop: unknown): string | null {
    if (typeof shop !== "string" || shop.length > 255) return null;
    const clean = this.shopify.utils.sanitizeShop(shop.trim().toLowerCase());
    return clean && /\.myshopify\.com$/.test(clean) ? clean : null;
  }

  /** The library's own scope check (AuthScopes.has: implied scopes count, e.g. write_orders covers read_orders). */
  grantCovers(grantedScope: string | null): boolean {
    if (grantedScope === null) return false;
    return new AuthScopes(grantedScope).has(this.shopify.config.scopes);
  }

  async begin(request: IncomingMessage, shop: string, grant: OAuthGrantKind): Promise<Result<OAuthRedirect, OAuthError>> {
    const clean = this.sanitizeShop(shop);
    if (!clean) return err({ kind: "invalid_shop", message: `${shop} is not a *.myshopify.com shop domain` });
    const captured = new CapturedResponse();
    try {
      await this.shopify.auth.begin({
        shop: clean,
        callbackPath: OAUTH_CALLBACK_PATHS[grant],
        isOnline: grant === "online",
        rawRequest: request,
        rawResponse: captured,
      });
    } catch (error) {
      return err(this.classify(error));
    }
    const location = captured.header("location");
    if (captured.statusCode === 410 || !location) {
      return err({ kind: "bot", message: "This sign-in link must be opened in a browser" });
    }
    const cookies = captured.cookies();
    // The library always marks its state cookie Secure. Over plain http (the sandbox on a LAN
    // address) browsers would drop it and every callback would fail, so there it goes without.
    const setCookies = this.plainHttp ? cookies.map((cookie) => cookie.replace(/;\s*secure(=[^;]*)?(?=;|$)/gi, "")) : cookies;
    return ok({ location: this.browserUrl(location, clean), setCookies });
  }

  async callback<K extends OAuthGrantKind>(
    request: IncomingMessage,
    grant: K,
  ): Promise<Result<K extends "offline" ? OfflineGrant : OnlineGrant, OAuthError>> {
    let session;
    // The library also writes its own session cookie and clears the state cookie on this response;
    // the app keeps its own admin session, so those headers are dropped here (the caller clears state).
    const ignored = new CapturedResponse();
    try {
      ({ session } = await withShopOrigin(this.options.shopOrigin, () =>
        this.shopify.auth.callback({ rawRequest: request, rawResponse: ignored }),
      ));
    } catch (error) {
      return err(this.classify(error));
    }
    if (!session.accessToken) return err({ kind: "exchange_failed", message: "Shopify returned no access token" });
    const online = session.onlineAccessInfo;
    if ((grant === "online") !== Boolean(online)) {
      return err({ kind: "wrong_grant", message: `Expected an ${grant} access token from Shopify` });
    }
    if (!online) {
      const value: OfflineGrant = { kind: "offline", shop: session.shop, accessToken: session.accessToken, scope: session.scope ?? "" };
      return ok(value as K extends "offline" ? OfflineGrant : OnlineGrant);
    }
    const user = online.associated_user;
    const value: OnlineGrant = {
      kind: "online",
      shop: session.shop,
      accessToken: session.accessToken,
      scope: session.scope ?? "",
      expiresAt: session.expires ?? null,
      user: {
        id: String(user.id),
        firstName: user.first_name ?? null,
        lastName: user.last_name ?? null,
        email: user.email ?? null,
        accountOwner: typeof user.account_owner === "boolean" ? user.account_owner : null,
        locale: user.locale ?? null,
      },
    };
    return ok(value as K extends "offline" ? OfflineGrant : OnlineGrant);
  }

  /** The consent screen lives at https://{shop}/admin/oauth/authorize, or in the simulator. */
  private browserUrl(location: string, shop: string): string {
    const origin = this.options.shopOrigin;
    if (!origin) return location;
    const url = new URL(location);
    return `${origin(shop)}${url.pathname}${url.search}`;
  }

  private classify(error: unknown): OAuthError {
    if (error instanceof InvalidShopError) return { kind: "invalid_shop", message: "The shop domain is not valid" };
    if (error instanceof BotActivityDetected) return { kind: "bot", message: "This sign-in link must be opened in a browser" };
    if (error instanceof CookieNotFound) {
      return { kind: "missing_state", message: "The sign-in took too long or cookies are blocked; start again" };
    }
    if (error instanceof InvalidOAuthError || error instanceof InvalidHmacError) {
      return { kind: "invalid_callback", message: "Shopify's answer could not be verified (signature, time or state); start again" };
    }
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn({ errorName: error instanceof Error ? error.name : typeof error, detail: message.slice(0, 300) }, "oauth code exchange failed");
    return { kind: "exchange_failed", message: "Shopify did not complete the sign-in; try again" };
  }
}

/**
 * Stands in for Node's ServerResponse while the library writes its redirect, so the Location can
 * be checked (and pointed at the simulator) before anything reaches the browser.
 */
class CapturedResponse {
  statusCode = 200;
  statusMessage = "";
  private readonly headers = new Map<string, string | string[]>();

  getHeaders(): Record<string, string | string[]> {
    return Object.fromEntries(this.headers);
  }

  setHeader(name: string, value: string | string[]): this {
    this.headers.set(name.toLowerCase(), value);
    return this;
  }

  write(): boolean {
    return true;
  }

  end(): this {
    return this;
  }

  header(name: string): string | null {
    const value = this.headers.get(name);
    if (value === undefined) return null;
    return Array.isArray(value) ? (value[0] ?? null) : value;
  }

  cookies(): string[] {
    const value = this.headers.get("set-cookie");
    if (value === undefined) return [];
    return Array.isArray(value) ? value : [value];
  }
}
