import { createHash, randomBytes } from "node:crypto";

import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { err, ok, type Result } from "../../lib/result";
import type { AdminPrincipalRecord, AdminSessionRecord, NewAdminSession } from "../../ports/admin-sessions";
import type { AdminShop } from "../../ports/admin-settings";
import type { OnlineGrant } from "../../ports/shopify-oauth";

/**
 * The admin panel's sign-in: an online (per-user) OAuth grant becomes a server-side session whose
 * random id travels in an httpOnly cookie. One shop per session; the session ends with the online
 * token or after 24 hours, whichever comes first, and with the app's uninstall.
 */

export const ADMIN_SESSION_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export interface AdminPrincipal {
  session: AdminSessionRecord;
  shop: AdminShop;
}

export interface AdminSessionDeps {
  sessions: {
    create(session: NewAdminSession): Promise<void>;
    /** The live session and its shop in one read (every admin request makes it). */
    findActivePrincipal(id: string, now: Date): Promise<AdminPrincipalRecord | null>;
    delete(id: string): Promise<void>;
  };
  shops: { findShopByDomain(domain: string): Promise<AdminShop | null> };
  secrets: { encrypt(plaintext: string): string };
  /**
   * Session lifetimes follow wall time, as Shopify's online tokens do: the sandbox's adjustable
   * business clock (moved forward to expire CIPs) must not sign the merchant out.
   */
  clock: Clock;
  logger: Logger;
}

export type StartSessionError = { kind: "not_installed"; shop: string };

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export class AdminSessions {
  constructor(private readonly deps: AdminSessionDeps) {}

  async start(grant: OnlineGrant): Promise<Result<{ token: string; expiresAt: Date }, StartSessionError>> {
    const shop = await this.deps.shops.findShopByDomain(grant.shop);
    if (!shop || shop.status !== "installed" || !shop.offlineTokenEncrypted) return err({ kind: "not_installed", shop: grant.shop });
    const now = this.deps.clock.now();
    const cap = new Date(now.getTime() + ADMIN_SESSION_MAX_AGE_MS);
    const expiresAt = grant.expiresAt && grant.expiresAt < cap ? grant.expiresAt : cap;
    const token = randomBytes(32).toString("base64url");
    await this.deps.sessions.create({
      id: sessionIdFor(token),
      shop: shop.domain,
      state: "online",
      scope: grant.scope,
      expires: expiresAt,
      accessTokenEncrypted: this.deps.secrets.encrypt(grant.accessToken),
      userId: grant.user.id,
      firstName: grant.user.firstName,
      lastName: grant.user.lastName,
      email: grant.user.email,
      accountOwner: grant.user.accountOwner,
      locale: grant.user.locale,
      createdAt: now,
    });
    this.deps.logger.info({ shop: shop.domain, userId: grant.user.id, expiresAt }, "admin session started");
    return ok({ token, expiresAt });
  }

  /** The signed-in user and their shop, or null (no such session, expired, or the shop uninstalled). */
  async authenticate(token: string | null): Promise<AdminPrincipal | null> {
    if (!token || !TOKEN.test(token)) return null;
    // Read on every request, never cached: a logout or an uninstall takes effect on the next request, on every instance.
    const found = await this.deps.sessions.findActivePrincipal(sessionIdFor(token), this.deps.clock.now());
    if (!found || found.shop.status !== "installed") return null;
    return { session: found.session, shop: found.shop };
  }

  async end(token: string | null): Promise<void> {
    if (!token || !TOKEN.test(token)) return;
    await this.deps.sessions.delete(sessionIdFor(token));
  }
}

/** The stored id is a hash of the cookie value, so the table alone cannot be replayed as cookies. */
export function sessionIdFor(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
