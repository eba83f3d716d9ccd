import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestApp, type TestApp } from "../../helpers/test-app";

/** Every page the app serves (panel, buyer page, sandbox) shares one origin, whose icon is served, not a 404. */
describe("favicon", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("answers /favicon.ico and /favicon.svg with the app's SVG icon", async () => {
    for (const path of ["/favicon.ico", "/favicon.svg"]) {
      const response = await fetch(`${t.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
      expect(response.headers.get("cache-control")).toContain("max-age=86400");
      expect(await response.text()).toMatch(/^<svg [^>]*>.*PE<\/text><\/svg>$/);
    }
  });

  it("is there beside the pages that ask for it: the panel, a buyer page and the sandbox", async () => {
    const checkout = await t.json<{ redirect_url: string }>("POST", "/sandbox/shopify/checkouts", { shop: "pagoefectivo-demo.myshopify.com", amount: "10.00", currency: "PEN" });
    for (const page of ["/admin", new URL(checkout.body.redirect_url).pathname, "/sandbox"]) {
      expect((await fetch(`${t.url}${page}`, { redirect: "manual" })).status, page).toBeLessThan(400);
      const icon = await fetch(new URL("/favicon.ico", `${t.url}${page}`));
      expect(icon.status, page).toBe(200);
    }
  });
});
