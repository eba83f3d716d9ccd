import { setTimeout as sleep } from "node:timers/promises";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Database, migrateDatabase, openDatabase } from "../../app/adapters/db/database";
import { LEASE_LOST_PREFIX, PrismaOutboxRepository } from "../../app/adapters/db/prisma-outbox-repository";
import { insertJobs } from "../../app/adapters/db/prisma-payment-store";
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

  it("release hands unstarted claims back at once, and only the holder's", async () => {
    const id = await newJob();
    await repo.claimDue({ now: new Date(), limit: 50, leaseMs: 60_000, workerId: "a" });
    expect(await repo.release({ workerId: "b", jobIds: [id] })).toBe(0);
    expect(await repo.release({ workerId: "a", jobIds: [id] })).toBe(1);
    expect((await repo.claimDue({ now: new Date(), limit: 50, leaseMs: 60_000, workerId: "b" })).map((j) => j.id)).toEqual([id]);
  });
});
