import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { acquireSqliteInstanceLock, SqliteInstanceLockError } from "../../app/adapters/db/sqlite-instance-lock";

const repo = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "pe-lock-"));
const dbFile = path.join(dir, "app.db");

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("one app instance per SQLite database", () => {
  it("refuses a second holder with a message that says what to do, and frees the lock on release", () => {
    const first = acquireSqliteInstanceLock(dbFile);
    expect(() => acquireSqliteInstanceLock(dbFile)).toThrow(SqliteInstanceLockError);
    expect(() => acquireSqliteInstanceLock(dbFile)).toThrow(/Another process is already running the app on the SQLite database .*app\.db.*PostgreSQL/);
    first.release();
    acquireSqliteInstanceLock(dbFile).release();
  });

  it("refuses a second process, and a holder that dies (SIGKILL included) leaves no stale lock", () => {
    const script = `import { acquireSqliteInstanceLock } from ${JSON.stringify(path.join(repo, "app/adapters/db/sqlite-instance-lock.ts"))};
      try { acquireSqliteInstanceLock(${JSON.stringify(dbFile)}); console.log("acquired"); } catch (e) { console.log(e.message); process.exit(3); }
      process.kill(process.pid, "SIGKILL");`;
    const run = () => spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: repo, encoding: "utf8" });

    const held = acquireSqliteInstanceLock(dbFile);
    const refused = run();
    expect(refused.status).toBe(3);
    expect(refused.stdout).toContain("Another process is already running the app");
    held.release();

    // This one takes the lock and is SIGKILLed while holding it; the next one must still get it.
    const killed = run();
    expect(killed.signal).toBe("SIGKILL");
    expect(killed.stdout).toContain("acquired");
    acquireSqliteInstanceLock(dbFile).release();
  }, 60_000);
});
