import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CSRF, signIn } from "../helpers/admin-browser";
import { memoryLogger, startAdminTestApp } from "../helpers/admin-test-app";
import { eventually, type TestApp } from "../helpers/test-app";

/**
 * Issue #10, "Secrets": a realistic flow (install through OAuth, sign in, save PagoEfectivo credentials,
 * test the connection, activate, a checkout, the CIP paid and notified, the payment resolved at Shopify)
 * runs with every log line captured at trace level; then the database (every row of every table, and on
 * SQLite the raw file bytes, WAL included) and the logs must hold none of the secrets in plain:
 * the PagoEfectivo secretKeys, the Shopify offline and online access tokens, the app's client secret
 * (SHOPIFY_API_SECRET, which also signs the OAuth cookies), the encryption key, the admin session cookie,
 * and no PagoEfectivo access token (a JWT). The PagoEfectivo accessKey is an identifier, not a secret
 * (PagoEfectivo's authorization needs the secretKey with it; the admin panel shows it): it may sit in its
 * own column, never in the logs.
 */
const SHOP = "bodega-secreta-cusco.myshopify.com";
const ID_SERVICE = 40_417;
const ACCESS_KEY = `AKSECRET${randomBytes(4).toString("hex").toUpperCase()}`;
const SECRET_KEY = `sk-${randomBytes(18).toString("base64url")}`;
const API_SECRET = `shpss_${randomBytes(16).toString("hex")}`;
const ENCRYPTION_KEY = randomBytes(32).toString("base64");
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./;

describe("no secret in plain in the database or the logs", () => {
  let t: TestApp;
  const logs = memoryLogger();
  let adminCookie: string;

  beforeAll(async () => {
    t = await startAdminTestApp({ logger: logs.logger, env: { SHOPIFY_API_SECRET: API_SECRET, ENCRYPTION_KEY } });
    const signedIn = await signIn(t, SHOP, "install");
    adminCookie = signedIn.trail.adminCookie;
    const api = signedIn.api;
    const shop = await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const notificationUrl = `${t.url}/webhooks/pagoefectivo/${shop.notificationKey}`;
    expect((await t.json("PUT", `/sandbox/pagoefectivo/services/${ID_SERVICE}`, { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, notificationUrl })).status).toBe(200);
    expect((await api.put("/api/credentials/sandbox", { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, idService: ID_SERVICE })).status).toBe(200);
    expect((await api.put("/api/credentials/production", { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, idService: ID_SERVICE })).status).toBe(200);
    const tested = await api.post<{ ok: boolean }>("/api/credentials/sandbox/test");
    expect(tested.body.ok, JSON.stringify(tested.body)).toBe(true);
    expect((await api.post("/api/notification-url/confirm")).status).toBe(200);
    expect((await api.post("/api/activate", { externalHandle: "Bodega Secreta" })).status).toBe(200);

    const checkout = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop: SHOP, amount: "88.40", currency: "PEN", test: true });
    expect(checkout.body.status, JSON.stringify(checkout.body)).toBe(201);
    const session = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: checkout.body.id } });
    expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${session.cip}/pay`, {})).status).toBe(200);
    await eventually(async () => (await t.json<{ state: string }>("GET", `/sandbox/shopify/payment-sessions/${checkout.body.id}`)).body.state === "resolved", 20_000);
    // Admin reads that show the payment, its evidence and the settings (what a merchant does next).
    for (const path of ["/api/settings", `/api/payments/${checkout.body.id}`, `/api/payments/${checkout.body.id}/evidence`]) {
      expect((await api.get(path)).status, path).toBe(200);
    }
    // A forged notification and a failed sign-in are logged too.
    const forged = await fetch(notificationUrl, { method: "POST", headers: { "Content-Type": "application/json", "PE-Signature": "00".repeat(32) }, body: "{}" });
    expect(forged.status).toBe(401);
    expect((await fetch(`${t.url}/api/session`, { headers: { Cookie: `pe_admin=${adminCookie.slice(0, -3)}xyz`, ...CSRF } })).status).toBe(401);
  }, 90_000);
  afterAll(async () => {
    await t?.close();
  });

  /** Every secret of the flow, in plain, with a name for the failure message. */
  async function secrets(): Promise<Array<[string, string]>> {
    const prisma = t.app.db.prisma;
    const found: Array<[string, string]> = [
      ["PagoEfectivo secretKey (this shop)", SECRET_KEY],
      ["Shopify client secret", API_SECRET],
      ["encryption key (base64)", ENCRYPTION_KEY],
      ["encryption key (hex)", Buffer.from(ENCRYPTION_KEY, "base64").toString("hex")],
      ["admin session cookie", adminCookie],
    ];
    for (const credential of await prisma.pagoEfectivoCredential.findMany()) {
      found.push([`PagoEfectivo secretKey (${credential.shopId}/${credential.environment})`, t.app.secrets.decrypt(credential.secretKeyEncrypted)]);
    }
    for (const shop of await prisma.shop.findMany()) {
      if (shop.offlineTokenEncrypted) found.push([`Shopify offline token (${shop.domain})`, t.app.secrets.decrypt(shop.offlineTokenEncrypted)]);
    }
    for (const session of await prisma.shopifySession.findMany()) {
      if (session.accessTokenEncrypted) found.push([`Shopify ${session.isOnline ? "online" : "offline"} token (${session.shop})`, t.app.secrets.decrypt(session.accessTokenEncrypted)]);
    }
    // Short values would match by chance; every real one is long.
    for (const [name, value] of found) expect(value.length, name).toBeGreaterThanOrEqual(16);
    return found;
  }

  /** Every row of every table of the app's database, as text (bytes as UTF-8). */
  async function databaseText(): Promise<string> {
    const tablesAndRows: Array<[string, unknown[]]> = [];
    if (t.database.engine === "sqlite") {
      const prisma = t.app.db.prisma;
      const tables = await prisma.$queryRawUnsafe<Array<{ name: string }>>("SELECT name FROM sqlite_master WHERE type = 'table'");
      for (const { name } of tables) tablesAndRows.push([name, await prisma.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${name.replace(/"/g, '""')}"`)]);
    } else {
      const client = new pg.Client({ connectionString: t.database.url });
      await client.connect();
      try {
        const tables = await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()");
        for (const { name } of tables.rows) tablesAndRows.push([name, (await client.query(`SELECT * FROM "${name.replace(/"/g, '""')}"`)).rows]);
      } finally {
        await client.end();
      }
    }
    expect(tablesAndRows.map(([name]) => name)).toEqual(expect.arrayContaining(["Shop", "PagoEfectivoCredential", "ShopifySession", "PaymentSession", "PagoEfectivoNotification"]));
    const text = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x instanceof Uint8Array ? Buffer.from(x).toString("utf8") : x));
    // Buffer.toJSON runs before the replacer sees a Buffer: turn its {type, data} form back into text too.
    const bufferJson = (v: unknown) => text(v).replace(/\{"type":"Buffer","data":\[([\d,]*)\]\}/g, (_m, bytes: string) => JSON.stringify(Buffer.from(bytes ? bytes.split(",").map(Number) : []).toString("utf8")));
    return tablesAndRows.map(([name, rows]) => `## ${name}\n${bufferJson(rows)}`).join("\n");
  }

  it("the flow really happened (the secrets were used)", async () => {
    const log = logs.text();
    expect(log).toContain("payment notification handled");
    expect(await t.app.db.prisma.pagoEfectivoNotification.count({ where: { signatureValid: true } })).toBeGreaterThanOrEqual(1);
    expect((await secrets()).length).toBeGreaterThanOrEqual(8);
  });

  it("no secret in any row of any table", async () => {
    const text = await databaseText();
    for (const [name, value] of await secrets()) expect(text.includes(value), `${name} found in the database`).toBe(false);
    expect(JWT.exec(text)?.[0] ?? null, "a JWT (PagoEfectivo access token) found in the database").toBeNull();
    // The accessKey is stored in its own column (an identifier shown in the admin panel), nowhere else.
    const withAccessKey = text.split("\n## ").filter((part) => part.includes(ACCESS_KEY)).map((part) => part.split("\n")[0]?.replace(/^## /, ""));
    expect(withAccessKey).toEqual(["PagoEfectivoCredential"]);
  });

  it("no secret in the raw SQLite files (WAL included)", async () => {
    if (t.database.engine !== "sqlite") return;
    const file = t.database.url.replace(/^file:/, "");
    const bytes = Buffer.concat([file, `${file}-wal`, `${file}-journal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    expect(bytes.length).toBeGreaterThan(10_000);
    // The scan sees plain data: the accessKey (stored in plain by design) is there.
    expect(bytes.includes(Buffer.from(ACCESS_KEY))).toBe(true);
    for (const [name, value] of await secrets()) expect(bytes.includes(Buffer.from(value)), `${name} found in the SQLite file`).toBe(false);
    expect(JWT.test(bytes.toString("latin1"))).toBe(false);
  });

  it("no secret in any log line", async () => {
    const log = logs.text();
    expect(log.split("\n").length).toBeGreaterThan(20);
    expect(log).toContain(SHOP);
    for (const [name, value] of await secrets()) expect(log.includes(value), `${name} found in the logs`).toBe(false);
    expect(log.includes(ACCESS_KEY), "PagoEfectivo accessKey found in the logs").toBe(false);
    expect(JWT.exec(log)?.[0] ?? null, "a JWT (PagoEfectivo access token) found in the logs").toBeNull();
  });
});
