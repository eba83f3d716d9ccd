import type { IncomingMessage } from "node:http";

import type { Result } from "../lib/result";

/** Shopify's authorization-code grant: offline (the shop's token) and online (the staff member, for the admin panel). */
export type OAuthGrantKind = "offline" | "online";

/** A redirect to send the browser, with the cookies the library set (the signed state nonce). */
export interface OAuthRedirect {
  location: string;
  setCookies: string[];
}

export interface OfflineGrant {
  kind: "offline";
  shop: string;
  accessToken: string;
  scope: string;
}

export interface OnlineUser {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  accountOwner: boolean | null;
  locale: string | null;
}

export interface OnlineGrant {
  kind: "online";
  shop: string;
  accessToken: string;
  scope: string;
  /** When Shopify says the online token stops working. */
  expiresAt: Date | null;
  user: OnlineUser;
}

export type OAuthError =
  | { kind: "invalid_shop"; message: string }
  /** The library refuses crawlers (isbot on the User-Agent). */
  | { kind: "bot"; message: string }
  | { kind: "missing_state"; message: string }
  | { kind: "invalid_callback"; message: string }
  | { kind: "wrong_grant"; message: string }
  | { kind: "exchange_failed"; message: string };

export const OAUTH_CALLBACK_PATHS: Record<OAuthGrantKind, string> = {
  offline: "/auth/callback",
  online: "/auth/login/callback",
};

export const OAUTH_STATE_COOKIES = ["shopify_app_state", "shopify_app_state.sig"] as const;

export interface ShopifyOAuthFlow {
  /** The shop domain if it is a valid *.myshopify.com name, else null. */
  sanitizeShop(shop: unknown): string | null;
  /** Whether an offline grant of `grantedScope` (as stored at install) holds every scope the app asks for. */
  grantCovers(grantedScope: string | null): boolean;
  /** The redirect to Shopify's consent screen, with the signed state cookie. */
  begin(request: IncomingMessage, shop: string, grant: OAuthGrantKind): Promise<Result<OAuthRedirect, OAuthError>>;
  /** Checks the callback (HMAC, state, shop) and exchanges the code. */
  callback<K extends OAuthGrantKind>(request: IncomingMessage, grant: K): Promise<Result<K extends "offline" ? OfflineGrant : OnlineGrant, OAuthError>>;
}
