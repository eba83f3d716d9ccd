import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import BetterSqlite3 from "better-sqlite3";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";

import { BUSY_GIVE_UP_MS, SqliteGroupCommit } from "../../../../app/adapters/db/sql/sqlite-group-commit";
import { errorHandler } from "../../../../app/http/middleware/error-handler";
import { isDatabaseUnavailable } from "../../../../app/lib/database-unavailable";
import { silentLogger } from "../../../../app/lib/logger";

/** Issue #10, "Database unreachable": fail fast with 503, never freeze the process, never a 500. */
describe("database unavailable", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("a write while another process holds SQLite's write lock fails with SQLITE_BUSY within the give-up time, without blocking the event loop", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pe-busy-"));
    dirs.push(dir);
    const file = path.join(dir, "db.sqlite");
    const app = new BetterSqlite3(file, { timeout: 30_000 });
    app.pragma("journal_mode = WAL");
    app.exec("CREATE TABLE t (v INTEGER)");
    const other = new BetterSqlite3(file, { timeout: 30_000 });
    other.exec("BEGIN IMMEDIATE");

    const commit = new SqliteGroupCommit(app);
    const started = Date.now();
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 50);
    const failure = await commit.submit(() => app.prepare("INSERT INTO t (v) VALUES (1)").run()).catch((error: unknown) => error);
    clearInterval(ticker);
    const waited = Date.now() - started;
    expect(isDatabaseUnavailable(failure), String(failure)).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(BUSY_GIVE_UP_MS - 100);
    expect(waited).toBeLessThan(BUSY_GIVE_UP_MS + 3_000);
    // The event loop kept turning while the write waited (SQLite's busy handler would have blocked it).
    expect(ticks).toBeGreaterThan(BUSY_GIVE_UP_MS / 50 / 4);
    expect(Number(app.pragma("busy_timeout", { simple: true }))).toBe(30_000);

    // The lock is released: writes go through again, and nothing of the failed one was written.
    other.exec("ROLLBACK");
    await commit.submit(() => app.prepare("INSERT INTO t (v) VALUES (2)").run());
    expect(app.prepare("SELECT v FROM t").all()).toEqual([{ v: 2 }]);
    other.close();
    app.close();
  });

  it("recognises the outage errors of both engines and nothing else", () => {
    expect(isDatabaseUnavailable(Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("x"), { code: "SQLITE_READONLY" }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable({ code: "P1001", message: "Can't reach database server" })).toBe(true);
    expect(isDatabaseUnavailable({ message: "x", meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } } })).toBe(true);
    expect(isDatabaseUnavailable(new Error("x", { cause: { code: "ECONNRESET" } }))).toBe(true);
    // The pg pools' bounds (pg-connections.ts): a stalled network, a pool with no free connection, a statement past statement_timeout.
    expect(isDatabaseUnavailable(new Error("Query read timeout"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated due to connection timeout"))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Cannot read properties of undefined"))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("UNIQUE constraint failed"), { code: "SQLITE_CONSTRAINT_UNIQUE" }))).toBe(false);
    expect(isDatabaseUnavailable({ code: "P2002" })).toBe(false);
  });

  it("the error middleware answers 503 with a clear message for them, 500 for the rest", async () => {
    const app = express();
    app.get("/down", () => {
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    });
    app.get("/bug", () => {
      throw new Error("a bug");
    });
    app.use(errorHandler(silentLogger));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as { port: number };
    try {
      const down = await fetch(`http://127.0.0.1:${port}/down`);
      expect(down.status).toBe(503);
      expect(down.headers.get("retry-after")).toBe("5");
      expect(await down.json()).toEqual({ error: { code: "database_unavailable", message: expect.stringContaining("database is unavailable") } });
      expect((await fetch(`http://127.0.0.1:${port}/bug`)).status).toBe(500);
    } finally {
      server.close();
    }
  });
});
