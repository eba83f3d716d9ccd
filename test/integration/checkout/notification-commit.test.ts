import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Database, migrateDatabase, openDatabase } from "../../../app/adapters/db/database";
import { SqlNotificationStore } from "../../../app/adapters/db/sql/sql-notification-store";
import { SqlPaymentStore } from "../../../app/adapters/db/sql/sql-payment-store";
import { silentLogger } from "../../../app/lib/logger";
import type { NotificationEvidence } from "../../../app/ports/notification-store";
import type { PaymentChange } from "../../../app/ports/payment-store";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-database";

/**
 * SqlNotificationStore.commit's three outcomes, on whichever engine the suite runs (on PostgreSQL the evidence, the
 * guarded change and its event and job are ONE statement, sql-writes.ts notificationWithChange): stored (everything
 * written), duplicate (a stored dedupe key: nothing written, the session untouched) and guard_failed (the session
 * moved on: not even the evidence is kept, so the notification can be handled again).
 */
describe("notification commit (evidence and change in one unit)", () => {
  let database: TestDatabase;
  let db: Database;
  let store: SqlNotificationStore;

  const count = async (sql: string) => Number(((await db.prisma.$queryRawUnsafe(sql)) as Array<{ n: unknown }>)[0]?.n);

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase({ engine: database.engine, url: database.url }, silentLogger);
    db = await openDatabase({ engine: database.engine, url: database.url }, silentLogger);
    store = new SqlNotificationStore(db.driver);
    const now = new Date();
    await db.prisma.shop.create({
      data: { id: "shop-1", domain: "one.myshopify.com", status: "installed", installedAt: now, notificationKey: "key-1", locale: "es", timezone: "America/Lima", cipLifetimeHours: 48, ready: true, createdAt: now, updatedAt: now },
    });
    for (const n of [1, 2]) {
      await db.prisma.paymentSession.create({
        data: {
          id: `s${n}`,
          gid: `gid://shopify/PaymentSession/s${n}`,
          shopId: "shop-1",
          amountMinor: 15_000,
          currency: "PEN",
          test: true,
          kind: "sale",
          proposedAt: now,
          requestId: `r${n}`,
          apiVersion: "2026-10",
          requestBody: "{}",
          state: "pending",
          buyerToken: `t${n}`,
          cip: `400${n}`,
          cipUrl: "https://example.test/cip",
          cipExpiresAt: new Date(now.getTime() + 3_600_000),
          cipIssuedAt: now,
          environment: "sandbox",
          createdAt: now,
          updatedAt: now,
        },
      });
    }
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  const evidence = (n: number, dedupeKey: string): NotificationEvidence => ({
    shopId: "shop-1",
    paymentSessionId: `s${n}`,
    cip: `400${n}`,
    operationNumber: `op${n}`,
    eventType: "cip.paid",
    rawBody: Buffer.from(`{"n":${n}}`),
    headers: { "content-type": "application/json" },
    signature: "ab",
    signatureValid: true,
    verificationReason: "valid:sandbox",
    dedupeKey,
    outcome: "marked_paid",
    receivedAt: new Date(),
  });
  const paid = (n: number): PaymentChange => ({
    sessionId: `s${n}`,
    move: "paid",
    set: { paidAt: new Date(), paidAmountMinor: 15_000, paidCurrency: "PEN", operationNumber: `op${n}`, paidVia: "notification" },
    events: [{ type: "paid", at: new Date(), detail: { via: "notification" } }],
    jobs: [{ kind: "payment_session.resolve", shopId: "shop-1", dedupeKey: `payment_session.final:s${n}`, payload: { paymentSessionId: `s${n}` } }],
  });

  it("stores the evidence, the change, its event and its job together", async () => {
    const outcome = await store.commit({ evidence: evidence(1, "4001:op1:cip.paid"), change: paid(1) });
    expect(outcome.result).toBe("stored");
    expect(outcome.result === "stored" ? outcome.session?.state : null).toBe("paid");
    expect(await count(`SELECT COUNT(*) AS n FROM "PagoEfectivoNotification" WHERE "dedupeKey" = '4001:op1:cip.paid'`)).toBe(1);
    expect(await count(`SELECT COUNT(*) AS n FROM "PaymentEvent" WHERE "paymentSessionId" = 's1'`)).toBe(1);
    expect(await count(`SELECT COUNT(*) AS n FROM "OutboxJob" WHERE "paymentSessionId" = 's1'`)).toBe(1);
  });

  it("answers a stored dedupe key as a duplicate and writes nothing", async () => {
    const outcome = await store.commit({ evidence: evidence(2, "4001:op1:cip.paid"), change: paid(2) });
    expect(outcome.result).toBe("duplicate");
    expect(await count(`SELECT COUNT(*) AS n FROM "PaymentSession" WHERE "id" = 's2' AND "state" = 'pending'`)).toBe(1);
    expect(await count(`SELECT COUNT(*) AS n FROM "PaymentEvent" WHERE "paymentSessionId" = 's2'`)).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM "OutboxJob" WHERE "paymentSessionId" = 's2'`)).toBe(0);
  });

  it("keeps nothing, not even the evidence, when the session moved on (guard failed)", async () => {
    const outcome = await store.commit({ evidence: evidence(1, "4001:op9:cip.paid"), change: paid(1) });
    expect(outcome.result).toBe("guard_failed");
    expect(await count(`SELECT COUNT(*) AS n FROM "PagoEfectivoNotification" WHERE "dedupeKey" = '4001:op9:cip.paid'`)).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM "PaymentEvent" WHERE "paymentSessionId" = 's1'`)).toBe(1);
  });

  it("a change whose guard fails (one statement on PostgreSQL, run without BEGIN when alone) writes nothing", async () => {
    const payments = new SqlPaymentStore(db.prisma, db.driver);
    expect(await payments.applyChange({ ...paid(1), jobs: [{ kind: "payment_session.resolve", shopId: "shop-1", dedupeKey: "other:s1", payload: { paymentSessionId: "s1" } }] })).toBeNull();
    expect(await count(`SELECT COUNT(*) AS n FROM "PaymentEvent" WHERE "paymentSessionId" = 's1'`)).toBe(1);
    expect(await count(`SELECT COUNT(*) AS n FROM "OutboxJob" WHERE "paymentSessionId" = 's1'`)).toBe(1);
  });

  it("commits concurrent notifications each exactly once", async () => {
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.commit({ evidence: evidence(2, "4002:op2:cip.paid"), change: paid(2) })));
    expect(outcomes.filter((o) => o.result === "stored")).toHaveLength(1);
    expect(outcomes.filter((o) => o.result === "duplicate")).toHaveLength(9);
    expect(await count(`SELECT COUNT(*) AS n FROM "OutboxJob" WHERE "paymentSessionId" = 's2'`)).toBe(1);
  });
});
