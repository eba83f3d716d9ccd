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

  constructor(private readonly db: BetterSqlite3.Database) {}

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
          return this.schedule(BUSY_RETRY_MS * 5);
        }
      }
      for (const p of batch) p.reject(error);
      return this.next();
    }
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      for (const p of batch) {
        this.db.exec("SAVEPOINT unit");
        try {
          const value = p.work();
          this.db.exec("RELEASE unit");
          outcomes.push({ ok: true, value });
        } catch (error) {
          this.db.exec("ROLLBACK TO unit");
          this.db.exec("RELEASE unit");
          outcomes.push({ ok: false, error });
        }
      }
      this.db.exec("COMMIT");
    } catch (error) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
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
    const saved = Number(this.db.pragma("busy_timeout", { simple: true })) || 0;
    this.db.pragma("busy_timeout = 0");
    try {
      this.db.exec("BEGIN IMMEDIATE");
    } finally {
      this.db.pragma(`busy_timeout = ${saved}`);
    }
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
