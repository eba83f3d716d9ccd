import type BetterSqlite3 from "better-sqlite3";

/**
 * Group commit for SQLite: write units submitted within a few milliseconds of each other run in ONE
 * transaction, each inside its own savepoint (a unit that throws undoes only its own writes), and every
 * caller is answered only after that transaction's COMMIT returned, i.e. its rows are durable
 * (WAL; synchronous=NORMAL: survives a process crash). SQLite has one writer, so a transaction per
 * request costs a lock, a WAL append and a commit each; one per batch costs them once.
 *
 * The units are synchronous (better-sqlite3), so a batch never holds the write lock across an await,
 * and nothing else in the process can run in the middle of it. The connection is Prisma's own: while
 * Prisma has an interactive transaction open on it, the batch waits for it to end instead of joining it.
 */
interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const WINDOW_MS = 1;
const MAX_BATCH = 256;
const BUSY_RETRY_MS = 2;
/** How long a taken write lock is retried every BUSY_RETRY_MS before every 5 x BUSY_RETRY_MS. */
const QUICK_RETRIES_FOR_MS = 200;
/**
 * Another process holding SQLite's write lock (a maintenance tool, a stuck copy of the app) makes BEGIN IMMEDIATE
 * answer SQLITE_BUSY. It is tried again without blocking the event loop (busy_timeout 0 for that statement: SQLite's
 * busy handler sleeps inside the call), for at most this long; then the batch fails with SQLITE_BUSY, which the
 * HTTP edge answers 503 (issue #10, "Database unreachable": fail fast, nothing half-written).
 */
export const BUSY_GIVE_UP_MS = 2_000;

export class SqliteGroupCommit {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** When the write lock was first found taken by another process (null: it was not). */
  private busySince: number | null = null;
  private idle: Array<() => void> = [];
  /**
   * The transaction's own statements, prepared once: db.exec and db.pragma compile their SQL on every call, and a
   * batch ran five to seven of them (measured with bench/sessions/write-units.ts, issue #13).
   */
  private readonly sql: Record<"begin" | "commit" | "rollback" | "savepoint" | "release" | "rollbackTo" | "busyTimeout", BetterSqlite3.Statement>;
  private readonly setBusyTimeout = new Map<number, BetterSqlite3.Statement>();

  constructor(private readonly db: BetterSqlite3.Database) {
    this.sql = {
      begin: db.prepare("BEGIN IMMEDIATE"),
      commit: db.prepare("COMMIT"),
      rollback: db.prepare("ROLLBACK"),
      savepoint: db.prepare("SAVEPOINT unit"),
      release: db.prepare("RELEASE unit"),
      rollbackTo: db.prepare("ROLLBACK TO unit"),
      busyTimeout: db.prepare("PRAGMA busy_timeout").pluck(),
    };
  }

  submit<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.queue.length >= MAX_BATCH) this.schedule(0);
      else this.schedule(WINDOW_MS);
    });
  }

  /** Resolves once everything submitted so far is committed (or failed). */
  drain(): Promise<void> {
    if (this.queue.length === 0 && this.timer === null) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(ms: number): void {
    if (this.timer !== null) {
      if (ms > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, ms);
  }

  private flush(): void {
    if (this.queue.length === 0) return this.notifyIdle();
    // Prisma's interactive transaction on the shared connection: wait for it rather than write inside it.
    if (this.db.inTransaction) return this.schedule(BUSY_RETRY_MS);
    const batch = this.queue.splice(0, MAX_BATCH);
    try {
      this.beginWithoutWaiting();
      this.busySince = null;
    } catch (error) {
      // Another process holds the write lock: try again shortly, without blocking the event loop, then give up.
      if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY")) {
        const now = Date.now();
        this.busySince ??= now;
        if (now - this.busySince < BUSY_GIVE_UP_MS) {
          this.queue.unshift(...batch);
          // At first every 2 ms: the WAL checkpoint worker holds the lock for about one fsync (sqlite-wal-checkpointer.ts).
          return this.schedule(now - this.busySince < QUICK_RETRIES_FOR_MS ? BUSY_RETRY_MS : BUSY_RETRY_MS * 5);
        }
      }
      for (const p of batch) p.reject(error);
      return this.next();
    }
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    const { sql } = this;
    try {
      if (batch.length === 1) {
        // One unit: the transaction is its savepoint; if it throws, the whole transaction is rolled back below.
        outcomes.push({ ok: true, value: (batch[0] as Pending).work() });
      } else {
        for (const p of batch) {
          sql.savepoint.run();
          try {
            const value = p.work();
            sql.release.run();
            outcomes.push({ ok: true, value });
          } catch (error) {
            sql.rollbackTo.run();
            sql.release.run();
            outcomes.push({ ok: false, error });
          }
        }
      }
      sql.commit.run();
    } catch (error) {
      if (this.db.inTransaction) sql.rollback.run();
      for (const p of batch) p.reject(error);
      return this.next();
    }
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) p.resolve(outcome.value);
      else p.reject(outcome?.error);
    });
    this.next();
  }

  /** BEGIN IMMEDIATE with SQLite's busy handler off for this one statement (it would block the event loop). */
  private beginWithoutWaiting(): void {
    const saved = Number(this.sql.busyTimeout.get()) || 0;
    this.busyTimeout(0);
    try {
      this.sql.begin.run();
    } finally {
      this.busyTimeout(saved);
    }
  }

  /** PRAGMA busy_timeout = ms, prepared once per value (a handful: 0, the full and the short timeout). */
  private busyTimeout(ms: number): void {
    let statement = this.setBusyTimeout.get(ms);
    if (!statement) {
      statement = this.db.prepare(`PRAGMA busy_timeout = ${Math.trunc(ms)}`);
      if (this.setBusyTimeout.size < 16) this.setBusyTimeout.set(ms, statement);
    }
    statement.run();
  }

  private next(): void {
    if (this.queue.length > 0) this.schedule(0);
    else this.notifyIdle();
  }

  private notifyIdle(): void {
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}
