import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Database, migrateDatabase, openDatabase } from "../../../app/adapters/db/database";
import { PrismaReconciliationRuns } from "../../../app/adapters/db/prisma-reconciliation-runs";
import type { Clock } from "../../../app/lib/clock";
import { silentLogger } from "../../../app/lib/logger";
import { ok } from "../../../app/lib/result";
import type { RunRecord, RunStats } from "../../../app/ports/reconciliation";
import { ABANDONED_RUN_MS, QueueReconciliationRun } from "../../../app/use-cases/run-reconciliation/queue-reconciliation-run";
import { ShopWorkQueue } from "../../../app/use-cases/run-reconciliation/shop-work-queue";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-database";

/**
 * Issue #12 across instances: two app instances (each its own work queue and QueueReconciliationRun, and on
 * PostgreSQL its own connection pool) on one database queue one manual run per shop, however clicks are routed.
 */
describe("one manual run per shop across instances", () => {
  let testDb: TestDatabase;
  const dbs: Database[] = [];
  const clock: Clock = { now: () => new Date() };
  /** Each run waits for its release, so it stays queued or running while the requests arrive. */
  const releases = new Map<string, () => void>();
  const instances: QueueReconciliationRun[] = [];

  function instance(db: Database, heartbeatEveryMs?: number): QueueReconciliationRun {
    const runs = new PrismaReconciliationRuns(db.prisma);
    return new QueueReconciliationRun({
      runs,
      queue: new ShopWorkQueue(),
      linkOrders: { execute: () => Promise.reject(new Error("not used: linkOrders is false")) },
      runReconciliation: {
        async execute({ run }: { shopId: string; run?: RunRecord }) {
          if (!run) throw new Error("a queued run is expected");
          await runs.markRunning(run.id, clock.now());
          await new Promise<void>((resolve) => releases.set(run.id, resolve));
          const stats = { trigger: "manual", durationMs: 0 } as unknown as RunStats;
          await runs.finish(run.id, stats, clock.now());
          return ok({ run, stats });
        },
      },
      clock,
      logger: silentLogger,
      ...(heartbeatEveryMs ? { heartbeatEveryMs } : {}),
    });
  }

  const activeManual = (shopId: string) => dbs[0]?.prisma.reconciliationRun.findMany({ where: { shopId, trigger: "manual", status: { in: ["queued", "running"] } } });
  const finish = async (runId: string) => {
    await expect.poll(() => releases.has(runId)).toBe(true);
    releases.get(runId)?.();
    await expect.poll(async () => (await dbs[0]?.prisma.reconciliationRun.findUnique({ where: { id: runId } }))?.status).toBe("done");
  };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    await migrateDatabase({ engine: testDb.engine, url: testDb.url }, silentLogger);
    // PostgreSQL: two instances, each its own pool. SQLite serves one instance per file (sqlite-instance-lock.ts),
    // so there two services share its one connection (two tabs on one instance).
    dbs.push(await openDatabase({ engine: testDb.engine, url: testDb.url }, silentLogger));
    if (testDb.engine === "postgresql") dbs.push(await openDatabase({ engine: testDb.engine, url: testDb.url }, silentLogger));
    for (let i = 0; i < 2; i += 1) instances.push(instance(dbs[i] ?? (dbs[0] as Database)));
  });

  afterAll(async () => {
    for (const release of releases.values()) release();
    for (const db of dbs) await db.close();
    await testDb?.drop();
  });

  it("queues one run when clicks at the same instant reach both instances, and a new one once it is done", async () => {
    const [a, b] = instances as [QueueReconciliationRun, QueueReconciliationRun];
    const answers = await Promise.all([a, b, a, b, b, a].map((q) => q.requestManual("shop-1", { linkOrders: false })));
    const ids = new Set(answers.map((x) => x.run.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((x) => !x.alreadyQueued)).toHaveLength(1);
    expect(await activeManual("shop-1")).toHaveLength(1);

    // Another shop, and a scheduled run of the same shop, are not held back by it.
    expect((await b.requestManual("shop-2", { linkOrders: false })).alreadyQueued).toBe(false);
    const scheduled = await a.enqueue("shop-1", "schedule", { linkOrders: false });
    expect(scheduled.run.trigger).toBe("schedule");

    const [first] = [...ids];
    await finish(first ?? "");
    const next = await b.requestManual("shop-1", { linkOrders: false });
    expect(next).toMatchObject({ alreadyQueued: false });
    expect(next.run.id).not.toBe(first);
    await finish(next.run.id);
  });

  it("does not let a run abandoned by a stopped instance block the button; a recent one still answers", async () => {
    const [a, b] = instances as [QueueReconciliationRun, QueueReconciliationRun];
    const db = dbs[0] as Database;
    const old = new Date(Date.now() - ABANDONED_RUN_MS - 60_000);
    await db.prisma.reconciliationRun.create({ data: { id: "crashed-run", shopId: "shop-3", trigger: "manual", status: "running", startedAt: old, statsJson: "{}" } });

    const answers = await Promise.all([a.requestManual("shop-3", { linkOrders: false }), b.requestManual("shop-3", { linkOrders: false })]);
    expect(new Set(answers.map((x) => x.run.id)).size).toBe(1);
    expect(answers.map((x) => x.alreadyQueued).sort()).toEqual([false, true]);
    expect(answers[0]?.run.id).not.toBe("crashed-run");
    expect(await db.prisma.reconciliationRun.findUnique({ where: { id: "crashed-run" } })).toMatchObject({ status: "failed", error: "The instance running it stopped" });
    await finish(answers[0]?.run.id ?? "");

    // Running for two hours on an instance that is alive (its heartbeat is recent): the button answers it.
    await db.prisma.reconciliationRun.create({
      data: { id: "slow-run", shopId: "shop-4", trigger: "manual", status: "running", startedAt: new Date(Date.now() - 2 * 3600_000), heartbeatAt: new Date(Date.now() - 20_000), statsJson: "{}" },
    });
    expect(await b.requestManual("shop-4", { linkOrders: false })).toMatchObject({ run: { id: "slow-run" }, alreadyQueued: true });
  });

  it("keeps a long run alive with heartbeats while it waits and runs, and stops beating once it is done", async () => {
    const db = dbs[0] as Database;
    const beating = instance(db, 40);
    const { run } = await beating.requestManual("shop-6", { linkOrders: false });
    const heartbeatOf = async () => (await db.prisma.reconciliationRun.findUniqueOrThrow({ where: { id: run.id } })).heartbeatAt;
    await expect.poll(heartbeatOf).not.toBeNull();
    // Started long ago by the clock, but alive: another click still answers this run.
    await db.prisma.reconciliationRun.update({ where: { id: run.id }, data: { startedAt: new Date(Date.now() - 2 * ABANDONED_RUN_MS) } });
    const first = (await heartbeatOf())?.getTime() ?? 0;
    await expect.poll(async () => (await heartbeatOf())?.getTime() ?? 0).toBeGreaterThan(first);
    expect(await instances[1]?.requestManual("shop-6", { linkOrders: false })).toMatchObject({ run: { id: run.id }, alreadyQueued: true });
    await finish(run.id);
    const last = await heartbeatOf();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await heartbeatOf()).toEqual(last);
  });

  it("the database refuses a second active manual run of a shop, whoever inserts it", async () => {
    const db = dbs.at(-1) as Database;
    const row = (id: string) => ({ id, shopId: "shop-5", trigger: "manual", status: "queued", startedAt: new Date(), statsJson: "{}" });
    await db.prisma.reconciliationRun.create({ data: row("r1") });
    await expect(db.prisma.reconciliationRun.create({ data: row("r2") })).rejects.toThrow();
    await db.prisma.reconciliationRun.update({ where: { id: "r1" }, data: { status: "done" } });
    await db.prisma.reconciliationRun.create({ data: row("r2") });
  });
});
