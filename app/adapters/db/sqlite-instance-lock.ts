import { mkdirSync } from "node:fs";
import path from "node:path";

import BetterSqlite3 from "better-sqlite3";

/**
 * SQLite serves one app instance: its outbox and scheduler leases assume a single writer process,
 * and a second process on the same file would deliver the same jobs. So each instance holds an
 * exclusive lock on `<db>.instance-lock` (a tiny SQLite file, locked with SQLite's own
 * `locking_mode = EXCLUSIVE`) for as long as it runs. The operating system drops the lock when the
 * process ends however it ends (SIGKILL, crash), so there is never a stale lock to clean up.
 */
export class SqliteInstanceLockError extends Error {
  constructor(
    readonly databaseFile: string,
    readonly lockFile: string,
  ) {
    super(
      `Another process is already running the app on the SQLite database ${databaseFile} (it holds ${lockFile}). ` +
        "SQLite runs one instance: stop the other process first, or give this one its own DATA_DIR / DATABASE_URL. " +
        "To run several instances, use PostgreSQL (DATABASE_URL=postgresql://…).",
    );
    this.name = "SqliteInstanceLockError";
  }
}

export interface InstanceLock {
  release(): void;
}

export function acquireSqliteInstanceLock(databaseFile: string): InstanceLock {
  const lockFile = `${databaseFile}.instance-lock`;
  mkdirSync(path.dirname(lockFile), { recursive: true });
  // timeout 0: a held lock is an answer, not something to wait for.
  const db = new BetterSqlite3(lockFile, { timeout: 0 });
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    // The first write takes the exclusive lock; in EXCLUSIVE mode it is kept after the commit.
    db.exec("CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, started_at TEXT NOT NULL)");
    db.exec("BEGIN EXCLUSIVE");
    db.exec("DELETE FROM holder");
    db.prepare("INSERT INTO holder (pid, started_at) VALUES (?, ?)").run(process.pid, new Date().toISOString());
    db.exec("COMMIT");
  } catch (error) {
    db.close();
    if (isBusy(error)) throw new SqliteInstanceLockError(databaseFile, lockFile);
    throw error;
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      db.close();
    },
  };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}
