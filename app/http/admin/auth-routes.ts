import { type Response, Router } from "express";

import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { AdminShop } from "../../ports/admin-settings";
import { OAUTH_CALLBACK_PATHS, OAUTH_STATE_COOKIES, type OAuthError, type OAuthRedirect, type ShopifyOAuthFlow } from "../../ports/shopify-oauth";
import type { AdminSessions } from "../../use-cases/admin-session/admin-sessions";
import type { CompleteInstall } from "../../use-cases/admin-session/complete-install";
import { statusOfRefusal } from "../result-status";
import { assertSameOriginWrite } from "./admin-auth";
import { ADMIN_COOKIE, clearAdminCookie, readCookie, setAdminCookie } from "./admin-cookies";
import { authErrorPage, loginPage } from "./auth-pages";

/**
 * Browser routes of the Shopify OAuth flow (see docs/admin-api.md, "Authentication"):
 * install = offline grant (the shop's token) then the online grant (the signed-in user); an
 * installed shop whose offline grant covers the app's scopes skips straight to the online grant;
 * login = online grant only. Every page here is HTML; nothing answers JSON.
 */

export interface AuthRoutesDeps {
  oauth: ShopifyOAuthFlow;
  completeInstall: CompleteInstall;
  sessions: AdminSessions;
  shops: { findShopByDomain(domain: string): Promise<AdminShop | null> };
  /** Wall time, for the cookie's lifetime (see AdminSessions). */
  authClock: Clock;
  secureCookies: boolean;
  /** The app's public URL: logout, like every change, must come from the panel's own origin. */
  appUrl: string;
  logger: Logger;
}

export function authRoutes(deps: AuthRoutesDeps): Router {
  const router = Router();
  const { oauth } = deps;

  router.get("/install", async (req, res) => {
    const shop = oauth.sanitizeShop(req.query.shop);
    if (!shop) {
      res.status(400).type("html").send(loginPage("Falta el dominio de la tienda (?shop=…myshopify.com) / The shop domain is missing or invalid"));
      return;
    }
    // Installed, with an offline token (app/uninstalled marks the shop uninstalled) whose scopes hold
    // every scope asked for: only the staff member's online grant is missing, so ask only for that.
    // Shopify's own Express package does the same: ensureInstalled sends a shop to the offline grant
    // only when it has no valid offline session or the scopes changed (@shopify/shopify-app-express,
    // ensure-installed-on-shop / validate-authenticated-session: config.scopes.equals(session.scope)).
    // The token itself is not probed here; a revoked one shows at its first Admin API call.
    const known = await deps.shops.findShopByDomain(shop);
    if (isInstalled(known) && oauth.grantCovers(known.scopes)) {
      res.redirect(302, loginUrl(shop));
      return;
    }
    redirectOrFail(res, await oauth.begin(req, shop, "offline"), installUrl(shop));
  });

  router.get("/callback", async (req, res) => {
    clearStateCookies(res, OAUTH_CALLBACK_PATHS.offline);
    const shop = oauth.sanitizeShop(req.query.shop);
    const grant = await oauth.callback(req, "offline");
    if (!grant.ok) return failPage(res, deps.logger, grant.error, shop ? installUrl(shop) : null);
    await deps.completeInstall.execute(grant.value);
    // Installed; now the person installing signs in to the panel (online, per-user token).
    res.redirect(302, loginUrl(grant.value.shop));
  });

  router.get("/login", async (req, res) => {
    if (req.query.shop === undefined || req.query.shop === "") {
      res.type("html").send(loginPage());
      return;
    }
    const shop = oauth.sanitizeShop(req.query.shop);
    if (!shop) {
      res.status(400).type("html").send(loginPage("Ese no es un dominio *.myshopify.com / That is not a *.myshopify.com domain"));
      return;
    }
    const known = await deps.shops.findShopByDomain(shop);
    if (!isInstalled(known)) {
      res.redirect(302, installUrl(shop));
      return;
    }
    redirectOrFail(res, await oauth.begin(req, shop, "online"), loginUrl(shop));
  });

  router.get("/login/callback", async (req, res) => {
    clearStateCookies(res, OAUTH_CALLBACK_PATHS.online);
    const shop = oauth.sanitizeShop(req.query.shop);
    const grant = await oauth.callback(req, "online");
    if (!grant.ok) return failPage(res, deps.logger, grant.error, shop ? loginUrl(shop) : null);
    const started = await deps.sessions.start(grant.value);
    if (!started.ok) {
      res.redirect(302, installUrl(started.error.shop));
      return;
    }
    setAdminCookie(res, started.value.token, started.value.expiresAt, deps.authClock.now(), deps.secureCookies);
    res.redirect(302, "/admin");
  });

  router.post("/logout", async (req, res) => {
    // The panel logs out with fetch and the CSRF header; a form on another site must not (issue #10).
    assertSameOriginWrite(req, deps.appUrl);
    await deps.sessions.end(readCookie(req, ADMIN_COOKIE));
    clearAdminCookie(res, deps.secureCookies);
    res.status(204).end();
  });

  return router;
}

const isInstalled = (shop: AdminShop | null): shop is AdminShop => shop !== null && shop.status === "installed" && shop.offlineTokenEncrypted !== null;
const installUrl = (shop: string) => `/auth/install?shop=${encodeURIComponent(shop)}`;
const loginUrl = (shop: string) => `/auth/login?shop=${encodeURIComponent(shop)}`;

function redirectOrFail(res: Response, begun: Awaited<ReturnType<ShopifyOAuthFlow["begin"]>>, retryUrl: string): void {
  if (!begun.ok) {
    const status = begun.error.kind === "bot" ? 403 : 400;
    res.status(status).type("html").send(authErrorPage("No se pudo iniciar sesión / Could not sign in", begun.error.message, retryUrl));
    return;
  }
  sendRedirect(res, begun.value);
}

function sendRedirect(res: Response, redirect: OAuthRedirect): void {
  for (const cookie of redirect.setCookies) res.append("Set-Cookie", cookie);
  res.redirect(302, redirect.location);
}

/** The state nonce is single-use: drop it whatever the callback's outcome. */
function clearStateCookies(res: Response, path: string): void {
  for (const name of OAUTH_STATE_COOKIES) res.clearCookie(name, { path });
}

function failPage(res: Response, logger: Logger, error: OAuthError, retryUrl: string | null): void {
  logger.warn({ kind: error.kind }, "OAuth callback refused");
  res.status(statusFor(error)).type("html").send(authErrorPage("No se pudo completar / Could not complete", error.message, retryUrl));
}

function statusFor(error: OAuthError): number {
  return statusOfRefusal(error.kind);
}
