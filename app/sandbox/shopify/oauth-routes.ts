import { timingSafeEqual } from "node:crypto";

import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";

import { consentPage, messagePage } from "./html-pages";
import { ensureShop, installOffline, issueOnlineToken } from "./shops";
import { type SimulatorContext } from "./simulator-context";
import { type RegisteredApp } from "./simulator-types";
import { hmacHex, newOAuthCode, sha256Hex, SHOP_DOMAIN } from "./simulator-values";

/**
 * Shopify's authorization-code grant: the consent page, the signed callback redirect and the
 * access-token exchange, on the same paths as https://{shop}/admin/oauth/... so the app only
 * rewrites the origin.
 */

const CODE_LIFETIME_MS = 10 * 60 * 1000;

const authorizeSchema = z.object({
  client_id: z.string().min(1, "client_id is required"),
  scope: z.string().default(""),
  redirect_uri: z.url({ error: "redirect_uri must be an absolute URL" }),
  state: z.string().optional(),
  grant_options: z.string().optional(),
});

const tokenSchema = z.object({
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  code: z.string().min(1),
});

export function mountOAuthRoutes(router: Router, context: SimulatorContext): void {
  router.get("/shops/:shop/admin/oauth/authorize", (req, res) => {
    const checked = checkAuthorize(context, req, queryParams(req));
    if (!checked.ok) {
      res.status(checked.status).type("html").send(messagePage("Oauth error", checked.message));
      return;
    }
    const { shop, params, app } = checked;
    const hidden: Record<string, string> = { client_id: params.client_id, scope: params.scope, redirect_uri: params.redirect_uri };
    if (params.state !== undefined) hidden.state = params.state;
    if (params.grant_options) hidden.grant_options = params.grant_options;
    res.type("html").send(
      consentPage({
        shop,
        // Shopify's install screen names the app by its Partner Dashboard name (shopify.dev, "Authorization
        // code grant": the merchant is asked to approve the app's access). An app registered without a
        // name (older control-API callers) falls back to its client id: a guess, Shopify always has a name.
        appName: app.name ?? `App ${app.apiKey.slice(0, 8)}`,
        scopes: params.scope.split(",").filter((scope) => scope.length > 0),
        hidden,
        action: `${context.publicUrl()}/shops/${shop}/admin/oauth/authorize`,
      }),
    );
  });

  router.post("/shops/:shop/admin/oauth/authorize", express.urlencoded({ extended: false }), async (req, res) => {
    const checked = checkAuthorize(context, req, (req.body ?? {}) as Record<string, unknown>);
    if (!checked.ok) {
      res.status(checked.status).type("html").send(messagePage("Oauth error", checked.message));
      return;
    }
    const { shop, params, app } = checked;
    ensureShop(context, shop);
    const code = newOAuthCode();
    context.state.oauthCodes[sha256Hex(code)] = {
      shop,
      scope: params.scope,
      perUser: params.grant_options === "per-user",
      expiresAt: new Date(context.wallClock.now().getTime() + CODE_LIFETIME_MS).toISOString(),
      used: false,
    };
    pruneCodes(context);
    await context.store.save();

    const callback: Record<string, string> = {
      code,
      host: Buffer.from(`${shop}/admin`).toString("base64"),
      shop,
      timestamp: String(Math.floor(context.wallClock.now().getTime() / 1000)),
    };
    if (params.state !== undefined) callback.state = params.state;
    const target = new URL(params.redirect_uri);
    const signed = signOAuthQuery(app.apiSecret, callback);
    for (const [key, value] of signed) target.searchParams.append(key, value);
    context.logger.info({ shop, perUser: params.grant_options === "per-user" }, "oauth consent granted");
    res.redirect(302, target.toString());
  });

  router.post(
    "/shops/:shop/admin/oauth/access_token",
    express.json(),
    express.urlencoded({ extended: false }),
    async (req: Request<{ shop: string }>, res: Response) => {
      const app = context.state.app;
      const parsed = tokenSchema.safeParse(req.body ?? {});
      if (app === null) {
        res.status(400).json({ error: "invalid_request", error_description: "No app registered with the simulator" });
        return;
      }
      if (!parsed.success) {
        res.status(400).json({ error: "invalid_request", error_description: "client_id, client_secret and code are required" });
        return;
      }
      if (parsed.data.client_id !== app.apiKey || !safeEqual(parsed.data.client_secret, app.apiSecret)) {
        res.status(400).json({ error: "invalid_client", error_description: "Client credentials are invalid" });
        return;
      }
      const hash = sha256Hex(parsed.data.code);
      const grant = context.state.oauthCodes[hash];
      const now = context.wallClock.now().getTime();
      if (grant === undefined || grant.used || grant.shop !== req.params.shop || Date.parse(grant.expiresAt) <= now) {
        res.status(400).json({ error: "invalid_request", error_description: "The authorization code was not found or was already used" });
        return;
      }
      grant.used = true;
      const shop = ensureShop(context, grant.shop);
      if (!grant.perUser) {
        const accessToken = installOffline(shop, grant.scope);
        await context.store.save();
        context.logger.info({ shop: shop.domain }, "offline access token issued");
        res.json({ access_token: accessToken, scope: grant.scope });
        return;
      }
      shop.installed = true;
      shop.scopes = shop.scopes || grant.scope;
      const userId = shop.shopId + 22_000_000_000;
      const online = issueOnlineToken(context, shop, userId);
      await context.store.save();
      context.logger.info({ shop: shop.domain, userId }, "online access token issued");
      res.json({
        access_token: online.token,
        scope: grant.scope,
        expires_in: online.expiresIn,
        associated_user_scope: grant.scope,
        associated_user: {
          id: userId,
          first_name: "Rosa",
          last_name: "Huamán",
          email: shop.email,
          email_verified: true,
          account_owner: true,
          locale: "es",
          collaborator: false,
        },
      });
    },
  );
}

/**
 * Signs callback parameters the way Shopify does and shopify-api verifies: keys sorted, encoded as
 * a query string (URLSearchParams), hex HMAC-SHA256 with the app secret, appended as `hmac`.
 */
export function signOAuthQuery(secret: string, params: Record<string, string>): URLSearchParams {
  const sorted = new URLSearchParams();
  for (const key of Object.keys(params).sort((a, b) => a.localeCompare(b))) sorted.append(key, params[key] as string);
  const signed = new URLSearchParams(sorted);
  signed.append("hmac", hmacHex(secret, sorted.toString()));
  return signed;
}

type AuthorizeCheck =
  | { ok: true; shop: string; params: z.infer<typeof authorizeSchema>; app: RegisteredApp }
  | { ok: false; status: number; message: string };

function checkAuthorize(context: SimulatorContext, req: Request, raw: Record<string, unknown>): AuthorizeCheck {
  const shop = String(req.params.shop ?? "");
  if (!SHOP_DOMAIN.test(shop)) return { ok: false, status: 400, message: `${shop} is not a valid myshopify.com domain` };
  const app = context.state.app;
  if (app === null) return { ok: false, status: 409, message: "No app registered: PUT /sandbox/shopify/app first" };
  const parsed = authorizeSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, status: 400, message: parsed.error.issues[0]?.message ?? "Invalid request" };
  if (parsed.data.client_id !== app.apiKey) {
    return { ok: false, status: 400, message: "Invalid API key: the client_id does not match any app" };
  }
  const allowed = app.redirectUrls ?? [];
  if (allowed.length > 0 && !allowed.includes(parsed.data.redirect_uri.split("?")[0] as string)) {
    return { ok: false, status: 400, message: "The redirect_uri is not whitelisted for this app" };
  }
  return { ok: true, shop, params: parsed.data, app };
}

// Read from the raw URL so `grant_options[]` is found whatever query parser Express is set to use.
function queryParams(req: Request): Record<string, string> {
  const params = new URL(req.originalUrl, "http://simulator.invalid").searchParams;
  const out: Record<string, string> = {};
  for (const [key, value] of params) out[key === "grant_options[]" ? "grant_options" : key] = value;
  return out;
}

function pruneCodes(context: SimulatorContext): void {
  const now = context.wallClock.now().getTime();
  for (const [hash, grant] of Object.entries(context.state.oauthCodes)) {
    if (Date.parse(grant.expiresAt) + CODE_LIFETIME_MS < now) delete context.state.oauthCodes[hash];
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
