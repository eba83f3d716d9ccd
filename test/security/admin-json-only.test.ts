import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AdminApi, CSRF, signIn } from "../helpers/admin-browser";
import { startAdminTestApp } from "../helpers/admin-test-app";
import { PORTAL_HEADER, uploadRaw } from "../helpers/reconciliation-helpers";
import type { TestApp } from "../helpers/test-app";

/** Issue #10: admin writes with a body take JSON only (415 otherwise); the settlement file uploads stay raw. */
describe("admin writes are JSON only", () => {
  let t: TestApp;
  let api: AdminApi;
  beforeAll(async () => {
    t = await startAdminTestApp({ env: { SCHEDULER_ENABLED: "false" } });
    api = (await signIn(t, "pagoefectivo-demo.myshopify.com", "login")).api;
  });
  afterAll(async () => {
    await t?.close();
  });

  const send = (method: string, path: string, contentType: string | null, body: string) =>
    api.raw(path, { method, headers: { ...CSRF, Accept: "application/json", ...(contentType ? { "Content-Type": contentType } : {}) }, body });

  it("answers 415 to a form, text or XML body, naming what it takes", async () => {
    for (const [method, path] of [
      ["PUT", "/api/settlements/mapping"],
      ["POST", "/api/reconciliation/runs"],
      ["PUT", "/api/settings"],
    ] as const) {
      for (const type of ["application/x-www-form-urlencoded", "text/plain", "application/xml", "multipart/form-data; boundary=x"]) {
        const response = await send(method, path, type, "a=1");
        expect(response.status, `${method} ${path} ${type}`).toBe(415);
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe("unsupported_media_type");
        expect(body.error.message).toContain("application/json");
      }
    }
  });

  it("still accepts JSON, empty-bodied actions and raw settlement files", async () => {
    expect((await api.post("/api/reconciliation/runs", { linkOrders: false })).status).toBe(202);
    const preview = await uploadRaw(api, "/api/settlements/preview", `${PORTAL_HEADER}\n1;1.00;PEN;2025-07-01 10:00:00;Agente;0.1;0.9;2025-07-03;1`, { fileName: "a.csv" });
    expect(preview.status).toBe(200);
  });
});
