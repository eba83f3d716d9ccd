import { rmSync, writeFileSync } from "node:fs";

import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Database, migrateDatabase, openDatabase, sqliteFile } from "../../../app/adapters/db/database";
import { PrismaAdminPayments } from "../../../app/adapters/db/prisma-admin-payments";
import { run } from "../../../app/adapters/db/sql/sql-driver";
import { searchFileOf, searchIndexOf,type SqliteSearchIndex } from "../../../app/adapters/db/sqlite-search-index";
import { silentLogger } from "../../../app/lib/logger";
import type { PaymentListFilter } from "../../../app/ports/admin-read-models";
import { searchIndexReady } from "../../helpers/search-index";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-database";

/**
 * Issue #13: on SQLite the admin search's trigram index is kept by a worker thread in a file of its own, off the
 * payment sessions' write transaction (sqlite-search-index.ts). A search right after a write finds it, on both
 * engines; on SQLite the worker resumes where it stopped (crash or restart), builds the index again when its file is
 * missing or corrupt, and while it is not there the search answers the same by matching the rows directly.
 */
describe("payment search index kept off the write path", () => {
  let testDb: TestDatabase;
  let db: Database;
  let payments: PrismaAdminPayments;
  const now = new Date("2026-11-10T15:00:00Z");
  const noFilter: PaymentListFilter = { states: null, createdFrom: null, createdBefore: null, currency: null, test: null, q: null };
  let minute = 0;

  const open = async () => {
    db = await openDatabase({ engine: testDb.engine, url: testDb.url }, silentLogger);
    payments = new PrismaAdminPayments(db.prisma, db.engine, db.driver);
    if (db.engine === "sqlite") await searchIndexReady(db);
  };
  const index = (): SqliteSearchIndex => {
    const found = searchIndexOf(db.driver);
    if (!found) throw new Error("no search index");
    return found;
  };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    await migrateDatabase({ engine: testDb.engine, url: testDb.url }, silentLogger);
    await open();
    await db.prisma.shop.create({ data: { id: "shop-s", domain: "shop-s.myshopify.com", status: "installed", installedAt: now, notificationKey: "key-s", createdAt: now, updatedAt: now } });
  });

  afterAll(async () => {
    await db.close();
    await testDb.drop();
  });

  const search = async (q: string) => (await payments.list("shop-s", { ...noFilter, q }, { field: "createdAt", direction: "asc" }, { skip: 0, take: 50 })).items.map((row) => row.id);

  /** A payment written the way the session path writes (the driver's write unit, group commit on SQLite). */
  const insert = async (id: string, email: string, cip: string | null = null) => {
    minute += 1;
    const at = new Date(now.getTime() + minute * 60_000);
    await db.driver.write(function* () {
      yield* run(
        `INSERT INTO "PaymentSession" ("id", "gid", "shopId", "amountMinor", "currency", "test", "kind", "proposedAt", "requestId", "apiVersion", "requestBody", "state", "buyerToken", "cip", "environment", "email", "createdAt", "updatedAt")
         VALUES (?, ?, 'shop-s', 1000, 'PEN', ?, 'sale', ?, ?, '2026-10', '{}', ?, ?, ?, 'sandbox', ?, ?, ?)`,
        [id, `gid://shopify/PaymentSession/${id}`, false, at, `r-${id}`, cip ? "pending" : "awaiting_phone", `t-${id}`, cip, email, at, at],
      );
    });
  };
  const setCip = (id: string, cip: string) => db.driver.write(function* () {
    yield* run(`UPDATE "PaymentSession" SET "cip" = ?, "state" = 'pending' WHERE "id" = ?`, [cip, id]);
  });

  it("finds a payment right after its write, and follows its CIP and email", async () => {
    await insert("idx-1", "Rosa.Quispe@example.pe");
    expect(await search("rosa.quispe")).toEqual(["idx-1"]);
    await setCip("idx-1", "5550001");
    expect(await search("5550001")).toEqual(["idx-1"]);
    await db.driver.write(function* () {
      yield* run(`UPDATE "PaymentSession" SET "email" = ? WHERE "id" = ?`, ["Ñandú.Pérez@example.pe", "idx-1"]);
    });
    expect(await search("rosa.quispe")).toEqual([]);
    // The trigram tokenizer folds the case of non-ASCII letters too.
    expect(await search("ñANDÚ.p")).toEqual(["idx-1"]);
    expect(await search("5550001")).toEqual(["idx-1"]);
    if (db.engine === "sqlite") expect(index().ready).toBe(true);
  });

  it("finds each of many payments written and searched concurrently (searches waiting on the same catch-up)", async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `conc-${String(i).padStart(2, "0")}`);
    const found = await Promise.all(
      ids.map(async (id, i) => {
        await new Promise((resolve) => setTimeout(resolve, i % 7));
        await insert(id, `${id}@conc.pe`);
        return search(`${id}@conc`);
      }),
    );
    expect(found).toEqual(ids.map((id) => [id]));
  });

  it("answers the same while its worker is down (direct match), and the restarted worker resumes where it stopped", async ({ skip }) => {
    if (db.engine !== "sqlite") return skip();
    const before = index().lastReady;
    await index().killWorkerForTest();
    expect(index().ready).toBe(false);
    await insert("idx-2", "MARÍA.LUZ@example.pe", "5550002");
    // Matched directly, with the tokenizer's case folding.
    expect(await search("maría.l")).toEqual(["idx-2"]);
    expect(await search("555000")).toEqual(["idx-1", "idx-2"]);
    await searchIndexReady(db);
    const resumed = index().lastReady;
    expect(resumed?.rebuilt).toBe(false);
    expect(resumed?.seq).toBeGreaterThanOrEqual(before?.seq ?? 0);
    expect(await index().catchUp()).toBe(true);
    expect(await search("maría.l")).toEqual(["idx-2"]);
    expect(await search("555000")).toEqual(["idx-1", "idx-2"]);
  });

  it("resumes after a restart with changes written while the app was stopped", async ({ skip }) => {
    if (db.engine !== "sqlite") return skip();
    await db.close();
    // Another writer while the app is down (a maintenance script): its changes are recorded by the triggers.
    const raw = new BetterSqlite3(sqliteFile(testDb.url));
    raw.prepare(`UPDATE "PaymentSession" SET "email" = 'offline@example.pe' WHERE "id" = 'idx-2'`).run();
    const seq = Number(raw.prepare(`SELECT max("seq") FROM "PaymentSearchChange"`).pluck().get());
    raw.close();
    await open();
    expect(index().lastReady?.rebuilt).toBe(false);
    expect(await search("offline@")).toEqual(["idx-2"]);
    expect(await search("maría.l")).toEqual([]);
    const state = index().all(`SELECT "appliedSeq" FROM search."SearchState"`);
    expect(Number(state[0]?.appliedSeq)).toBe(seq);
  });

  it("builds the index again when its file is missing or corrupt", async ({ skip }) => {
    if (db.engine !== "sqlite") return skip();
    const file = searchFileOf(sqliteFile(testDb.url));
    await db.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
    await open();
    const stored = Number((await db.driver.get(`SELECT count(*) AS n FROM "PaymentSession"`))?.n);
    expect(index().lastReady).toMatchObject({ rebuilt: true, reason: "missing", rows: stored });
    expect(await search("offline@")).toEqual(["idx-2"]);
    expect(await search("555000")).toEqual(["idx-1", "idx-2"]);

    await db.close();
    for (const suffix of ["-wal", "-shm"]) rmSync(file + suffix, { force: true });
    writeFileSync(file, Buffer.alloc(8192, 7));
    await open();
    expect(index().lastReady?.rebuilt).toBe(true);
    expect(index().lastReady?.rows).toBe(stored);
    expect(await search("ñandú.p")).toEqual(["idx-1"]);
    expect(await search("555000")).toEqual(["idx-1", "idx-2"]);
  });

  it("deletes applied change records, keeping the last one, so the numbering never goes back", async ({ skip }) => {
    if (db.engine !== "sqlite") return skip();
    const rows = Array.from({ length: 1_200 }, (_, i) => `bulk-${String(i).padStart(4, "0")}`);
    for (const id of rows) await insert(id, `${id}@bulk.pe`);
    expect(await index().catchUp()).toBe(true);
    const count = async () => Number((await db.driver.get(`SELECT count(*) AS n FROM "PaymentSearchChange"`))?.n);
    for (let waited = 0; (await count()) > 1_000 && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await count()).toBeLessThanOrEqual(1_000);
    const max = Number((await db.driver.get(`SELECT max("seq") AS m FROM "PaymentSearchChange"`))?.m);
    expect(max).toBeGreaterThanOrEqual(1_200);
    expect(await search("bulk-0777@")).toEqual(["bulk-0777"]);
  });
});
