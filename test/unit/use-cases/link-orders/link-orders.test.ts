import { describe, expect, it } from "vitest";

import { FixedClock } from "../../../../app/lib/clock";
import { silentLogger } from "../../../../app/lib/logger";
import { err, ok } from "../../../../app/lib/result";
import type { AdminOrder, LinkedOrder } from "../../../../app/ports/order-links";
import { LinkOrders, type OrderLinkCandidate } from "../../../../app/use-cases/link-orders/link-orders";

const T0 = new Date("2025-08-01T10:00:00Z");

function session(id: string, overrides: Partial<OrderLinkCandidate> = {}): OrderLinkCandidate {
  return {
    id,
    gid: `gid://shopify/PaymentSession/${id}`,
    amountMinor: 15000,
    currency: "PEN",
    test: false,
    email: `${id}@example.pe`,
    createdAt: T0,
    orderId: null,
    orderName: null,
    orderFinancialStatus: null,
    orderLinkConfidence: null,
    ...overrides,
  };
}

function adminOrder(n: number, overrides: { email?: string | null; amountMinor?: number; gateway?: string; minutes?: number } = {}): AdminOrder {
  const id = `gid://shopify/Order/${n}`;
  return {
    id,
    name: `#${n}`,
    financialStatus: "paid",
    cancelledAt: null,
    facts: {
      id,
      name: `#${n}`,
      email: overrides.email === undefined ? null : overrides.email,
      test: false,
      createdAt: new Date(T0.getTime() + (overrides.minutes ?? 5) * 60_000),
      gatewayNames: [overrides.gateway ?? "pagoefectivo"],
      transactions: [{ gateway: overrides.gateway ?? "pagoefectivo", kind: "SALE", amountMinor: overrides.amountMinor ?? 15000, currency: "PEN", authorizationCode: null }],
      totalMinor: overrides.amountMinor ?? 15000,
      currency: "PEN",
    },
  };
}

function setup(candidates: OrderLinkCandidate[], listed: AdminOrder[], options: { throttle?: boolean; token?: boolean; taken?: string[]; byId?: Record<string, LinkedOrder> } = {}) {
  const links: { sessionId: string; order: string; confidence: string | null }[] = [];
  const linker = new LinkOrders({
    store: {
      candidates: async () => candidates,
      linkedOrderIds: async () => new Set(options.taken ?? []),
      link: async (_shopId, sessionId, order, confidence) => {
        links.push({ sessionId, order: order.name, confidence });
        return true;
      },
    },
    orders: {
      ordersCreatedSince: async () => (options.throttle ? err({ kind: "throttled", message: "slow down" }) : ok({ orders: listed, complete: true })),
      order: async (_target, id) => ok(options.byId?.[id] ?? null),
    },
    target: async () => (options.token === false ? null : { shopDomain: "tienda.myshopify.com", accessToken: "shpat_test" }),
    clock: new FixedClock(new Date("2025-08-02T12:00:00Z")),
    logger: silentLogger,
  });
  return { linker, links };
}

describe("LinkOrders", () => {
  it("links each paid session to the one order its documented facts fit, with the confidence they give", async () => {
    const { linker, links } = setup(
      [session("s1"), session("s2", { email: null, amountMinor: 9900 }), session("s3", { amountMinor: 123 })],
      [adminOrder(1001, { email: "S1@example.pe" }), adminOrder(1002, { amountMinor: 9900, email: "x@example.pe" }), adminOrder(1003, { amountMinor: 15000, gateway: "manual" })],
    );
    const report = await linker.execute("shop_1");
    expect(links).toEqual([
      { sessionId: "s1", order: "#1001", confidence: "high" },
      { sessionId: "s2", order: "#1002", confidence: "medium" },
    ]);
    expect(report).toMatchObject({ checked: 3, linked: 2, notFound: 1, ambiguous: 0, stopped: null });
  });

  it("links nothing when two orders fit equally, or an order is taken by another payment", async () => {
    const twins = setup([session("s1", { email: null })], [adminOrder(1), adminOrder(2)]);
    expect(await twins.linker.execute("shop_1")).toMatchObject({ linked: 0, ambiguous: 1 });
    const taken = setup([session("s1")], [adminOrder(1, { email: "s1@example.pe" })], { taken: ["gid://shopify/Order/1"] });
    expect(await taken.linker.execute("shop_1")).toMatchObject({ linked: 0, notFound: 1 });
    const shared = setup([session("a", { email: null }), session("b", { email: null })], [adminOrder(7)]);
    expect(await shared.linker.execute("shop_1")).toMatchObject({ linked: 0, ambiguous: 2 });
  });

  it("refreshes linked orders still unpaid, stops when throttled and does nothing without a token", async () => {
    const linked = session("s9", { orderId: "gid://shopify/Order/9", orderName: "#9", orderFinancialStatus: "pending", orderLinkConfidence: "merchant" });
    const refreshed = setup([linked], [], { byId: { "gid://shopify/Order/9": { id: "gid://shopify/Order/9", name: "#9", financialStatus: "paid", cancelledAt: null } } });
    expect(await refreshed.linker.execute("shop_1")).toMatchObject({ updated: 1 });
    expect(refreshed.links).toEqual([{ sessionId: "s9", order: "#9", confidence: null }]);
    expect(await setup([session("s1")], [], { throttle: true }).linker.execute("shop_1")).toMatchObject({ stopped: "throttled" });
    expect(await setup([session("s1")], [], { token: false }).linker.execute("shop_1")).toMatchObject({ checked: 0, stopped: "no_offline_token" });
  });
});
