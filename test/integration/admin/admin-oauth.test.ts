import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";

import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { setAdminCookie } from "../../../app/http/admin/admin-cookies";
import { AdjustableClock } from "../../../app/lib/clock";
import { adminApi, browse, BROWSER_UA, completeOAuth, consentForm, CookieJar, CSRF, parseSetCookie, signIn } from "../../helpers/admin-browser";
import { startAdminTestApp } from "../../helpers/admin-test-app";
import type { TestApp } from "../../helpers/test-app";

interface SessionInfo {
  shop: { domain: string; name: string; locale: string; timezone: string };
  user: { email: string | null; firstName: string | null; lastName: string | null; locale: string | null };
  mode: string;
  appUrl: string;
}

const NEW_SHOP = "tienda-nueva-lima.myshopify.com";
/** Never installed: /auth/install starts the offline grant for it (an installed shop skips to the login). */
const FRESH_SHOP = "tienda-sin-instalar.myshopify.com";
/** Installed, signed in, then uninstalled (its sessions must stop working at once). */
const UNINSTALLED_SHOP = "tienda-desinstalada.myshopify.com";

describe("admin OAuth install and sign-in through the Shopify simulator", () => {
  let t: TestApp;
  const authClock = new AdjustableClock();

  beforeAll(async () => {
    t = await startAdminTestApp({ admin: { authClock } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("installs a new shop (offline grant), signs the merchant in (online grant) and ends at /admin with a working pe_admin cookie", async () => {
    const jar = new CookieJar();
    const trail = await completeOAuth(t, jar, `/auth/install?shop=${NEW_SHOP}`);
    const paths = trail.urls.map((u) => {
      const url = new URL(u);
      return `${url.pathname}${url.searchParams.has("grant_options[]") ? `?grant_options[]=${url.searchParams.get("grant_options[]")}` : ""}`;
    });
    // install → consent (offline) → callback → login → consent (per-user) → login callback → /admin
    expect(paths).toEqual([
      "/auth/install",
      `/sandbox/shopify/shops/${NEW_SHOP}/admin/oauth/authorize?grant_options[]=`,
      "/auth/callback",
      "/auth/login",
      `/sandbox/shopify/shops/${NEW_SHOP}/admin/oauth/authorize?grant_options[]=per-user`,
      "/auth/login/callback",
      "/admin",
    ]);

    const state = jar.received.find((c) => c.name === "shopify_app_state");
    expect(state?.attributes.path).toBe("/auth/callback");
    expect(state?.attributes.secure).toBeUndefined(); // plain http: a Secure cookie would be dropped

    const adminCookie = jar.received.filter((c) => c.name === "pe_admin").at(-1);
    expect(adminCookie?.attributes.httponly).toBe(true);
    expect(String(adminCookie?.attributes.samesite).toLowerCase()).toBe("lax");
    expect(adminCookie?.attributes.path).toBe("/");
    expect(adminCookie?.attributes.secure).toBeUndefined(); // APP_URL is http here
    expect(Number(adminCookie?.attributes["max-age"])).toBeGreaterThan(3600);
    expect(Number(adminCookie?.attributes["max-age"])).toBeLessThanOrEqual(24 * 3600);

    const api = adminApi(t, trail.adminCookie);
    const session = await api.get<SessionInfo>("/api/session");
    expect(session.status).toBe(200);
    expect(session.body.shop).toEqual({ domain: NEW_SHOP, name: "Tienda Nueva Lima", locale: "es", timezone: "America/Lima" });
    expect(session.body.user).toMatchObject({ email: "owner@tienda-nueva-lima.example.pe", firstName: "Rosa", locale: "es" });
    expect(session.body.mode).toBe("sandbox");
    expect(session.body.appUrl).toBe(t.url);

    // The shop row holds the offline token sealed; the simulator accepts what it opens to.
    const shop = await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: NEW_SHOP } });
    expect(shop.status).toBe("installed");
    expect(shop.offlineTokenEncrypted).toMatch(/^v1\./);
    const offlineToken = t.app.secrets.decrypt(shop.offlineTokenEncrypted ?? "");
    expect(offlineToken).toMatch(/^shpat_/);
    expect(shop.offlineTokenEncrypted).not.toContain(offlineToken);

    const graphql = await fetch(`${t.url}/sandbox/shopify/shops/${NEW_SHOP}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": offlineToken },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(graphql.status).toBe(200);

    // The admin session row: keyed by a hash of the cookie, online token sealed, expiry ≤ 24 h.
    const row = await t.app.db.prisma.shopifySession.findUniqueOrThrow({ where: { id: createHash("sha256").update(trail.adminCookie).digest("hex") } });
    expect(row.shop).toBe(NEW_SHOP);
    expect(row.isOnline).toBe(true);
    expect(row.accessTokenEncrypted).toMatch(/^v1\./);
    expect(t.app.secrets.decrypt(row.accessTokenEncrypted ?? "")).toMatch(/^shpua_/);
    expect(await t.app.db.prisma.shopifySession.count({ where: { id: trail.adminCookie } })).toBe(0);
    expect(row.expires!.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000);
  });

  it("asks an installed shop only for the per-user grant on a second install, on a consent screen named after the app", async () => {
    // The first test installed NEW_SHOP (offline token and its scopes stored).
    const jar = new CookieJar();
    const trail = await completeOAuth(t, jar, `/auth/install?shop=${NEW_SHOP}`);
    const consents = trail.urls.filter((u) => new URL(u).pathname.endsWith("/admin/oauth/authorize"));
    expect(consents).toHaveLength(1);
    expect(new URL(consents[0] ?? "").searchParams.get("grant_options[]")).toBe("per-user");
    expect(trail.urls.map((u) => new URL(u).pathname)).toEqual([
      "/auth/install",
      "/auth/login",
      `/sandbox/shopify/shops/${NEW_SHOP}/admin/oauth/authorize`,
      "/auth/login/callback",
      "/admin",
    ]);
    expect((await adminApi(t, trail.adminCookie).get("/api/session")).status).toBe(200);

    // The consent screen names the app as configured (SHOPIFY_APP_NAME, shopify.app.toml `name`), not by its client id.
    const page = await (await browse(new CookieJar(), consents[0] ?? "")).text();
    expect(page).toContain("<h1>Install PagoEfectivo</h1>");
    expect(page).not.toMatch(/App sandbox-/);

    // A shop whose offline grant lacks a scope the app asks for goes through the offline grant again.
    await t.app.db.prisma.shop.update({ where: { domain: NEW_SHOP }, data: { scopes: "" } });
    const again = await completeOAuth(t, new CookieJar(), `/auth/install?shop=${NEW_SHOP}`);
    expect(again.urls.filter((u) => new URL(u).pathname.endsWith("/admin/oauth/authorize"))).toHaveLength(2);
    expect((await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: NEW_SHOP } })).scopes).toContain("read_orders");
  });

  it("sends /admin?shop= without a session (or with another shop's session) to the login", async () => {
    const anonymous = await adminApi(t, null).raw(`/admin?shop=${NEW_SHOP}&hmac=abc&timestamp=1`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe(`/auth/login?shop=${NEW_SHOP}`);

    const { trail } = await signIn(t, "pagoefectivo-demo.myshopify.com", "login");
    const otherShop = await adminApi(t, trail.adminCookie).raw(`/admin?shop=${NEW_SHOP}`);
    expect(otherShop.status).toBe(302);
    const sameShop = await adminApi(t, trail.adminCookie).raw(`/admin?shop=pagoefectivo-demo.myshopify.com`);
    expect(sameShop.status).toBe(503); // signed in; this test app has no SPA build
  });

  it("sends a login for a shop that never installed the app to the install", async () => {
    const response = await browse(new CookieJar(), `${t.url}/auth/login?shop=never-installed.myshopify.com`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/auth/install?shop=never-installed.myshopify.com");
  });

  it("shows a sign-in form without a shop, and refuses a shop that is not *.myshopify.com", async () => {
    const form = await browse(new CookieJar(), `${t.url}/auth/login`);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('name="shop"');
    const bad = await browse(new CookieJar(), `${t.url}/auth/install?shop=evil.example.com`);
    expect(bad.status).toBe(400);
  });

  it("refuses a callback whose signature was tampered with, or that lost its state cookie", async () => {
    const jar = new CookieJar();
    const begin = await browse(jar, `${t.url}/auth/install?shop=${FRESH_SHOP}`);
    const consent = await browse(jar, begin.headers.get("location") ?? "");
    const form = consentForm(await consent.text());
    expect(form).not.toBeNull();
    const granted = await browse(jar, form!.action, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form!.fields).toString(),
    });
    const callback = new URL(granted.headers.get("location") ?? "");

    const tampered = new URL(callback);
    tampered.searchParams.set("shop", "pagoefectivo-demo.myshopify.com");
    const refused = await browse(jar, tampered.toString());
    expect(refused.status).toBe(400);

    const withoutState = await browse(new CookieJar(), callback.toString());
    expect(withoutState.status).toBe(400);
    expect(await withoutState.text()).toContain("start again");
  });

  it("refuses crawlers at the start of the flow", async () => {
    const response = await fetch(`${t.url}/auth/install?shop=${FRESH_SHOP}`, { redirect: "manual", headers: { "User-Agent": "Googlebot/2.1" } });
    expect(response.status).toBe(403);
  });

  it("ends a signed-in session on the very next request once the app is uninstalled (nothing cached)", async () => {
    const session = await signIn(t, UNINSTALLED_SHOP);
    expect((await session.api.get("/api/payments")).status).toBe(200);
    const uninstall = await t.json<{ webhook: unknown }>("POST", `/sandbox/shopify/shops/${UNINSTALLED_SHOP}/uninstall`, {});
    expect(uninstall.status).toBe(200);
    const after = await session.api.get<{ error: { code: string } }>("/api/payments");
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("unauthenticated");
  });

  it("ends the session on logout, and after 24 hours", async () => {
    const first = await signIn(t, NEW_SHOP, "login");
    expect((await first.api.get("/api/session")).status).toBe(200);
    const logout = await fetch(`${t.url}/auth/logout`, {
      method: "POST",
      headers: { ...CSRF, Cookie: `pe_admin=${first.trail.adminCookie}`, "User-Agent": BROWSER_UA },
    });
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie().join()).toMatch(/pe_admin=;/);
    expect((await first.api.get("/api/session")).status).toBe(401);

    const second = await signIn(t, NEW_SHOP, "login");
    expect((await second.api.get("/api/session")).status).toBe(200);
    authClock.advance(24 * 3600 + 60);
    const expired = await second.api.get<{ error: { code: string } }>("/api/session");
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe("unauthenticated");
  });
});

describe("admin sign-in behind https (APP_URL https, TLS terminated in front)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startAdminTestApp({ httpsAppUrl: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("keeps the state cookie Secure and points Shopify back at the https callback", async () => {
    const jar = new CookieJar();
    const begin = await browse(jar, `${t.url}/auth/install?shop=${NEW_SHOP}`);
    expect(begin.status).toBe(302);
    const authorize = new URL(begin.headers.get("location") ?? "");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${t.url.replace("http:", "https:")}/auth/callback`);
    expect(jar.received.find((c) => c.name === "shopify_app_state")?.attributes.secure).toBeDefined();
  });

  it("sets pe_admin Secure, sends HSTS, and clears the cookie Secure on logout", async () => {
    const app = express();
    app.get("/", (_req, res) => {
      setAdminCookie(res, "t".repeat(43), new Date(Date.now() + 3_600_000), new Date(), true);
      res.end();
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    const set = parseSetCookie((await fetch(`http://127.0.0.1:${port}/`)).headers.getSetCookie()[0] ?? "");
    server.close();
    expect(set).toMatchObject({ name: "pe_admin", attributes: { secure: true, httponly: true, path: "/" } });

    const headers = await fetch(`${t.url}/auth/login`);
    expect(headers.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    const logout = await fetch(`${t.url}/auth/logout`, { method: "POST", redirect: "manual", headers: CSRF });
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie().join()).toMatch(/pe_admin=;.*Secure/i);
  });
});
