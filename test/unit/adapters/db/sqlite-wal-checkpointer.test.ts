import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";

import { migrateDatabase, openDatabase } from "../../../../app/adapters/db/database";
import { run } from "../../../../app/adapters/db/sql/sql-driver";
import { AUTO_CHECKPOINT_PAGES, type CheckpointReport, SqliteWalCheckpointer } from "../../../../app/adapters/db/sqlite-wal-checkpointer";
import { silentLogger } from "../../../../app/lib/logger";

/** Issue #13: WAL checkpoints run in a worker thread, never inside a COMMIT on the app's event loop. */
describe("SQLite WAL checkpointer", () => {
  const dirs: string[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function open() {
    const dir = mkdtempSync(path.join(tmpdir(), "pe-wal-"));
    dirs.push(dir);
    const file = path.join(dir, "db.sqlite");
    const db = new BetterSqlite3(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    cleanups.push(() => {
      if (db.open) db.close();
    });
    return { file, db, wal: () => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0) };
  }

  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  async function until(condition: () => boolean, ms = 5_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error("condition not met in time");
      await wait(20);
    }
  }
  const autoCheckpoint = (db: BetterSqlite3.Database) => Number(db.pragma("wal_autocheckpoint", { simple: true }));

  /** Faster ticks and SQLite's own threshold (the app's is RESTART_FRAMES), so that 40 MB of writes show the bound. */
  function start(file: string, db: BetterSqlite3.Database) {
    const checkpointer = new SqliteWalCheckpointer(file, db, silentLogger, { tickMs: 50, restartFrames: AUTO_CHECKPOINT_PAGES });
    cleanups.push(() => checkpointer.stop());
    const reports: CheckpointReport[] = [];
    checkpointer.onCheckpoint((report) => reports.push(report));
    return { checkpointer, reports };
  }

  it("turns the connection's auto-checkpoint off and keeps the WAL bounded under writes, without it", async () => {
    const { file, db, wal } = open();
    const { checkpointer, reports } = start(file, db);
    await until(() => checkpointer.offloaded);
    expect(autoCheckpoint(db)).toBe(0);

    // ~40 MB of commits, far past SQLite's 1,000-page auto-checkpoint (~4 MB) that is now off on this connection.
    const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
    const row = "x".repeat(4_000);
    let largest = 0;
    for (let batch = 0; batch < 100; batch++) {
      db.transaction(() => {
        for (let i = 0; i < 100; i++) insert.run(row);
      })();
      largest = Math.max(largest, wal());
      await wait(5);
    }
    expect(reports.some((r) => r.mode === "passive" && r.checkpointed > 0)).toBe(true);
    // Under steady writes PASSIVE alone never lets the WAL start over: the RESTARTs past the threshold do.
    expect(reports.some((r) => r.mode === "restart" && r.busy === 0)).toBe(true);
    // Without checkpoints the WAL would hold all ~40 MB; bounded to about 1,000 frames and a tick's writes (7-8 MB seen).
    expect(largest).toBeLessThan(12 * 1024 * 1024);
    // Idle: the worker truncates the WAL to nothing.
    await until(() => reports.some((r) => r.mode === "truncate" && r.busy === 0) && wal() === 0);
    expect((db.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n).toBe(10_000);
  });

  it("without its worker, the WAL grows past the bound (the test above can fail)", () => {
    const { db, wal } = open();
    db.pragma("wal_autocheckpoint = 0");
    const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
    const row = "x".repeat(4_000);
    for (let batch = 0; batch < 100; batch++) {
      db.transaction(() => {
        for (let i = 0; i < 100; i++) insert.run(row);
      })();
    }
    expect(wal()).toBeGreaterThan(12 * 1024 * 1024);
  });

  it("when the worker dies, gives the connection auto-checkpoint back at once, then starts a new worker", async () => {
    const { file, db } = open();
    const { checkpointer } = start(file, db);
    await until(() => checkpointer.offloaded);
    await checkpointer.killWorkerForTest();
    expect(autoCheckpoint(db)).toBe(AUTO_CHECKPOINT_PAGES);
    // The new worker (after about a second) takes over again.
    await until(() => checkpointer.offloaded, 5_000);
    expect(autoCheckpoint(db)).toBe(0);
  });

  it("stop ends the worker and gives auto-checkpoint back; the database is whole", async () => {
    const { file, db } = open();
    const { checkpointer, reports } = start(file, db);
    await until(() => checkpointer.offloaded);
    db.prepare("INSERT INTO t (v) VALUES ('a')").run();
    await checkpointer.stop();
    expect(autoCheckpoint(db)).toBe(AUTO_CHECKPOINT_PAGES);
    const count = reports.length;
    await wait(200);
    expect(reports.length).toBe(count);
    expect((db.prepare("SELECT v FROM t").all() as Array<{ v: string }>).map((r) => r.v)).toEqual(["a"]);
  });

  it("openDatabase checkpoints in a worker on SQLite, and close ends it (the WAL file is gone)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pe-wal-app-"));
    dirs.push(dir);
    const config = { engine: "sqlite" as const, url: `file:${path.join(dir, "app.db")}` };
    await migrateDatabase(config, silentLogger);
    const database = await openDatabase(config, silentLogger);
    const checkpointer = database.walCheckpointer;
    expect(checkpointer).not.toBeNull();
    await until(() => checkpointer?.offloaded === true);
    // The group commit's writes (the app's connection, auto-checkpoint off) are copied back by the worker.
    const reports: CheckpointReport[] = [];
    checkpointer?.onCheckpoint((report) => reports.push(report));
    await database.prisma.$executeRawUnsafe("CREATE TABLE t (v TEXT)");
    await Promise.all(Array.from({ length: 50 }, (_, i) => database.driver.write(function* () {
      yield* run("INSERT INTO t (v) VALUES (?)", [`row ${i}`]);
    })));
    await until(() => reports.some((r) => r.checkpointed > 0));
    await database.close();
    // The worker's connection closed first, so the app's connection was the last: it checkpointed and removed the WAL.
    expect(existsSync(path.join(dir, "app.db-wal"))).toBe(false);
  });
});
