import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Database, migrateDatabase, openDatabase } from "../../../app/adapters/db/database";
import { connectionLostLogger } from "../../../app/adapters/db/pg-connections";
import { all } from "../../../app/adapters/db/sql/sql-driver";
import { type ClosableBuyerPageReader, openBuyerPageReader } from "../../../app/adapters/db/sql-buyer-page-reader";
import { isDatabaseUnavailable } from "../../../app/lib/database-unavailable";
import { createLogger } from "../../../app/lib/logger";
import { CuttableProxy } from "../../helpers/cuttable-proxy";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-database";

/**
 * The database connection is cut (issue #10, "Database unreachable"): every pg Client and Pool the app owns (the
 * driver's pool and the connection a write holds checked out, Prisma's adapter pool and its transactions, the
 * buyer page's pool, the migrator's client) hears the cut connection's "error": the operation in flight fails, a
 * warning is logged, the process keeps running (an unheard "error" event ends it; vitest reports it as an
 * unhandled error and fails this file), and the next operation after the database is back reconnects.
 * PostgreSQL only: SQLite has no connection to cut (its outage is another process holding the write lock).
 */
const POSTGRES = Boolean(process.env.TEST_DATABASE_URL);

describe.skipIf(!POSTGRES)("PostgreSQL connections cut under the app", () => {
  let testDb: TestDatabase;
  let proxy: CuttableProxy;
  let db: Database;
  let pages: ClosableBuyerPageReader;
  const lines: string[] = [];
  const logger = createLogger({ level: "warn", destination: { write: (line: string) => void lines.push(line) } });
  const warnings = () => lines.filter((l) => l.includes("database connection lost"));

  beforeAll(async () => {
    testDb = await createTestDatabase();
    await migrateDatabase({ engine: "postgresql", url: testDb.url }, logger);
    proxy = CuttableProxy.forUrl(testDb.url);
    await proxy.open();
    const url = proxy.through(testDb.url);
    db = await openDatabase({ engine: "postgresql", url, poolSize: 3 }, logger);
    pages = openBuyerPageReader({ engine: "postgresql", url }, connectionLostLogger(logger));
  }, 60_000);
  afterAll(async () => {
    if (!proxy.isOpen) await proxy.open();
    await pages?.close();
    // Hangs if a cut transaction kept its connection checked out (Prisma's adapter releases only after ROLLBACK).
    await db?.close();
    await proxy.cut();
    await testDb?.drop();
  });

  const allWorking = async () => {
    expect(await db.driver.write(function* () {
      return yield* all("SELECT 1 AS one", []);
    })).toEqual([{ one: 1 }]);
    expect(await db.driver.get("SELECT 2 AS two")).toEqual({ two: 2 });
    expect(await db.prisma.$queryRawUnsafe("SELECT 3 AS three")).toEqual([{ three: 3 }]);
    // As many transactions at once as the pool holds: none of its connections was kept by a cut transaction.
    const together = [1, 2, 3].map(() => db.prisma.$transaction(async (tx) => tx.$queryRawUnsafe("SELECT 4 AS four FROM (SELECT pg_sleep(0.2)) AS slow"), { maxWait: 5_000 }));
    expect(await Promise.all(together)).toEqual(Array(3).fill([{ four: 4 }]));
    expect(await pages.findByBuyerToken("nobody")).toBeNull();
    expect(await db.ping()).toBe(true);
  };

  it("fails the operations in flight, logs, keeps running, and reconnects once the database is back", async () => {
    await allWorking();
    lines.length = 0;

    // In flight when the cut comes: driver writes and Prisma transactions (their connections checked out, as many
    // as each pool holds: a connection a cut transaction kept would leave the pool short for good), plain queries.
    const inFlight = [
      ...[1, 2].map(() =>
        db.driver.write(function* () {
          yield* all("SELECT pg_sleep(2)", []);
          return 1;
        }),
      ),
      db.driver.all("SELECT pg_sleep(2)"),
      ...[1, 2, 3].map(() => db.prisma.$transaction(async (tx) => tx.$queryRawUnsafe("SELECT pg_sleep(3)"))),
    ].map((p) => p.then(() => "done", () => "failed"));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await proxy.cut();
    expect(await Promise.all(inFlight)).toEqual(Array(6).fill("failed"));
    await expect(db.prisma.$queryRawUnsafe("SELECT pg_sleep(2)")).rejects.toThrow();

    // During the outage: each fails (the readiness probe says so), none hangs or ends the process.
    await expect(db.driver.get("SELECT 1")).rejects.toThrow();
    await expect(pages.findByBuyerToken("nobody")).rejects.toThrow();
    expect(await db.ping()).toBe(false);
    expect(warnings().length, lines.join("")).toBeGreaterThanOrEqual(2);

    await proxy.open();
    await allWorking();
  }, 30_000);

  it("idle connections cut between requests are dropped and replaced", async () => {
    await allWorking();
    lines.length = 0;
    await proxy.cut();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Every pool held idle connections: each heard its own connection's error.
    expect(warnings().length, lines.join("")).toBeGreaterThanOrEqual(3);
    await proxy.open();
    await allWorking();
  }, 30_000);

  it("the migrator's connection cut while it waits for another instance's migration lock fails the start-up, nothing else", async () => {
    const other = new pg.Client({ connectionString: testDb.url });
    await other.connect();
    try {
      await other.query("SELECT pg_advisory_lock(72707369)");
      const migrating = migrateDatabase({ engine: "postgresql", url: proxy.through(testDb.url) }, logger).then(() => "done", () => "failed");
      await new Promise((resolve) => setTimeout(resolve, 500));
      await proxy.cut();
      expect(await migrating).toBe("failed");
    } finally {
      await other.end();
      await proxy.open();
    }
    await allWorking();
  }, 30_000);

  it("a stalled network (nothing forwarded, no reset) fails each operation as database unavailable within its timeouts, and all resumes after", async () => {
    // Its own proxy and pools with short bounds (the defaults are DATABASE_CONNECT_TIMEOUT_MS 5 s, DATABASE_QUERY_TIMEOUT_MS 15 s).
    const stalling = CuttableProxy.forUrl(testDb.url);
    await stalling.open();
    const url = stalling.through(testDb.url);
    const timeouts = { connectTimeoutMs: 800, queryTimeoutMs: 1_000 };
    const bounded = await openDatabase({ engine: "postgresql", url, poolSize: 2, ...timeouts }, logger);
    const boundedPages = openBuyerPageReader({ engine: "postgresql", url, ...timeouts }, connectionLostLogger(logger));
    // The query bound plus its 1 s network grace, plus scheduling slack on a loaded machine.
    const BOUND_MS = timeouts.queryTimeoutMs + 1_000 + 1_500;
    const outcome = async (operation: () => Promise<unknown>) => {
      const started = Date.now();
      try {
        await operation();
        return { unavailable: false, error: "none", ms: Date.now() - started };
      } catch (error) {
        return { unavailable: isDatabaseUnavailable(error), error: String(error), ms: Date.now() - started };
      }
    };
    try {
      // Connections open and idle in each pool, then the network stalls under them.
      expect(await bounded.driver.get("SELECT 1 AS one")).toEqual({ one: 1 });
      expect(await bounded.prisma.$queryRawUnsafe("SELECT 1 AS one")).toEqual([{ one: 1 }]);
      expect(await boundedPages.findByBuyerToken("nobody")).toBeNull();
      stalling.stall();

      // Without bounds each of these would wait forever (pg sets no timeout by default).
      const results = await Promise.all([
        outcome(() => bounded.driver.get("SELECT 1")),
        outcome(() => bounded.driver.write(function* () {
          return yield* all("SELECT 1 AS one", []);
        })),
        outcome(() => bounded.prisma.$queryRawUnsafe("SELECT 1")),
        outcome(() => bounded.prisma.$transaction(async (tx) => tx.$queryRawUnsafe("SELECT 1"))),
        outcome(() => boundedPages.findByBuyerToken("nobody")),
        // More at once than the pools hold: waiting for a free connection is bounded too.
        ...[1, 2, 3].map(() => outcome(() => bounded.driver.get("SELECT 2"))),
      ]);
      for (const result of results) {
        expect(result.unavailable, result.error).toBe(true);
        expect(result.ms, result.error).toBeLessThan(BOUND_MS);
      }
      // New connections during the stall: the connect bound.
      const fresh = await outcome(() => bounded.driver.get("SELECT 3"));
      expect(fresh.unavailable, fresh.error).toBe(true);
      expect(fresh.ms).toBeLessThan(BOUND_MS);
      expect(await bounded.ping()).toBe(false);

      await stalling.open();
      await eventuallyTrue(() => bounded.ping());
      expect(await bounded.driver.get("SELECT 2 AS two")).toEqual({ two: 2 });
      expect(await bounded.driver.write(function* () {
        return yield* all("SELECT 1 AS one", []);
      })).toEqual([{ one: 1 }]);
      expect(await bounded.prisma.$transaction(async (tx) => tx.$queryRawUnsafe("SELECT 4 AS four"))).toEqual([{ four: 4 }]);
      expect(await boundedPages.findByBuyerToken("nobody")).toBeNull();
    } finally {
      if (!stalling.isOpen) await stalling.open();
      await boundedPages.close();
      await bounded.close();
      await stalling.cut();
    }
  }, 60_000);

  it("a statement running past DATABASE_QUERY_TIMEOUT_MS is cancelled by the server and reads as database unavailable", async () => {
    const bounded = await openDatabase({ engine: "postgresql", url: testDb.url, poolSize: 1, queryTimeoutMs: 500 }, logger);
    try {
      const error = await bounded.driver.get("SELECT pg_sleep(5)").then(() => null, (e: unknown) => e);
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
      expect(await bounded.driver.get("SELECT 1 AS one")).toEqual({ one: 1 });
    } finally {
      await bounded.close();
    }
  }, 30_000);
});

async function eventuallyTrue(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("still failing after 10 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
