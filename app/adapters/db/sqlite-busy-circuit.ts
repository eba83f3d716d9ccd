import type BetterSqlite3 from "better-sqlite3";

/**
 * Bounds how long SQLite's write lock, held by another process, freezes the app (issue #10, "Database unreachable").
 *
 * Prisma's statements wait for the lock inside the synchronous better-sqlite3 call (SQLite's busy handler sleeps
 * there), so the whole event loop waits with them, and requests queued behind each waited in turn: measured in the
 * SQLite outage scenario (test/chaos/database-outage.chaos.ts), the slowest 503 took 4.4-8.2 s with a 2 s busy
 * timeout. A circuit on the connection: the first statement that meets the lock waits the full busy timeout (a brief
 * lock, an operator's backup, passes unnoticed); once one has failed with SQLITE_BUSY, the connection waits only
 * `shortMs` per statement, so each request that meets the outage is answered 503 at once, until a write statement
 * succeeds again (the lock is free) and the full busy timeout is restored. Reads never need the write lock (WAL).
 *
 * The group-commit writer (sql/sqlite-group-commit.ts) does not wait inside SQLite at all: it sets busy_timeout 0
 * around its own BEGIN IMMEDIATE and restores what it found, so while that value is 0 the circuit leaves it alone.
 */
export interface BusyCircuit {
  /** True while the connection waits only `shortMs` for the write lock. */
  readonly open: boolean;
}

export function installBusyCircuit(db: BetterSqlite3.Database, fullMs: number, shortMs: number): BusyCircuit {
  let open = false;
  const busyTimeout = () => Number(db.pragma("busy_timeout", { simple: true })) || 0;
  const failed = (error: unknown) => {
    if (open || !isBusy(error)) return;
    // 0: inside the group commit's own non-waiting BEGIN; it restores its value itself.
    if (busyTimeout() === 0) return;
    open = true;
    db.pragma(`busy_timeout = ${shortMs}`);
  };
  const succeeded = (statement: BetterSqlite3.Statement) => {
    if (!open || statement.readonly) return;
    if (busyTimeout() === 0) return;
    open = false;
    db.pragma(`busy_timeout = ${fullMs}`);
  };

  const prepare = db.prepare.bind(db) as BetterSqlite3.Database["prepare"];
  db.prepare = ((source: string) => {
    const statement = prepare(source);
    for (const method of ["run", "all", "get"] as const) {
      const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
      (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        try {
          const result = original(...args);
          if (open) succeeded(statement);
          return result;
        } catch (error) {
          failed(error);
          throw error;
        }
      };
    }
    return statement;
  }) as BetterSqlite3.Database["prepare"];

  return {
    get open() {
      return open;
    },
  };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}
