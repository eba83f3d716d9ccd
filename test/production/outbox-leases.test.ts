import { setTimeout as sleep } from "node:timers/promises";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Database, migrateDatabase, openDatabase } from "../../app/adapters/db/database";
import { INTERRUPTED_DETAIL, LEASE_LOST_PREFIX, PrismaOutboxRepository } from "../../app/adapters/db/prisma-outbox-repository";
import { insertJobs } from "../../app/adapters/db/prisma-payment-writes";
import { PrismaSchedulerLease } from "../../app/adapters/db/prisma-scheduler-lease";
import { SqlPaymentStore } from "../../app/adapters/db/sql/sql-payment-store";
import { silentLogger } from "../../app/lib/logger";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

const HOUR = 3_600_000;

/** The outbox repository against the real database (SQLite, or PostgreSQL with TEST_DATABASE_URL). */
describe("outbox leases in the database", () => {
  let database: TestDatabase;
  let db: Database;
  let repo: PrismaOutboxRepository;
  let n = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase({ engine: database.engine, url: database.url }, silentLogger);
    db = await openDatabase({ engine: database.engine, url: database.url }, silentLogger);
    repo = new PrismaOutboxRepository(db.prisma, db.engine);
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  async function newJob(): Promise<string> {
    n += 1;
    const dedupeKey = `payment_session.resolve:lease-${n}`;
    await insertJobs(db.prisma, [{ kind: "payment_session.resolve", shopId: "shop_1", payload: { paymentSessionId: `ps_${n}` }, dedupeKey }], new Date(), null);
    return (await db.prisma.outboxJob.findUniqueOrThrow({ where: { dedupeKey } })).id;
  }

  const attempt = (detail: string) => ({ at: new Date(), outcome: "done" as const, detail });

  it("measures the lease on the database's clock: an instance whose clock runs a day ahead does not steal a held job", async () => {
    const id = await newJob();
    const claimed = await repo.claimDue({ now: new Date(), limit: 50, leaseMs: 60_000, workerId: "a" });
    expect(claimed.map((j) => j.id)).toContain(id);
    const aheadNow = new Date(Date.now() + 24 * HOUR);
    expect((await repo.claimDue({ now: aheadNow, limit: 50, leaseMs: 60_000, workerId: "b" })).map((j) => j.id)).not.toContain(id);
    expect(await repo.complete({ jobId: id, workerId: "a", attempt: attempt("resolved by a") })).toBe("applied");
  });

  it("records the attempt of a worker whose lease ran out, with its instance, and leaves the job to the new holder", async () => {
    const id = await newJob();
    await repo.claimDue({ now: new Date(), limit: 50, leaseMs: 1, workerId: "a" });
    await sleep(50);
    expect((await repo.claimDue({ now: new Date(), limit: 50, leaseMs: 60_000, workerId: "b" })).map((j) => j.id)).toContain(id);

    expect(await repo.complete({ jobId: id, workerId: "a", attempt: attempt("late answer from a") })).toBe("lease_lost");
    expect(await db.prisma.outboxJob.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "pending", lockedBy: "b", attempts: 0 });
    expect(await repo.complete({ jobId: id, workerId: "b", attempt: attempt("resolved by b") })).toBe("applied");

    const attempts = await db.prisma.deliveryAttempt.findMany({ where: { jobId: id }, orderBy: { at: "asc" } });
    expect(attempts.map((a) => [a.instanceId, a.detail])).toEqual([
      ["a", `${LEASE_LOST_PREFIX}late answer from a`],
      ["b", "resolved by b"],
    ]);
    expect(await db.prisma.outboxJob.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "done", attempts: 1 });
  });

  it("records, in its holder's name, the attempt of an instance that stopped holding a job, once", async () => {
    const id = await newJob();
    await repo.claimDue({ now: new Date(), limit: 50, leaseMs: 1, workerId: "a" });
    await sleep(50);
    // Instance a never comes back (SIGKILLed mid-call): b takes the job over and a's call is on the record.
    expect((await repo.claimDue({ now: new Date(), limit: 50, leaseMs: 60_000, workerId: "b" })).map((j) => j.id)).toContain(id);
    expect(await repo.complete({ jobId: id, workerId: "b", attempt: attempt("resolved by b") })).toBe("applied");
    const attempts = await db.prisma.deliveryAttempt.findMany({ where: { jobId: id }, orderBy: { at: "asc" } });
    expect(attempts.map((a) => [a.instanceId, a.outcome, a.detail])).toEqual([
      ["a", "interrupted", INTERRUPTED_DETAIL],
      ["b", "done", "resolved by b"],
    ]);
    // A job handed back (release) or finished by its holder is not "interrupted" when claimed again.
    const released = await newJob();
    await repo.claimDue({ now: new Date(), limit: 50, leaseMs: 60_000, workerId: "a" });
    await repo.release({ workerId: "a", jobIds: [released] });
    await repo.claimDue({ now: new Date(), limit: 50, leaseMs: 60_000, workerId: "b" });
    expect(await db.prisma.deliveryAttempt.count({ where: { jobId: released } })).toBe(0);
  });

  it("release hands unstarted claims back at once, and only the holder's", async () => {
    const id = await newJob();
    await repo.claimDue({ now: new Date(), limit: 50, leaseMs: 60_000, workerId: "a" });
    expect(await repo.release({ workerId: "b", jobIds: [id] })).toBe(0);
    expect(await repo.release({ workerId: "a", jobIds: [id] })).toBe(1);
    expect((await repo.claimDue({ now: new Date(), limit: 50, leaseMs: 60_000, workerId: "b" })).map((j) => j.id)).toEqual([id]);
  });

  it("measures a scheduler lease on the database's clock: a holder's lease is not taken over, a spent one is", async () => {
    const lease = new PrismaSchedulerLease(db.prisma, db.engine);
    expect(await lease.tryAcquire("poll-pending-cips", "a", 60_000)).toBe(true);
    expect(await lease.tryAcquire("poll-pending-cips", "b", 60_000)).toBe(false);
    expect(await lease.tryAcquire("poll-pending-cips", "a", 60_000)).toBe(true); // renewed by its holder
    await lease.release("poll-pending-cips", "a");
    expect(await lease.tryAcquire("poll-pending-cips", "b", 1)).toBe(true);
    await sleep(50);
    expect(await lease.tryAcquire("poll-pending-cips", "a", 60_000)).toBe(true);
    expect(await db.prisma.schedulerLease.findUniqueOrThrow({ where: { name: "poll-pending-cips" } })).toMatchObject({ holder: "a" });
  });

  it("measures the CIP-issuing lease on the database's clock: business time a day ahead does not take a held lease", async () => {
    const store = new SqlPaymentStore(db.prisma, db.driver);
    const at = new Date();
    await db.prisma.shop.create({
      data: { id: "shop_issuing", domain: "issuing.myshopify.com", status: "installed", installedAt: at, notificationKey: "nk_issuing", createdAt: at, updatedAt: at },
    });
    const session = (id: string) => ({
      id,
      gid: `gid://shopify/PaymentSession/${id}`,
      shopId: "shop_issuing",
      groupId: null,
      checkoutSessionId: null,
      amountMinor: 1000,
      currency: "PEN" as const,
      test: false,
      kind: "sale",
      merchantLocale: null,
      buyerLocale: "es" as const,
      email: null,
      phone: "987654321",
      phoneCountryCode: "+51",
      givenName: null,
      familyName: null,
      cancelUrl: null,
      proposedAt: at,
      requestId: `req_${id}`,
      apiVersion: "2026-04",
      requestBody: "{}",
      state: "awaiting_phone" as const,
      rejectionReason: null,
      buyerToken: `token_${id}_0123456789`,
      environment: "sandbox" as const,
      createdAt: at,
    });
    await store.getOrCreateSession(session("ps_issuing_1"), []);
    await store.getOrCreateSession(session("ps_issuing_2"), []);

    expect(await store.claimIssuing("ps_issuing_1", new Date(), 60_000)).toBe("claimed");
    // Business time a day ahead (the sandbox clock) does not make the lease run out: the database's clock does.
    expect(await store.claimIssuing("ps_issuing_1", new Date(Date.now() + 24 * HOUR), 60_000)).toBe("held");
    expect(await store.claimIssuing("ps_issuing_2", new Date(), 1)).toBe("claimed");
    await sleep(50);
    // A lease that ran out is never taken over (its creation's outcome is unknown): IssueCip keeps it unconfirmed.
    expect(await store.claimIssuing("ps_issuing_2", new Date(), 60_000)).toBe("abandoned");

    // A session created holding its lease (one write): the lease is there, on the same clock, and held against others.
    const created = await store.getOrCreateSession(session("ps_issuing_3"), [], { claimIssuingForMs: 60_000 });
    expect(created).toMatchObject({ created: true, claimed: true, session: { cipAttempts: 1 } });
    const leaseLeft = (created.session.issuingUntil?.getTime() ?? 0) - Date.now();
    expect(leaseLeft).toBeGreaterThan(50_000);
    expect(leaseLeft).toBeLessThanOrEqual(60_000);
    expect(await store.claimIssuing("ps_issuing_3", new Date(Date.now() + 24 * HOUR), 60_000)).toBe("held");
    // The same id again (Shopify's retry) finds the row and takes nothing.
    expect(await store.getOrCreateSession(session("ps_issuing_3"), [], { claimIssuingForMs: 60_000 })).toMatchObject({ created: false, claimed: false });
    const short = await store.getOrCreateSession(session("ps_issuing_4"), [], { claimIssuingForMs: 1 });
    expect(short.claimed).toBe(true);
    await sleep(50);
    expect(await store.claimIssuing("ps_issuing_4", new Date(), 60_000)).toBe("abandoned");
  });
});
