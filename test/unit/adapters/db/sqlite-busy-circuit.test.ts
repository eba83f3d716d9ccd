import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";

import { installBusyCircuit } from "../../../../app/adapters/db/sqlite-busy-circuit";
import { isDatabaseUnavailable } from "../../../../app/lib/database-unavailable";

/** Issue #10: another process holds SQLite's write lock; each request must not freeze the process for the full busy timeout. */
describe("SQLite busy circuit", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function open() {
    const dir = mkdtempSync(path.join(tmpdir(), "pe-circuit-"));
    dirs.push(dir);
    const file = path.join(dir, "db.sqlite");
    const app = new BetterSqlite3(file, { timeout: 1_000 });
    app.pragma("journal_mode = WAL");
    app.exec("CREATE TABLE t (v INTEGER)");
    const other = new BetterSqlite3(file, { timeout: 0 });
    return { app, other };
  }

  const timed = (work: () => unknown) => {
    const started = Date.now();
    try {
      work();
      return { ok: true, unavailable: false, ms: Date.now() - started };
    } catch (error) {
      return { ok: false, unavailable: isDatabaseUnavailable(error), ms: Date.now() - started };
    }
  };

  it("waits the full busy timeout once, then fails each write at once until a write succeeds again", () => {
    const { app, other } = open();
    const circuit = installBusyCircuit(app, 1_000, 50);
    const insert = app.prepare("INSERT INTO t (v) VALUES (?)");
    insert.run(1);
    other.exec("BEGIN IMMEDIATE");

    const first = timed(() => insert.run(2));
    expect(first).toMatchObject({ ok: false, unavailable: true });
    expect(first.ms).toBeGreaterThanOrEqual(900);
    expect(circuit.open).toBe(true);

    // Without the circuit each of these would hold the process for 1 s (10 s in all).
    const during = Array.from({ length: 10 }, (_, i) => timed(() => app.prepare("INSERT INTO t (v) VALUES (?)").run(10 + i)));
    for (const attempt of during) {
      expect(attempt).toMatchObject({ ok: false, unavailable: true });
      expect(attempt.ms).toBeLessThan(400);
    }
    // Reads need no write lock (WAL): they work, and do not close the circuit.
    expect(app.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 1 });
    expect(circuit.open).toBe(true);

    other.exec("ROLLBACK");
    expect(timed(() => insert.run(3)).ok).toBe(true);
    expect(circuit.open).toBe(false);
    expect(Number(app.pragma("busy_timeout", { simple: true }))).toBe(1_000);
    expect(app.prepare("SELECT v FROM t ORDER BY v").all()).toEqual([{ v: 1 }, { v: 3 }]);
    other.close();
    app.close();
  });

  it("leaves a busy_timeout of 0 alone (the group commit's own non-waiting BEGIN restores its value itself)", () => {
    const { app, other } = open();
    const circuit = installBusyCircuit(app, 1_000, 50);
    other.exec("BEGIN IMMEDIATE");
    app.pragma("busy_timeout = 0");
    expect(timed(() => app.prepare("INSERT INTO t (v) VALUES (1)").run()).ok).toBe(false);
    expect(circuit.open).toBe(false);
    expect(Number(app.pragma("busy_timeout", { simple: true }))).toBe(0);
    other.exec("ROLLBACK");
    other.close();
    app.close();
  });
});
