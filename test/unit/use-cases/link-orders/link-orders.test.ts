import { describe, expect, it } from "vitest";

import { FixedClock } from "../../../../app/lib/clock";
import { silentLogger } from "../../../../app/lib/logger";
import { err, ok } from "../../../../app/lib/result";
import type { LinkedOrder, OrderLinkCandidate } from "../../../../app/ports/order-links";
import { LinkOrders } from "../../../../app/use-cases/link-orders/link-orders";

function setup(candidates: OrderLinkCandidate[], orders: Record<string, LinkedOrder>, options: { failAfter?: number; token?: boolean } = {}) {
  const links: [string, string, string | null][] = [];
  const asked: string[][] = [];
  const linker = new LinkOrders({
    store: {
      candidates: async () => candidates,
      link: async (_shopId, sessionId, order) => {
        links.push([sessionId, order.name, order.financialStatus]);
        return true;
      },
    },
    orders: {
      async ordersForSessions(_target, ids) {
        asked.push([...ids]);
        if (options.failAfter !== undefined && asked.length > options.failAfter) return err({ kind: "throttled", message: "slow down" });
        return ok(new Map(ids.map((id) => [id, orders[id] ?? null])));
      },
    },
    target: async () => (options.token === false ? null : { shopDomain: "tienda.myshopify.com", accessToken: "shpat_test" }),
    clock: new FixedClock(new Date("2025-08-01T12:00:00Z")),
    logger: silentLogger,
    batchSize: 2,
  });
  return { linker, links, asked };
}

const order = (name: string, status: string): LinkedOrder => ({ id: `gid://shopify/Order/${name.slice(1)}`, name, financialStatus: status, cancelledAt: null });

describe("LinkOrders", () => {
  it("links paid sessions to their orders and refreshes orders still pending, in batches", async () => {
    const { linker, links, asked } = setup(
      [
        { id: "s1", orderId: null, orderName: null, orderFinancialStatus: null },
        { id: "s2", orderId: "gid://shopify/Order/1002", orderName: "#1002", orderFinancialStatus: "pending" },
        { id: "s3", orderId: null, orderName: null, orderFinancialStatus: null },
      ],
      { s1: order("#1001", "paid"), s2: order("#1002", "paid") },
    );
    const report = await linker.execute("shop_1");
    expect(report).toEqual({ checked: 3, linked: 1, updated: 1, notFound: 1, stopped: null });
    expect(links).toEqual([
      ["s1", "#1001", "paid"],
      ["s2", "#1002", "paid"],
    ]);
    expect(asked).toEqual([["s1", "s2"], ["s3"]]);
  });

  it("stops when Shopify throttles, and does nothing without an offline token", async () => {
    const candidates = [1, 2, 3].map((i) => ({ id: `s${i}`, orderId: null, orderName: null, orderFinancialStatus: null }));
    const throttled = setup(candidates, { s1: order("#1", "paid") }, { failAfter: 1 });
    expect(await throttled.linker.execute("shop_1")).toMatchObject({ checked: 2, stopped: "throttled" });
    const noToken = setup(candidates, {}, { token: false });
    expect(await noToken.linker.execute("shop_1")).toMatchObject({ checked: 0, stopped: "no_offline_token" });
    expect(noToken.asked).toEqual([]);
  });
});
