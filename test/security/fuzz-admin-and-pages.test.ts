import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ADMIN_API_ENDPOINTS } from "../../app/contracts/admin-api/endpoints";
import { REFUND_METHODS } from "../../app/contracts/admin-api/refunds";
import { DEMO_SHOP } from "../../app/sandbox/attach-sandbox";
import { CSRF, signIn } from "../helpers/admin-browser";
import { startAdminTestApp } from "../helpers/admin-test-app";
import { type Body, bodyBytes, expectClearRefusal, fuzzOptions, hostileBody, hostileContentType, rawRequest, stateFingerprint } from "../helpers/fuzz";
import { eventually, type TestApp } from "../helpers/test-app";

/**
 * Issue #10, "Hostile input", the browser-facing routes: the admin API (/api), sign-in (/auth), the
 * admin SPA's files (/admin), the buyer pages (/pay) and the sandbox's control routes. Whatever the
 * cookie (none, forged, oddly encoded, another shop's), the CSRF header and Origin, the body, the query
 * string or the path encoding: never a 5xx; an API refusal is a 4xx with a readable JSON message; a
 * refused request changes nothing. Another shop's session sees and changes nothing of this shop's.
 */
const OTHER_SHOP = "otra-tienda-trujillo.myshopify.com";

/** Path segments a hostile client may put where an id goes. */
const hostileSegment = fc.oneof(
  fc.constantFrom("%FF", "%E0%A4%A", "%", "%00", "..%2F..%2Fetc%2Fpasswd", "%C0%AF", "x".repeat(2_000), "%F0%9F%92%A9", "null", "-1", "1e999", "%22%3E%3Cscript%3E", "__proto__", "%25"),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
);

/** Query strings: bad percent-encoding, arrays, nested brackets, repeated keys, huge values. */
const hostileQuery = fc.oneof(
  fc.constantFrom(
    "",
    "?state=%FF",
    "?q=%",
    "?q=%E0%A4%A",
    "?page=-1&pageSize=1e9",
    "?page=abc&pageSize=%00",
    "?state[]=paid&state=pending",
    "?state[a][b]=1",
    "?from=2026-02-30&to=0000-00-00",
    "?from=x&to=y&currency=XXX",
    `?q=${"%25".repeat(500)}`,
    `?q=${"a".repeat(10_000)}`,
    "?__proto__[x]=1&constructor[prototype][y]=2",
    "?sort=%3BDROP%20TABLE%20payment_sessions",
    "?lang=%FF",
    "?q=%00",
    "?state=%00&q=a%00b",
    "?shop=%FF",
  ),
  fc.array(fc.tuple(fc.constantFrom("q", "state", "page", "pageSize", "from", "to", "currency", "kind", "status", "cursor", "shop", "lang"), fc.string({ maxLength: 30 })), { maxLength: 4 }).map(
    (pairs) => `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}`,
  ),
);

const fillPath = (template: string, segment: string) => template.replace(/:[a-z]+/gi, segment);
/** The API's endpoints as plain values (fast-check prints a counterexample; a zod schema would flood it). */
const ENDPOINTS = ADMIN_API_ENDPOINTS.map((e) => ({ method: e.method, path: e.path }));

describe("fuzzing the admin API, sign-in, the SPA files, the buyer pages and the sandbox routes", () => {
  let t: TestApp;
  let cookieA: string;
  let cookieB: string;
  let paymentIdA: string;
  let tokenA: string;
  let refundIdA: string;
  let phoneToken: string;
  let webDir: string;

  beforeAll(async () => {
    // A tiny admin build, so the SPA's precompressed-asset path is served (and fuzzed) too.
    webDir = mkdtempSync(path.join(tmpdir(), "pe-fuzz-web-"));
    mkdirSync(path.join(webDir, "assets"));
    writeFileSync(path.join(webDir, "index.html"), "<!doctype html><title>admin</title>");
    writeFileSync(path.join(webDir, "assets", "app-1234.js"), "console.log(1)");
    writeFileSync(path.join(webDir, "assets", "app-1234.js.gz"), "x");
    t = await startAdminTestApp({ env: { SCHEDULER_ENABLED: "false", WORKER_ENABLED: "false" }, admin: { webDistDir: webDir } });
    cookieA = (await signIn(t, DEMO_SHOP, "login")).trail.adminCookie;
    cookieB = (await signIn(t, OTHER_SHOP, "install")).trail.adminCookie;
    const checkout = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop: DEMO_SHOP, amount: "12.30", currency: "PEN" });
    expect(checkout.body.status).toBe(201);
    paymentIdA = checkout.body.id;
    const prisma = t.app.db.prisma;
    const sessionA = await prisma.paymentSession.findUniqueOrThrow({ where: { id: paymentIdA } });
    tokenA = sessionA.buyerToken;
    // Paid, then partly refunded at Shopify: shop A owns a payment and a refund another shop must not reach.
    expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${sessionA.cip}/pay`, {})).status).toBe(200);
    await eventually(async () => (await prisma.paymentSession.findUniqueOrThrow({ where: { id: paymentIdA } })).state === "paid");
    // The worker is off (nothing may move in the background while fuzzing): deliver the pending and resolve by hand.
    await t.app.services.worker.runOnce();
    await t.app.services.worker.runOnce();
    expect((await t.json("POST", `/sandbox/shopify/payment-sessions/${paymentIdA}/refunds`, { amount: "1.00" })).status).toBe(200);
    refundIdA = (await eventually(() => prisma.refundSession.findFirst({ where: { paymentSessionId: paymentIdA } }))).id;
    const noPhone = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop: DEMO_SHOP, amount: "7.00", currency: "PEN", withoutPhone: true });
    expect(noPhone.body.status).toBe(201);
    const phoneSession = await prisma.paymentSession.findUniqueOrThrow({ where: { id: noPhone.body.id } });
    expect(phoneSession.state).toBe("awaiting_phone");
    phoneToken = phoneSession.buyerToken;
  }, 90_000);
  afterAll(async () => {
    await t?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  const send = (method: string, pathname: string, headers: [string, string][], body?: Buffer) => rawRequest(t, method, pathname, { headers, ...(body ? { body } : {}) });

  it("refuses the admin API without a live session of the right shop, or without the CSRF guard, and changes nothing", async () => {
    const before = await stateFingerprint(t);
    const writes = ADMIN_API_ENDPOINTS.filter((e) => e.method !== "GET");
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS),
        hostileSegment,
        fc.constantFrom("none", "forged", "odd-encoding", "doubled", "signed-out-format", "no-csrf", "foreign-origin", "cross-site", "wrong-csrf"),
        fc.string({ maxLength: 64 }).filter((s) => /^[\x21-\x7e]*$/.test(s) && !s.includes(";")),
        async (endpoint, segment, mode, junk) => {
          const isWrite = endpoint.method !== "GET";
          // The CSRF modes only concern writes (reads need no header); keep each run a refusal.
          const effective = !isWrite && ["no-csrf", "foreign-origin", "cross-site", "wrong-csrf"].includes(mode) ? "forged" : mode;
          const headers: [string, string][] = [["Accept", "application/json"], ["Content-Type", "application/json"]];
          if (effective === "forged") headers.push(["Cookie", `pe_admin=${junk || "x"}`]);
          if (effective === "odd-encoding") headers.push(["Cookie", `pe_admin=%FF${junk}%`]);
          if (effective === "doubled") headers.push(["Cookie", `pe_admin=${junk || "y"}`], ["Cookie", `pe_admin=${cookieA.slice(0, -2)}zz`]);
          if (effective === "signed-out-format") headers.push(["Cookie", `pe_admin="${cookieA.toUpperCase()}"`]);
          if (["no-csrf", "foreign-origin", "cross-site", "wrong-csrf"].includes(effective)) headers.push(["Cookie", `pe_admin=${cookieA}`]);
          if (effective === "foreign-origin") headers.push(["X-Requested-With", CSRF["X-Requested-With"]], ["Origin", "https://evil.example"]);
          if (effective === "cross-site") headers.push(["X-Requested-With", CSRF["X-Requested-With"]], ["Sec-Fetch-Site", "cross-site"]);
          if (effective === "wrong-csrf") headers.push(["X-Requested-With", "XMLHttpRequest"]);
          const answer = await send(endpoint.method, `/api${fillPath(endpoint.path, segment)}`, headers, isWrite ? Buffer.from("{}") : undefined);
          seen.add(answer.status);
          expectClearRefusal(`${effective} ${endpoint.method} ${endpoint.path} ${segment.slice(0, 20)}`, answer.status, answer.text);
          // Refused by the guards (401/403), or by the router first for a path segment it cannot decode (400).
          expect([400, 401, 403], `${effective} ${endpoint.method} ${endpoint.path}`).toContain(answer.status);
        },
      ),
      fuzzOptions(200),
    );
    expect(writes.length).toBeGreaterThan(10);
    expect([...seen]).toEqual(expect.arrayContaining([401, 403]));
    expect(await stateFingerprint(t)).toBe(before);
  }, 60_000);

  it("another shop's session gets 404 for this shop's payment and refund ids, and changes nothing", async () => {
    const before = await stateFingerprint(t);
    const clock = await t.json<{ now: string }>("GET", "/sandbox/clock");
    const limaToday = new Date(Date.parse(clock.body.now) - 5 * 3600_000).toISOString().slice(0, 10);
    const asB = (method: string, pathname: string, body?: unknown) =>
      send(method, pathname, [["Cookie", `pe_admin=${cookieB}`], ["Content-Type", "application/json"], ["Accept", "application/json"], ["X-Requested-With", CSRF["X-Requested-With"]]], body === undefined ? undefined : Buffer.from(JSON.stringify(body)));
    for (const [method, pathname, body] of [
      ["GET", `/api/payments/${paymentIdA}`],
      ["GET", `/api/payments/${paymentIdA}/evidence`],
      ["PUT", `/api/payments/${paymentIdA}/order`, { orderId: "gid://shopify/Order/1" }],
      ["DELETE", `/api/payments/${paymentIdA}/order`],
      ["POST", `/api/refunds/${refundIdA}/record`, { method: REFUND_METHODS[0], reference: "TRF-0001", refundedOn: limaToday }],
      ["POST", `/api/refunds/${refundIdA}/reject`, { reason: "El cliente devolvió el producto" }],
    ] as Array<[string, string, unknown?]>) {
      const answer = await asB(method, pathname, body);
      expectClearRefusal(`${method} ${pathname}`, answer.status, answer.text);
      expect(answer.status, `${method} ${pathname}: ${answer.text}`).toBe(404);
      expect(answer.text).not.toContain(tokenA);
      expect(answer.text).not.toContain("12.30");
    }
    for (const listing of ["/api/payments", "/api/refunds", "/api/reconciliation/exceptions", "/api/dead-letters"]) {
      const list = await asB("GET", listing);
      expect(list.status, listing).toBe(200);
      expect(list.text, listing).not.toContain(paymentIdA);
      expect(list.text, listing).not.toContain(refundIdA);
    }
    expect(await stateFingerprint(t)).toBe(before);
  });

  it("admin API with a live session: hostile bodies, queries and path segments never make a 5xx; refusals are clear and change nothing", async () => {
    const seen = new Set<number>();
    const writeEndpoints = ADMIN_API_ENDPOINTS.filter((e) => e.method !== "GET" && !e.path.startsWith("/settlements/sample") && e.path !== "/activate");
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS.filter((e) => !e.path.startsWith("/settlements/sample"))),
        fc.oneof(hostileSegment, fc.constant(paymentIdA)),
        hostileQuery,
        hostileBody({ valid: '{"linkOrders":false}', fieldNames: ["linkOrders", "accessKey", "secretKey", "idService", "cipLifetimeHours", "orderId", "reason", "method", "reference", "uploadId", "columns", "amount", "fee"], hugeBytes: 40 * 1024 }),
        hostileContentType,
        async (endpoint, segment, query, body: Body, contentType) => {
          const before = await stateFingerprint(t);
          const headers: [string, string][] = [["Cookie", `pe_admin=${cookieA}`], ["Accept", "application/json"], ["X-Requested-With", CSRF["X-Requested-With"]]];
          if (contentType) headers.push(["Content-Type", contentType]);
          const isWrite = endpoint.method !== "GET";
          const answer = await send(endpoint.method, `/api${fillPath(endpoint.path, segment)}${query}`, headers, isWrite ? bodyBytes(body) : undefined);
          seen.add(answer.status);
          const label = `${endpoint.method} ${endpoint.path} seg=${segment.slice(0, 20)} q=${query.slice(0, 40)}`;
          if (answer.status < 400) return; // accepted as valid input
          expectClearRefusal(label, answer.status, answer.text);
          expect(await stateFingerprint(t), `${label}: a refused request changed the state`).toBe(before);
        },
      ),
      fuzzOptions(120),
    );
    expect(writeEndpoints.length).toBeGreaterThan(10);
    expect([...seen]).toEqual(expect.arrayContaining([200, 400, 404, 415]));
  }, 90_000);

  it("a NUL character in an admin body or query is a clear 400 and changes nothing (PostgreSQL refuses NUL in text)", async () => {
    const before = await stateFingerprint(t);
    const headers: [string, string][] = [["Cookie", `pe_admin=${cookieA}`], ["Accept", "application/json"], ["Content-Type", "application/json"], ["X-Requested-With", CSRF["X-Requested-With"]]];
    for (const [method, pathname, body] of [
      ["PUT", "/api/settings", { paymentConcept: "Compra\u0000" }],
      ["PUT", "/api/credentials/sandbox", { accessKey: "AK\u0000", secretKey: "s\u0000", idService: 12345 }],
      ["PUT", `/api/payments/${paymentIdA}/order`, { orderId: "gid://shopify/Order/1\u0000" }],
      ["POST", `/api/refunds/${refundIdA}/reject`, { reason: "motivo\u0000" }],
      ["GET", "/api/payments?q=a%00b"],
      ["GET", "/api/refunds?state=%00"],
    ] as Array<[string, string, unknown?]>) {
      const answer = await send(method, pathname, headers, body === undefined ? undefined : Buffer.from(JSON.stringify(body)));
      expectClearRefusal(`${method} ${pathname}`, answer.status, answer.text);
      expect(answer.status, `${method} ${pathname}`).toBe(400);
    }
    expect(await stateFingerprint(t)).toBe(before);
  });

  it("sign-in and the SPA files: hostile queries, paths and cookies never make a 5xx", async () => {
    const before = await stateFingerprint(t);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/auth/install", "/auth/callback", "/auth/login", "/auth/login/callback", "/admin", "/admin/payments", "/admin/assets/app-1234.js", "/admin/assets/"),
        hostileSegment,
        hostileQuery,
        fc.constantFrom("", `pe_admin=${"%FF"}`, "pe_admin=abc", `pe_admin=${cookieB}`, "shopify_app_state=%FF; shopify_app_state.sig=%", "a=b".repeat(500)),
        fc.constantFrom("", "gzip", "br, gzip", "*", "gzip;q=0", "%FF"),
        async (base, segment, query, cookie, acceptEncoding) => {
          const pathname = base.endsWith("/") ? `${base}${segment}` : base;
          const headers: [string, string][] = [["User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0"]];
          if (cookie) headers.push(["Cookie", cookie]);
          if (acceptEncoding) headers.push(["Accept-Encoding", acceptEncoding]);
          const answer = await send("GET", `${pathname}${query}`, headers);
          expect(answer.status, `GET ${pathname}${query.slice(0, 60)}: ${answer.text.slice(0, 200)}`).toBeLessThan(500);
        },
      ),
      fuzzOptions(150),
    );
    // POST /auth/logout without the guard: refused, nothing changes.
    for (const headers of [[], [["Cookie", `pe_admin=${cookieA}`]], [["Cookie", `pe_admin=${cookieA}`], ["Origin", "https://evil.example"], ["X-Requested-With", CSRF["X-Requested-With"]]]] as [string, string][][]) {
      const answer = await send("POST", "/auth/logout", headers, Buffer.from("a=1"));
      expect(answer.status).toBe(403);
    }
    expect(await stateFingerprint(t)).toBe(before);
  }, 60_000);

  it("buyer pages: hostile tokens, queries and phone forms never make a 5xx, and a refused form changes nothing", async () => {
    const page = await send("GET", `/pay/${phoneToken}`, []);
    expect(page.status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? "";
    expect(csrf).not.toBe("");
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("", "/status", "/calendar.ics", "/phone", "/continue"),
        fc.oneof(hostileSegment, fc.constantFrom(tokenA, phoneToken, `${tokenA}x`, tokenA.toUpperCase())),
        hostileQuery,
        fc.oneof(
          fc.constantFrom("", "phone=%FF", "phone=%", "phone[]=1&phone[]=2", `phone=${"9".repeat(4000)}`, "phoneCountryCode=%2B51&phone=987654321", "_csrf=x&phone=987654321"),
          fc.tuple(fc.constantFrom(csrf, "", "forged"), fc.string({ maxLength: 40 }), fc.constantFrom("+51", "%2B51", "", "+999", "%FF")).map(
            ([token, phone, cc]) => `_csrf=${encodeURIComponent(token)}&phoneCountryCode=${cc}&phone=${encodeURIComponent(phone)}`,
          ),
        ),
        hostileContentType,
        async (suffix, token, query, form, contentType) => {
          const pathname = `/pay/${token}${suffix}${query}`;
          // /continue waits for Shopify's redirect (up to 6 s) on a real session: only fuzz it with unknown tokens.
          if (suffix === "/continue" && (token === tokenA || token === phoneToken)) return;
          const before = await stateFingerprint(t);
          const isPost = suffix === "/phone";
          const headers: [string, string][] = [["Accept-Language", "es-PE,es;q=0.9"]];
          if (isPost) headers.push(["Content-Type", contentType ?? "application/x-www-form-urlencoded"]);
          const answer = await send(isPost ? "POST" : "GET", pathname, headers, isPost ? Buffer.from(form) : undefined);
          const label = `${isPost ? "POST" : "GET"} ${pathname.slice(0, 80)} ${isPost ? form.slice(0, 60) : ""}`;
          expect(answer.status, `${label}: ${answer.text.slice(0, 200)}`).toBeLessThan(500);
          if (answer.status >= 400) {
            // /status is an API (JSON); the pages answer a page in the buyer's language, never a bare error.
            if (suffix === "/status") expectClearRefusal(label, answer.status, answer.text);
            else expect(answer.text.length, label).toBeGreaterThan(20);
            expect(await stateFingerprint(t), `${label}: a refused request changed the state`).toBe(before);
          }
        },
      ),
      fuzzOptions(100),
    );
  }, 90_000);

  it("a NUL character in a buyer's phone form or link never makes a 5xx (PostgreSQL refuses NUL in text)", async () => {
    const page = await send("GET", `/pay/${phoneToken}`, []);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? "";
    const before = await stateFingerprint(t);
    for (const form of [`_csrf=${encodeURIComponent(csrf)}&phoneCountryCode=%2B51&phone=987%00654321`, `_csrf=${encodeURIComponent(csrf)}&phoneCountryCode=%2B51%00&phone=987654321`, `_csrf=%00&phone=987654321`]) {
      const answer = await send("POST", `/pay/${phoneToken}/phone`, [["Content-Type", "application/x-www-form-urlencoded"]], Buffer.from(form));
      expect(answer.status, form).toBeGreaterThanOrEqual(400);
      expect(answer.status, form).toBeLessThan(500);
    }
    for (const pathname of [`/pay/${phoneToken}%00`, "/pay/%00", "/pay/%00/status", "/pay/%00/calendar.ics", `/pay/${tokenA}/status?lang=%00`]) {
      expect((await send("GET", pathname, [])).status, pathname).toBeLessThan(500);
    }
    expect(await stateFingerprint(t)).toBe(before);
  });

  it("sandbox control routes: hostile bodies and paths never make a 5xx; refusals are clear JSON", async () => {
    const cip = (await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: paymentIdA } })).cip ?? "0";
    const routes: Array<[string, string]> = [
      ["POST", "/sandbox/clock"],
      ["POST", "/sandbox/shopify/checkouts"],
      ["POST", "/sandbox/shopify/shops"],
      ["POST", "/sandbox/shopify/faults"],
      ["POST", "/sandbox/shopify/payment-sessions/:id/refunds"],
      ["POST", "/sandbox/shopify/orders/:id/cancel"],
      ["GET", "/sandbox/shopify/payment-sessions/:id"],
      ["GET", "/sandbox/shopify/orders/:id"],
      ["POST", "/sandbox/pagoefectivo/cips/:id/notify"],
      ["GET", "/sandbox/pagoefectivo/cips/:id"],
      ["POST", "/sandbox/pagoefectivo/faults"],
      ["PUT", "/sandbox/pagoefectivo/services/:id"],
      ["POST", "/sandbox/pagoefectivo/v1/authorizations"],
      ["POST", "/sandbox/pagoefectivo/v1/cips"],
      ["POST", "/sandbox/pagoefectivo/v1/cips/search"],
      ["PATCH", "/sandbox/pagoefectivo/v1/cips/:id"],
    ];
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(hostileSegment, fc.constantFrom(paymentIdA, cip)),
        hostileBody({ valid: '{"amount":"10.00","currency":"PEN"}', fieldNames: ["advanceSeconds", "offsetSeconds", "amount", "currency", "shop", "kind", "count", "api", "accessKey", "idService", "cip", "Data"], hugeBytes: 1024 * 1024 + 10 }),
        hostileContentType,
        async ([method, template], segment, body: Body, contentType) => {
          const headers: [string, string][] = contentType ? [["Content-Type", contentType]] : [];
          const answer = await send(method, fillPath(template, segment), headers, method === "GET" ? undefined : bodyBytes(body));
          seen.add(answer.status);
          const label = `${method} ${fillPath(template, segment).slice(0, 80)}`;
          if (answer.status < 400) return;
          expectClearRefusal(label, answer.status, answer.text);
        },
      ),
      fuzzOptions(150),
    );
    expect([...seen]).toEqual(expect.arrayContaining([400, 404]));
  }, 90_000);
});
