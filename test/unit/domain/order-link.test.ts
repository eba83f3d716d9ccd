import { describe, expect, it } from "vitest";

import { choose, matchOrder, type OrderFacts, type SessionFacts } from "../../../app/domain/order-link";

const session: SessionFacts = {
  id: "sess1",
  gid: "gid://shopify/PaymentSession/sess1",
  amountMinor: 15000,
  currency: "PEN",
  test: false,
  email: "ana@example.pe",
  createdAt: new Date("2026-01-10T15:00:00Z"),
};

const order = (overrides: Partial<OrderFacts> = {}): OrderFacts => ({
  id: "gid://shopify/Order/1",
  name: "#1001",
  email: "ANA@example.pe",
  test: false,
  createdAt: new Date("2026-01-10T15:02:00Z"),
  gatewayNames: ["PagoEfectivo"],
  transactions: [{ gateway: "pagoefectivo", kind: "SALE", amountMinor: 15000, currency: "PEN", authorizationCode: null }],
  totalMinor: 15000,
  currency: "PEN",
  ...overrides,
});

describe("order linking by documented facts", () => {
  it("grades exact, high and medium", () => {
    const exact = order({ transactions: [{ gateway: "pagoefectivo", kind: "SALE", amountMinor: 15000, currency: "PEN", authorizationCode: session.gid }] });
    expect(matchOrder(session, exact)?.confidence).toBe("exact");
    expect(matchOrder(session, order())?.confidence).toBe("high");
    expect(matchOrder(session, order({ email: null }))?.confidence).toBe("medium");
    // A webhook payload has no transactions: the order's gateway names and total stand in.
    expect(matchOrder(session, order({ transactions: [] }))?.confidence).toBe("high");
  });

  it("rules out another gateway, amount, currency, test flag, buyer, or a time outside the payment's life", () => {
    const tx = (overrides: object) => [{ gateway: "pagoefectivo", kind: "SALE", amountMinor: 15000, currency: "PEN", authorizationCode: null, ...overrides }];
    expect(matchOrder(session, order({ transactions: tx({ gateway: "manual" }) }))).toBeNull();
    expect(matchOrder(session, order({ transactions: tx({ amountMinor: 14999 }) }))).toBeNull();
    expect(matchOrder(session, order({ transactions: tx({ currency: "USD" }) }))).toBeNull();
    expect(matchOrder(session, order({ transactions: tx({ kind: "REFUND" }) }))).toBeNull();
    expect(matchOrder(session, order({ test: true }))).toBeNull();
    expect(matchOrder(session, order({ email: "other@example.pe" }))).toBeNull();
    expect(matchOrder(session, order({ createdAt: new Date("2026-01-10T14:00:00Z") }))).toBeNull();
    expect(matchOrder(session, order({ createdAt: new Date("2026-01-14T15:00:00Z") }))).toBeNull();
    expect(matchOrder(session, order({ transactions: [], gatewayNames: ["manual"] }))).toBeNull();
  });

  it("chooses only an unrivalled best fit", () => {
    const high = order({ id: "a" });
    const medium = order({ id: "b", email: null });
    expect(choose([high, medium], (o) => matchOrder(session, o))).toMatchObject({ kind: "linked", item: { id: "a" } });
    expect(choose([medium, order({ id: "c", email: null })], (o) => matchOrder(session, o))).toMatchObject({ kind: "ambiguous" });
    expect(choose([high, order({ id: "d" })], (o) => matchOrder(session, o))).toMatchObject({ kind: "ambiguous" });
    expect(choose([medium], (o) => matchOrder(session, o))).toMatchObject({ kind: "linked", match: { confidence: "medium" } });
    expect(choose([order({ id: "e", test: true })], (o) => matchOrder(session, o))).toEqual({ kind: "none" });
  });
});
