import { describe, expect, it } from "vitest";

import { HmacSignatures } from "../../../../app/adapters/crypto/hmac-signatures";
import { signNotification } from "../../../../app/adapters/pagoefectivo/pagoefectivo-signature";
import { FixedClock } from "../../../../app/lib/clock";
import { silentLogger } from "../../../../app/lib/logger";
import type { NotificationContext, NotificationStore } from "../../../../app/ports/notification-store";
import type { CredentialRecord, PaymentSessionRecord, ShopRecord } from "../../../../app/ports/payment-store";
import { HandlePagoEfectivoNotification } from "../../../../app/use-cases/handle-pagoefectivo-notification/handle-pagoefectivo-notification";
import { ReplayMemory } from "../../../../app/use-cases/handle-pagoefectivo-notification/replay-memory";
import { CredentialsResolver } from "../../../../app/use-cases/shared/credentials";

/**
 * The replay memory (replay-memory.ts) may answer a replay only once the first delivery's evidence is committed:
 * a replay that arrives while the first is still being written goes to the database, which decides as before.
 */
const SECRET = "sk-replay-memory-0123456789";
const NOW = new Date("2026-12-04T15:00:00Z");
const shop: ShopRecord = {
  id: "shop-1",
  domain: "replays.myshopify.com",
  name: null,
  status: "installed",
  offlineTokenEncrypted: null,
  notificationKey: "key-1",
  locale: "es",
  timezone: "America/Lima",
  cipLifetimeHours: 48,
  paymentConcept: null,
  ready: true,
};
const credential: CredentialRecord = { shopId: shop.id, environment: "sandbox", accessKey: "AK", secretKeyEncrypted: `sealed:${SECRET}`, idService: 1, verifiedAt: null };
const session = {
  id: "ps-1",
  shopId: shop.id,
  amountMinor: 4550,
  currency: "PEN",
  state: "pending",
  cip: "5550001",
  cipExpiresAt: new Date(NOW.getTime() + 3_600_000),
  environment: "sandbox",
  shopifyState: "pending",
  paidAt: null,
  operationNumber: null,
} as unknown as PaymentSessionRecord;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => undefined as void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function harness() {
  const committed = new Set<string>();
  const calls = { lookup: 0, isStoredReplay: 0, commit: 0 };
  const gates: Array<() => void> = [];
  const mode = { gated: true };
  const notifications: NotificationStore = {
    isKnown: async (key) => committed.has(key),
    isStoredReplay: async (p) => {
      calls.isStoredReplay += 1;
      return p.secretKeyEncrypted === credential.secretKeyEncrypted && committed.has(p.dedupeKey);
    },
    lookup: async (p): Promise<NotificationContext> => {
      calls.lookup += 1;
      const known = p.dedupeKey !== null && committed.has(p.dedupeKey);
      return { shop, credentials: [credential], known, sessionByCip: known ? null : session };
    },
    commit: async ({ evidence }) => {
      calls.commit += 1;
      if (mode.gated) {
        const gate = deferred();
        gates.push(gate.resolve);
        await gate.promise;
      }
      if (evidence.dedupeKey && committed.has(evidence.dedupeKey)) return { result: "duplicate" };
      if (evidence.dedupeKey) committed.add(evidence.dedupeKey);
      return { result: "stored", session: null };
    },
  };
  const secrets = { encrypt: (s: string) => `sealed:${s}`, decrypt: (s: string) => s.replace(/^sealed:/, "") };
  const replays = new ReplayMemory();
  const handler = new HandlePagoEfectivoNotification({
    store: { findSession: async () => null, findLostCreationCandidates: async () => [] } as never,
    notifications,
    signatures: new HmacSignatures("shopify-secret"),
    credentials: new CredentialsResolver({} as never, secrets as never, { baseUrl: () => "https://pre1a.example" }),
    clock: new FixedClock(NOW),
    logger: silentLogger,
    replays,
  });
  const body = Buffer.from(JSON.stringify({ eventType: "cip.paid", operationNumber: "778899", data: { cip: session.cip, currency: "PEN", amount: 45.5 } }));
  const deliver = (payload: Buffer = body) =>
    handler.execute({ notificationKey: shop.notificationKey, rawBody: payload, headers: { "pe-signature": signNotification(payload, SECRET) }, clientAddress: "203.0.113.5" });
  const settle = () => new Promise((r) => setImmediate(r));
  return { calls, gates, mode, replays, deliver, settle, body };
}

describe("replay memory", () => {
  it("is not consulted for a replay while the first delivery is still being committed", async () => {
    const h = harness();
    const first = h.deliver();
    await h.settle();
    expect(h.calls.commit).toBe(1);
    const replay = h.deliver();
    await h.settle();
    // Nothing remembered yet: the replay went to the database, which does not know the notification either.
    expect(h.replays.size).toBe(0);
    expect(h.calls.lookup).toBe(2);
    expect(h.calls.isStoredReplay).toBe(0);
    h.gates.shift()?.();
    expect(await first).toEqual({ kind: "accepted", outcome: "marked_paid" });
    await h.settle();
    h.gates.shift()?.();
    // The replay's own commit found the evidence stored: "duplicate", as without the memory.
    expect(await replay).toEqual({ kind: "accepted", outcome: "duplicate" });
  });

  it("answers a replay of a committed delivery from one narrow read, without the full look-up", async () => {
    const h = harness();
    const first = h.deliver();
    await h.settle();
    h.gates.shift()?.();
    expect(await first).toEqual({ kind: "accepted", outcome: "marked_paid" });
    expect(h.replays.size).toBe(1);
    expect(await h.deliver()).toEqual({ kind: "accepted", outcome: "duplicate" });
    expect(h.calls).toEqual({ lookup: 1, isStoredReplay: 1, commit: 1 });
  });

  it("sends a remembered replay the database no longer confirms down the full path", async () => {
    const h = harness();
    const first = h.deliver();
    await h.settle();
    h.gates.shift()?.();
    await first;
    h.mode.gated = false;
    credential.secretKeyEncrypted = "sealed:a-rotated-secret";
    try {
      const answer = await h.deliver();
      expect(answer).toMatchObject({ kind: "refused", reason: "bad_signature" });
      expect(h.calls.lookup).toBe(2);
      expect(h.replays.size).toBe(0);
    } finally {
      credential.secretKeyEncrypted = `sealed:${SECRET}`;
    }
  });

  it("keeps at most its capacity, oldest out", () => {
    const memory = new ReplayMemory(2);
    const entry = { shopId: "s", environment: "sandbox" as const, secretKeyEncrypted: "x", dedupeKey: "d" };
    for (const key of ["a", "b", "c"]) memory.remember(key, entry);
    expect(memory.size).toBe(2);
    expect(memory.get("a")).toBeUndefined();
    expect(memory.get("c")).toEqual(entry);
  });
});
