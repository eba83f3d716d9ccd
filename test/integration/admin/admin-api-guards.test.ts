import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AdminApi, adminApi, signIn } from "../../helpers/admin-browser";
import { startAdminTestApp } from "../../helpers/admin-test-app";
import type { TestApp } from "../../helpers/test-app";

const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

const ROUTES: Array<[method: string, path: string, body?: unknown]> = [
  ["GET", "/api/session"],
  ["GET", "/api/setup"],
  ["GET", "/api/summary/today"],
  ["GET", "/api/settings"],
  ["PUT", "/api/settings", { cipLifetimeHours: 24 }],
  ["PUT", "/api/credentials/sandbox", { accessKey: "AK", secretKey: "SK", idService: 1 }],
  ["POST", "/api/credentials/sandbox/test"],
  ["POST", "/api/notification-url/confirm"],
  ["POST", "/api/activate", {}],
  ["POST", "/api/deactivate"],
  ["GET", "/api/payments"],
  ["GET", "/api/payments/export.csv"],
  ["GET", "/api/payments/some-id"],
  ["GET", "/api/refunds"],
  ["POST", "/api/refunds/some-id/record", { method: "cash", reference: "R1", refundedOn: "2026-11-27" }],
  ["POST", "/api/refunds/some-id/reject", { reason: "duplicate" }],
];

interface ErrorBody {
  error: { code: string; message: string; details?: Array<{ path: string; message: string }> };
}

describe("admin API guards, validation and the SPA", () => {
  let t: TestApp;
  let api: AdminApi;
  let webDist: string;

  beforeAll(async () => {
    // Not built yet: the test builds it half-way through.
    webDist = path.join(mkdtempSync(path.join(tmpdir(), "pe-web-dist-")), "dist");
    t = await startAdminTestApp({ admin: { webDistDir: webDist } });
    api = (await signIn(t, DEMO_SHOP, "login")).api;
  });
  afterAll(async () => {
    await t?.close();
    rmSync(path.dirname(webDist), { recursive: true, force: true });
  });

  it("answers 401 unauthenticated on every /api route without a session, or with an unknown cookie", async () => {
    for (const cookie of [null, "x".repeat(43), "not-a-token"]) {
      const anonymous = adminApi(t, cookie);
      for (const [method, route, body] of ROUTES) {
        const response = await anonymous.request<ErrorBody>(method, route, body);
        expect(response.status, `${method} ${route}`).toBe(401);
        expect(response.body.error.code).toBe("unauthenticated");
        expect(response.headers.get("cache-control")).toBe("no-store");
      }
    }
  });

  it("refuses every change without the X-Requested-With header (403) and changes nothing", async () => {
    for (const [method, route, body] of ROUTES.filter(([method]) => method !== "GET")) {
      const response = await api.request<ErrorBody>(method, route, body, { csrf: false });
      expect(response.status, `${method} ${route}`).toBe(403);
    }
    const wrongValue = await api.raw("/api/settings", {
      method: "PUT",
      headers: { "Content-Type": "application/json", "X-Requested-With": "XMLHttpRequest" },
      body: JSON.stringify({ cipLifetimeHours: 5 }),
    });
    expect(wrongValue.status).toBe(403);
    const settings = await api.get<{ cipLifetimeHours: number }>("/api/settings");
    expect(settings.body.cipLifetimeHours).toBe(48);
  });

  it("validates bodies and queries with zod: 400 naming each field", async () => {
    const bad = await api.put<ErrorBody>("/api/settings", { cipLifetimeHours: 0, ruc: "20123456788", locale: "fr" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("bad_request");
    expect(bad.body.error.details?.map((d) => d.path).sort()).toEqual(["cipLifetimeHours", "locale", "ruc"]);
    expect(bad.body.error.message).toContain("ruc:");

    const unknownField = await api.put<ErrorBody>("/api/settings", { cipLifetimeHour: 5 });
    expect(unknownField.status).toBe(400);

    const malformed = await api.raw("/api/settings", { method: "PUT", headers: { "Content-Type": "application/json", "X-Requested-With": "pagoefectivo-admin" }, body: "{" });
    expect(malformed.status).toBe(400);

    for (const query of ["pageSize=500", "page=0", "state=paid,lost", "currency=EUR", "test=yes", "from=2026-13-01", "sort=email", "from=2026-11-28&to=2026-11-27"]) {
      const response = await api.get<ErrorBody>(`/api/payments?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.details?.length, query).toBeGreaterThan(0);
    }
    expect((await api.get("/api/refunds?state=open")).status).toBe(400);
    expect((await api.put("/api/credentials/staging", { accessKey: "A", secretKey: "S", idService: 1 })).status).toBe(400);
    expect((await api.put("/api/credentials/sandbox", { accessKey: "A".repeat(21), idService: 10000 })).status).toBe(400);
  });

  it("accepts a valid RUC and clears optional text with an empty string", async () => {
    const saved = await api.put<{ ruc: string | null; legalName: string | null; paymentConcept: string | null; cipLifetimeHours: number; locale: string }>("/api/settings", {
      ruc: "20100070970",
      legalName: "Bodega Rosa S.A.C.",
      paymentConcept: "Compra en Bodega Rosa",
      cipLifetimeHours: 24,
      locale: "en",
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ ruc: "20100070970", legalName: "Bodega Rosa S.A.C.", cipLifetimeHours: 24, locale: "en" });
    const cleared = await api.put<{ ruc: string | null; legalName: string | null }>("/api/settings", { ruc: null, legalName: "" });
    expect(cleared.body).toMatchObject({ ruc: null, legalName: null, paymentConcept: "Compra en Bodega Rosa" });
  });

  it("sends the security headers on admin, API and auth responses", async () => {
    for (const response of [await api.raw("/api/session"), await api.raw("/admin"), await fetch(`${t.url}/auth/login`)]) {
      expect(response.headers.get("content-security-policy")).toContain(CSP);
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("answers 503 while web/dist is missing, then serves the SPA with the right caching once built", async () => {
    const missing = await api.raw("/admin");
    expect(missing.status).toBe(503);
    expect(await missing.text()).toContain("npm run build:web");

    mkdirSync(path.join(webDist, "assets"), { recursive: true });
    writeFileSync(path.join(webDist, "index.html"), '<!doctype html><div id="root"></div><script type="module" src="/admin/assets/index-abc123.js"></script>');
    writeFileSync(path.join(webDist, "assets", "index-abc123.js"), "console.log('panel')");
    writeFileSync(path.join(webDist, "favicon.svg"), "<svg/>");

    for (const route of ["/admin", "/admin/", "/admin/payments", "/admin/payments/abc?state=paid"]) {
      const page = await api.raw(route);
      expect(page.status, route).toBe(200);
      expect(page.headers.get("content-type")).toContain("text/html");
      expect(page.headers.get("cache-control")).toBe("no-store");
      expect(await page.text()).toContain('id="root"');
    }
    const asset = await api.raw("/admin/assets/index-abc123.js");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toMatch(/max-age=31536000.*immutable/);
    expect((await api.raw("/admin/assets/missing.js")).status).toBe(404);
    const icon = await api.raw("/admin/favicon.svg");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("cache-control")).not.toContain("immutable");
  });
});
