import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BROWSER_UA, CSRF, signIn } from "../helpers/admin-browser";
import { startAdminTestApp } from "../helpers/admin-test-app";
import type { TestApp } from "../helpers/test-app";

/**
 * Issue #10, "Logout by a foreign site": POST /auth/logout is a state change like any other, so it needs
 * the CSRF header, and a request whose Origin (or Sec-Fetch-Site) says it came from another site is
 * refused, there and on every /api write.
 */
describe("logout and admin writes refuse foreign sites", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startAdminTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function sessionCookie(): Promise<string> {
    return (await signIn(t, "pagoefectivo-demo.myshopify.com", "login")).trail.adminCookie;
  }
  const alive = async (cookie: string) => (await fetch(`${t.url}/api/session`, { headers: { Cookie: `pe_admin=${cookie}` } })).status === 200;
  const logout = (cookie: string, headers: Record<string, string>) =>
    fetch(`${t.url}/auth/logout`, { method: "POST", redirect: "manual", headers: { Cookie: `pe_admin=${cookie}`, "User-Agent": BROWSER_UA, ...headers } });

  it("refuses a cross-site form post (no CSRF header) and keeps the session", async () => {
    const cookie = await sessionCookie();
    const forged = await logout(cookie, { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" });
    expect(forged.status).toBe(403);
    expect(forged.headers.getSetCookie().join()).not.toMatch(/pe_admin=;/);
    const noHeader = await logout(cookie, {});
    expect(noHeader.status).toBe(403);
    expect(await alive(cookie)).toBe(true);
  });

  it("refuses a foreign Origin or a cross-site Sec-Fetch-Site even with the CSRF header", async () => {
    const cookie = await sessionCookie();
    const foreign: Record<string, string>[] = [{ Origin: "https://evil.example" }, { Origin: "null" }, { "Sec-Fetch-Site": "cross-site" }, { "Sec-Fetch-Site": "same-site" }];
    for (const headers of foreign) {
      const response = await logout(cookie, { ...CSRF, ...headers });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      const write = await fetch(`${t.url}/api/reconciliation/runs`, {
        method: "POST",
        headers: { Cookie: `pe_admin=${cookie}`, "Content-Type": "application/json", ...CSRF, ...headers },
        body: "{}",
      });
      expect(write.status, JSON.stringify(headers)).toBe(403);
    }
    expect(await alive(cookie)).toBe(true);
  });

  it("logs out from the panel's own origin", async () => {
    const cookie = await sessionCookie();
    const response = await logout(cookie, { ...CSRF, Origin: new URL(t.url).origin, "Sec-Fetch-Site": "same-origin" });
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie().join()).toMatch(/pe_admin=;/);
    expect(await alive(cookie)).toBe(false);
  });
});
