import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AdminApi, signIn } from "../../helpers/admin-browser";
import { memoryLogger, startAdminTestApp } from "../../helpers/admin-test-app";
import type { TestApp } from "../../helpers/test-app";

const SHOP = "bodega-rosa.myshopify.com";
const SECRET_SANDBOX = "sk-SANDBOX-9f8e7d6c5b4a39281706";
const SECRET_WRONG = "sk-WRONG-0011223344556677889900";
// Five digits, as production services have (DOC says N 4; docs/contracts.md).
const ID_SERVICE = 20329;
const ACCESS_KEY = "AKROSAPRE0001";

interface Credential {
  accessKey: string;
  idService: number;
  hasSecretKey: boolean;
  verifiedAt: string | null;
  lastTestError: string | null;
}
interface Settings {
  cipLifetimeHours: number;
  notificationUrl: string;
  notificationUrlConfirmedAt: string | null;
  ready: boolean;
  externalHandle: string | null;
  credentials: { sandbox: Credential | null; production: Credential | null };
}
interface Setup {
  steps: { credentials: boolean; connectionTested: boolean; notificationUrlConfirmed: boolean; activated: boolean };
  notificationUrl: string;
}
interface GraphQLCall {
  shop: string;
  api: string;
  rootFields: string[];
  outcome: string;
}

describe("admin settings, credentials, Test connection and activation", () => {
  let t: TestApp;
  let api: AdminApi;
  const logs = memoryLogger();
  /** Every response body this test saw, to prove the secretKey never comes back. */
  const seen: string[] = [];

  const call = async <T>(method: string, path: string, body?: unknown) => {
    const response = await api.request<T>(method, path, body);
    seen.push(JSON.stringify(response.body));
    return response;
  };

  beforeAll(async () => {
    // A shop as production installs it: no emulator service set up for it (the sandbox default gives every
    // installed shop its own; admin-shop-isolation.test.ts covers that).
    t = await startAdminTestApp({ logger: logs.logger, env: { SANDBOX_PROVISION_SHOPS: "false" } });
    api = (await signIn(t, SHOP)).api;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("starts with nothing set up, and refuses to activate", async () => {
    const setup = await call<Setup>("GET", "/api/setup");
    expect(setup.body.steps).toEqual({ credentials: false, connectionTested: false, notificationUrlConfirmed: false, activated: false });
    const shop = await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    expect(setup.body.notificationUrl).toBe(`${t.url}/webhooks/pagoefectivo/${shop.notificationKey}`);

    const settings = await call<Settings>("GET", "/api/settings");
    expect(settings.body.credentials).toEqual({ sandbox: null, production: null });
    expect(settings.body.cipLifetimeHours).toBe(48);

    const activate = await call<{ error: { code: string } }>("POST", "/api/activate", {});
    expect(activate.status).toBe(409);
    const test = await call("POST", "/api/credentials/sandbox/test");
    expect(test.status).toBe(409);
    const noSecret = await call<{ error: { details: Array<{ path: string }> } }>("PUT", "/api/credentials/sandbox", { accessKey: ACCESS_KEY, idService: ID_SERVICE });
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.error.details[0]?.path).toBe("secretKey");
    const tenDigits = await call<{ error: { details: Array<{ path: string }> } }>("PUT", "/api/credentials/sandbox", { accessKey: ACCESS_KEY, secretKey: SECRET_SANDBOX, idService: 1234567890 });
    expect(tenDigits.status).toBe(400);
    expect(tenDigits.body.error.details[0]?.path).toBe("idService");
  });

  it("stores the credentials with the secretKey sealed, and never returns it", async () => {
    const saved = await call<Settings>("PUT", "/api/credentials/sandbox", { accessKey: ACCESS_KEY, secretKey: SECRET_SANDBOX, idService: ID_SERVICE });
    expect(saved.status).toBe(200);
    expect(saved.body.credentials.sandbox).toEqual({ accessKey: ACCESS_KEY, idService: ID_SERVICE, hasSecretKey: true, verifiedAt: null, lastTestError: null });
    expect(saved.body.credentials.production).toBeNull();

    const shop = await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const row = await t.app.db.prisma.pagoEfectivoCredential.findUniqueOrThrow({ where: { shopId_environment: { shopId: shop.id, environment: "sandbox" } } });
    expect(row.secretKeyEncrypted).not.toContain(SECRET_SANDBOX);
    expect(row.secretKeyEncrypted).toMatch(/^v1\./);
    expect(t.app.secrets.decrypt(row.secretKeyEncrypted)).toBe(SECRET_SANDBOX);

    // Saving again without a secretKey keeps the sealed one.
    const resaved = await call<Settings>("PUT", "/api/credentials/sandbox", { accessKey: ACCESS_KEY, idService: ID_SERVICE });
    expect(resaved.status).toBe(200);
    const again = await t.app.db.prisma.pagoEfectivoCredential.findUniqueOrThrow({ where: { id: row.id } });
    expect(t.app.secrets.decrypt(again.secretKeyEncrypted)).toBe(SECRET_SANDBOX);
  });

  it("tests the connection against the emulator: success with the right keys, plain words with wrong ones", async () => {
    const shop = await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const registered = await t.json("PUT", `/sandbox/pagoefectivo/services/${ID_SERVICE}`, {
      accessKey: ACCESS_KEY,
      secretKey: SECRET_SANDBOX,
      notificationUrl: `${t.url}/webhooks/pagoefectivo/${shop.notificationKey}`,
    });
    expect(registered.status).toBe(200);

    const good = await call<{ ok: boolean; tokenExpires: string }>("POST", "/api/credentials/sandbox/test");
    expect(good.status).toBe(200);
    expect(good.body.ok).toBe(true);
    expect(Date.parse(good.body.tokenExpires)).toBeGreaterThan(Date.now());

    await call("PUT", "/api/credentials/production", { accessKey: ACCESS_KEY, secretKey: SECRET_WRONG, idService: ID_SERVICE });
    const bad = await call<{ ok: boolean; message: string }>("POST", "/api/credentials/production/test");
    expect(bad.status).toBe(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.message).toMatch(/rejected the credentials/);

    const settings = await call<Settings>("GET", "/api/settings");
    expect(settings.body.credentials.sandbox?.verifiedAt).not.toBeNull();
    expect(settings.body.credentials.sandbox?.lastTestError).toBeNull();
    expect(settings.body.credentials.production?.verifiedAt).toBeNull();
    expect(settings.body.credentials.production?.lastTestError).toBe(bad.body.message);

    // New keys are untested until tested again.
    const changed = await call<Settings>("PUT", "/api/credentials/sandbox", { accessKey: ACCESS_KEY, secretKey: SECRET_SANDBOX, idService: ID_SERVICE });
    expect(changed.body.credentials.sandbox?.verifiedAt).toBeNull();
    expect((await call<Setup>("GET", "/api/setup")).body.steps.connectionTested).toBe(false);
    expect((await call<{ ok: boolean }>("POST", "/api/credentials/sandbox/test")).body.ok).toBe(true);
  });

  it("records the notification URL confirmation", async () => {
    const confirmed = await call<Settings>("POST", "/api/notification-url/confirm");
    expect(confirmed.status).toBe(200);
    expect(Date.parse(confirmed.body.notificationUrlConfirmedAt ?? "")).toBeGreaterThan(0);
    const setup = await call<Setup>("GET", "/api/setup");
    expect(setup.body.steps).toEqual({ credentials: true, connectionTested: true, notificationUrlConfirmed: true, activated: false });
  });

  it("activates with paymentsAppConfigure(ready: true) at Shopify, and deactivates", async () => {
    // Until then Shopify does not offer the app at checkout: no payment session reaches it.
    const before = await t.json<{ error: string }>("POST", "/sandbox/shopify/checkouts", { shop: SHOP, amount: "10.00", currency: "PEN", test: true });
    expect(before.status).toBe(409);
    expect(before.body.error).toContain("paymentsAppConfigure(ready: true)");
    const activated = await call<Settings>("POST", "/api/activate", { externalHandle: "Bodega Rosa – PagoEfectivo" });
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ ready: true, externalHandle: "Bodega Rosa – PagoEfectivo" });

    const calls = await t.json<{ calls: GraphQLCall[] }>("GET", "/sandbox/shopify/graphql-calls");
    const configures = calls.body.calls.filter((c) => c.shop === SHOP && c.rootFields.includes("paymentsAppConfigure"));
    expect(configures).toHaveLength(1);
    expect(configures[0]?.api).toBe("payments");
    const shops = await t.json<{ shops: Array<{ shop: string; paymentsAppConfiguration: { ready: boolean; externalHandle: string | null } | null }> }>(
      "GET",
      "/sandbox/shopify/shops",
    );
    expect(shops.body.shops.find((s) => s.shop === SHOP)?.paymentsAppConfiguration).toMatchObject({ ready: true, externalHandle: "Bodega Rosa – PagoEfectivo" });
    expect((await call<Setup>("GET", "/api/setup")).body.steps.activated).toBe(true);
    const offered = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop: SHOP, amount: "10.00", currency: "PEN", test: true });
    expect(offered.status, JSON.stringify(offered.body)).toBe(200);
    expect(offered.body.status).toBe(201);

    const deactivated = await call<Settings>("POST", "/api/deactivate");
    expect(deactivated.status).toBe(200);
    expect(deactivated.body).toMatchObject({ ready: false, externalHandle: "Bodega Rosa – PagoEfectivo" });
    const after = await t.json<{ shops: Array<{ shop: string; paymentsAppConfiguration: { ready: boolean } | null }> }>("GET", "/sandbox/shopify/shops");
    expect(after.body.shops.find((s) => s.shop === SHOP)?.paymentsAppConfiguration?.ready).toBe(false);
    expect((await t.json("POST", "/sandbox/shopify/checkouts", { shop: SHOP, amount: "10.00", currency: "PEN", test: true })).status).toBe(409);
  });

  it("answers 502 shopify_error when Shopify fails, and keeps the shop as it was", async () => {
    // Aimed at the configure mutation: a delivery of the earlier checkout's session must not take it first.
    const fault = await t.json("POST", "/sandbox/shopify/faults", { kind: "error500", count: 1, api: "payments", operation: "paymentsAppConfigure" });
    expect(fault.status).toBe(201);
    const failed = await call<{ error: { code: string; message: string } }>("POST", "/api/activate", {});
    await t.json("DELETE", "/sandbox/shopify/faults");
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe("shopify_error");
    expect((await call<Settings>("GET", "/api/settings")).body.ready).toBe(false);
  });

  it("never puts the secretKey or the offline token in a response or a log line", async () => {
    const shop = await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const offlineToken = t.app.secrets.decrypt(shop.offlineTokenEncrypted ?? "");
    const everything = seen.join("\n");
    expect(seen.length).toBeGreaterThan(15);
    expect(everything).not.toContain(SECRET_SANDBOX);
    expect(everything).not.toContain(SECRET_WRONG);
    const logged = logs.text();
    expect(logged).toContain("PagoEfectivo credentials saved");
    expect(logged).toContain("PagoEfectivo connection tested");
    expect(logged).toContain("admin session started");
    expect(logged).not.toContain(SECRET_SANDBOX);
    expect(logged).not.toContain(SECRET_WRONG);
    expect(logged).not.toContain(offlineToken);
  });
});
