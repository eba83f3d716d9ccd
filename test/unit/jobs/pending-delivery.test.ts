import { describe, expect, it } from "vitest";

import type { SecretBox } from "../../../app/adapters/crypto/secret-box";
import { pendingExpiresAtFor,SHOPIFY_PENDING_LIMIT_MS } from "../../../app/domain/shopify-pending";
import { createDeliveryHandlers, type DeliveryDeps } from "../../../app/jobs/delivery-handlers";
import { type AdjustableClock, FixedClock } from "../../../app/lib/clock";
import { silentLogger } from "../../../app/lib/logger";
import { ok } from "../../../app/lib/result";
import type { OutboxJob } from "../../../app/ports/outbox";
import type { PendPaymentSessionInput } from "../../../app/ports/shopify-payments-apps";

const CIP_EXPIRES = new Date("2026-01-12T15:00:00Z");

function setup(clock: FixedClock | AdjustableClock) {
  const sent: PendPaymentSessionInput[] = [];
  const deps = {
    store: {
      findSession: async () => ({ id: "s1", gid: "gid://shopify/PaymentSession/s1", state: "pending", cipExpiresAt: CIP_EXPIRES }),
      findShopById: async () => ({ domain: "tienda.myshopify.com", offlineTokenEncrypted: "enc" }),
      applyChange: async () => true,
      addEvents: async () => undefined,
    },
    secrets: { decrypt: () => "shpat_x" } as unknown as SecretBox,
    shopify: {
      pendPaymentSession: async (_target: unknown, input: PendPaymentSessionInput) => {
        sent.push(input);
        return ok({ state: "PENDING", nextActionRedirectUrl: null, raw: {} });
      },
    },
    clock,
    logger: silentLogger,
    apiVersion: "2025-10",
  } as unknown as DeliveryDeps;
  const job = { id: "j1", kind: "payment_session.pending", shopId: "shop1", payload: { paymentSessionId: "s1" } } as unknown as OutboxJob;
  return { handlers: createDeliveryHandlers(deps), job, sent };
}

describe("paymentSessionPending is never sent with a time Shopify refuses", () => {
  it("sends the CIP's expiry while it is in Shopify's range", async () => {
    const { handlers, job, sent } = setup(new FixedClock(new Date("2026-01-10T15:00:00Z")));
    expect(await handlers["payment_session.pending"](job)).toMatchObject({ outcome: "done" });
    expect(sent[0]?.pendingExpiresAt).toEqual(CIP_EXPIRES);
  });

  it("drops a pending retried after the CIP expired (Shopify would answer EXPIRED_PENDING_EXPIRES_AT)", async () => {
    const { handlers, job, sent } = setup(new FixedClock(new Date("2026-01-12T15:00:30Z")));
    const outcome = await handlers["payment_session.pending"](job);
    expect(outcome).toMatchObject({ outcome: "done" });
    expect(outcome.detail).toMatch(/expired/);
    expect(sent).toEqual([]);
  });

  it("caps the time to the 3-day limit and keeps it in the future", () => {
    const now = new Date("2026-01-08T00:00:00Z");
    const far = new Date(now.getTime() + 5 * 86_400_000);
    const capped = pendingExpiresAtFor(far, now)!;
    expect(capped.getTime()).toBeLessThan(now.getTime() + SHOPIFY_PENDING_LIMIT_MS);
    expect(capped.getTime()).toBeGreaterThan(now.getTime() + SHOPIFY_PENDING_LIMIT_MS - 5 * 60_000);
    expect(pendingExpiresAtFor(new Date(now.getTime() + 30_000), now)).toBeNull();
  });
});
