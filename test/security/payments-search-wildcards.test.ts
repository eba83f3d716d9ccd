import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AdminApi, signIn } from "../helpers/admin-browser";
import { startAdminTestApp } from "../helpers/admin-test-app";
import type { TestApp } from "../helpers/test-app";

/** Issue #10: "%" and "_" typed in the payments search are characters, not SQL LIKE wildcards. */
describe("payments search takes % and _ literally", () => {
  let t: TestApp;
  let api: AdminApi;
  const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startAdminTestApp({ env: { SCHEDULER_ENABLED: "false" } });
    api = (await signIn(t, DEMO_SHOP, "login")).api;
    // The buyer email, which nothing changes after checkout (the order name arrives later by webhook).
    for (const [name, email] of [
      ["percent", "50%off@example.pe"],
      ["underscore", "a_1@example.pe"],
      ["plain", "ax1@example.pe"],
      ["backslash", "b\\1@example.pe"],
    ] as const) {
      const answer = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop: DEMO_SHOP, amount: "10.00", currency: "PEN" });
      expect(answer.body.status).toBe(201);
      await t.app.db.prisma.paymentSession.update({ where: { id: answer.body.id }, data: { email } });
      ids[name] = answer.body.id;
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const search = async (q: string) => {
    const response = await api.get<{ items: { id: string }[]; total: number }>(`/api/payments?pageSize=50&q=${encodeURIComponent(q)}`);
    expect(response.status).toBe(200);
    return response.body.items.map((i) => i.id).sort();
  };

  it("matches a literal %", async () => {
    expect(await search("%")).toEqual([ids.percent]);
    expect(await search("50%")).toEqual([ids.percent]);
  });

  it("matches a literal _", async () => {
    expect(await search("a_1@")).toEqual([ids.underscore]);
    expect(await search("_")).not.toContain(ids.plain);
    expect(await search("_")).toContain(ids.underscore);
  });

  it("matches a literal backslash", async () => {
    expect(await search("b\\1@")).toEqual([ids.backslash]);
  });
});
