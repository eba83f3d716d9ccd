import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

import BetterSqlite3 from "better-sqlite3";

import type { Logger } from "../../lib/logger";
import { searchFold } from "./search-fold";
import { type SqlDriver, type SqliteDriver, type SqlRow, type SqlValue, toSqlite } from "./sql/sql-driver";
import { SearchChangePruner } from "./sqlite-search-pruner";
import { SEARCH_SCHEMA_VERSION, SEARCH_WORKER_SOURCE } from "./sqlite-search-worker";
import { WorkerRestarts } from "./worker-restarts";

/**
 * The admin search's trigram index on SQLite, kept off the payment sessions' write path (issue #13). It was FTS5 rows
 * written by triggers inside the session INSERT and the CIP UPDATE: 0.2-0.3 ms of CPU each, on the app's one writer,
 * on the event loop. Now (migration 20261205013000_payment_search_changes):
 * - the triggers append the changed payment's id to "PaymentSearchChange" (seq: an integer that only grows);
 * - a worker thread (sqlite-search-worker.ts) applies those records in batches to an FTS5 table in a file of its own,
 *   "<database>.search", with the last applied seq in the same transaction: a crash or restart resumes exactly there.
 *   A separate file, so the worker never takes the database's write lock: the group commit's BEGIN IMMEDIATE never
 *   waits for it (it would retry and the sessions' p99 would carry the worker's transactions);
 * - the index is derived data: missing, built from another database, half-built or failing quick_check, the worker
 *   builds it again from the payments, in the thread, while the app serves (searches then match rows directly);
 * - applied records are deleted here, a small range DELETE as one group-commit unit every PRUNE_EVERY records; the
 *   last applied record is kept, so the table's maximum (SQLite's next seq is max + 1) never goes back.
 *
 * Searches stay exact: before a search, catchUp() asks the worker to apply every change committed so far (it answers
 * once they are in the index; usually none or a few), then the search reads the index and the payments on a
 * read-only connection with the search file attached (read-only connections attach read-only: the app's writer is
 * never attached to the search file, so its BEGIN IMMEDIATE locks only the database). If the worker is not ready
 * (building) or does not answer within CATCH_UP_WAIT_MS, the search matches the payments' columns directly, folding
 * case as the trigram tokenizer does (searchFold), slower but the same answer.
 */

/** How often the worker looks for new change records; a search does not wait for it (catchUp applies at once). Each look
 * is a read and, with changes, a transaction and a message: a few ms of batching makes each cheaper per session. */
const POLL_MS = 50;
const BATCH = 500;
const REBUILD_CHUNK = 5_000;
/** After this long without changes the worker merges the FTS segments, MERGE_PAGES pages per step. */
const IDLE_MERGE_MS = 1_000;
const MERGE_PAGES = 256;
/** A search waits this long for the worker to catch up, then matches directly. */
export const CATCH_UP_WAIT_MS = 1_000;
const STOP_GRACE_MS = 5_000;
const STATEMENT_CACHE_LIMIT = 100;

export type SearchIndexEvent =
  | { type: "ready"; rebuilt: boolean; reason: string | null; rows: number; seq: number }
  | { type: "rebuilding"; reason: string }
  | { type: "applied"; seq: number }
  | { type: "unavailable" }
  | { type: "exit" };

type WorkerMessage =
  | SearchIndexEvent
  | { type: "caughtUp"; id: number; ok: boolean; seq?: number; message?: string }
  | { type: "error"; message: string };

const indexes = new WeakMap<SqlDriver, SqliteSearchIndex>();

/** The search index kept for this driver's database (SQLite opened by openDatabase), if any. */
export function searchIndexOf(driver: SqlDriver | null): SqliteSearchIndex | undefined {
  return driver ? indexes.get(driver) : undefined;
}

/** The search file beside the database file. */
export function searchFileOf(databaseFile: string): string {
  return `${databaseFile}.search`;
}

export function startSearchIndex(databaseFile: string, driver: SqliteDriver, logger: Logger): SqliteSearchIndex {
  const index = new SqliteSearchIndex(databaseFile, driver, logger);
  indexes.set(driver, index);
  return index;
}

export class SqliteSearchIndex {
  readonly searchFile: string;
  private worker: Worker | null = null;
  private readonly reader: BetterSqlite3.Database;
  /** The newest change record (null: a database not migrated this far, which has no index). */
  private maxSeq: BetterSqlite3.Statement | null = null;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private attached = false;
  private stopped = false;
  private readonly restarts = new WorkerRestarts(() => {
    if (!this.stopped) this.start();
  });
  private nextId = 1;
  private readonly waiting = new Map<number, (ok: boolean) => void>();
  private readonly listeners = new Set<(event: SearchIndexEvent) => void>();
  private applied = 0;
  /** The worker's last "ready": whether it built the index again (and why) or resumed it. */
  lastReady: Extract<SearchIndexEvent, { type: "ready" }> | null = null;
  private readonly pruner: SearchChangePruner;
  private readonly driverModule = createRequire(import.meta.url).resolve("better-sqlite3");

  constructor(
    private readonly databaseFile: string,
    private readonly driver: SqliteDriver,
    private readonly logger: Logger,
  ) {
    this.searchFile = searchFileOf(databaseFile);
    this.pruner = new SearchChangePruner(driver, logger);
    this.reader = new BetterSqlite3(databaseFile, { readonly: true, fileMustExist: true });
    this.reader.pragma("busy_timeout = 2000");
    this.reader.function("search_fold", { deterministic: true }, (value: unknown) => (typeof value === "string" ? searchFold(value) : value));
    this.start();
  }

  /** True once the worker's index is complete and attached for searches. */
  get ready(): boolean {
    return this.attached;
  }

  /** For tests and the bench: the worker's events. Returns a function that stops listening. */
  onEvent(listener: (event: SearchIndexEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves true once every change committed before the call is in the index; false if the index is not ready or
   * did not answer in time. Nothing to wait for when the newest change record is one the worker reported applied
   * (read here, after the call: every change committed before it is at or below it). Otherwise the worker is asked,
   * and reads the change records in a snapshot taken after it got the request. Requests are coalesced: while one is
   * out, later callers wait for the next one, sent when it returns (its snapshot is then after all of them).
   */
  async catchUp(timeoutMs = CATCH_UP_WAIT_MS): Promise<boolean> {
    if (!this.attached || !this.worker || !this.maxSeq) return false;
    if (Number(this.maxSeq.get()) <= this.applied) return true;
    this.nextRound ??= new Promise<boolean>((resolve) => this.nextWaiters.push(resolve));
    const round = this.nextRound;
    if (this.inFlight === null) this.sendRound(timeoutMs);
    return round;
  }

  private nextRound: Promise<boolean> | null = null;
  private nextWaiters: Array<(ok: boolean) => void> = [];
  private inFlight: number | null = null;

  private sendRound(timeoutMs: number): void {
    const worker = this.worker;
    const waiters = this.nextWaiters;
    this.nextWaiters = [];
    this.nextRound = null;
    if (!worker || !this.attached) {
      for (const resolve of waiters) resolve(false);
      return;
    }
    const id = this.nextId++;
    this.inFlight = id;
    const timer = setTimeout(() => done(false), timeoutMs);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      if (!this.waiting.delete(id)) return;
      if (this.inFlight === id) this.inFlight = null;
      for (const resolve of waiters) resolve(ok);
      if (this.nextWaiters.length > 0) this.sendRound(timeoutMs);
    };
    this.waiting.set(id, done);
    worker.postMessage({ type: "catchUp", id });
  }

  /** A read on the search connection: the database read-only, with the index attached as `search` when ready. */
  all(sql: string, params: readonly SqlValue[] = []): SqlRow[] {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.reader.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE_LIMIT) this.statements.delete(this.statements.keys().next().value as string);
      this.statements.set(sql, statement);
    }
    return statement.all(...params.map(toSqlite)) as SqlRow[];
  }

  /** Test hook: ends the worker the way a crash would, without telling it first. */
  async killWorkerForTest(): Promise<void> {
    await this.worker?.terminate();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.restarts.cancel();
    const worker = this.worker;
    this.worker = null;
    this.detach();
    if (worker) {
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage({ type: "stop" });
      // A worker in the middle of a long statement is ended: its file is rebuilt or resumed at the next start.
      const grace = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
      await exited;
      clearTimeout(grace);
    }
    for (const resolve of this.waiting.values()) resolve(false);
    this.waiting.clear();
    this.reader.close();
  }

  private start(): void {
    const worker = new Worker(SEARCH_WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: this.driverModule,
        mainFile: this.databaseFile,
        searchFile: this.searchFile,
        batch: BATCH,
        pollMs: POLL_MS,
        rebuildChunk: REBUILD_CHUNK,
        idleMergeMs: IDLE_MERGE_MS,
        mergePages: MERGE_PAGES,
        schemaVersion: SEARCH_SCHEMA_VERSION,
      },
    });
    // The thread must not keep a process alive that has nothing else to do (stop() ends it on shutdown).
    worker.unref();
    this.worker = worker;
    let unavailable = false;
    worker.on("message", (message: WorkerMessage) => {
      if (worker !== this.worker) return;
      if (message.type === "caughtUp") {
        this.waiting.get(message.id)?.(message.ok);
        this.waiting.delete(message.id);
        return;
      }
      if (message.type === "error") {
        this.logger.warn({ file: this.searchFile, error: message.message }, "search index update failed; tried again shortly");
        return;
      }
      if (message.type === "ready") {
        this.attach();
        this.lastReady = message;
        this.restarts.ready();
        if (message.rebuilt) this.logger.info({ file: this.searchFile, rows: message.rows, reason: message.reason }, "search index built");
        this.appliedUpTo(message.seq);
      } else if (message.type === "applied") {
        this.appliedUpTo(message.seq);
      } else if (message.type === "rebuilding") {
        this.logger.info({ file: this.searchFile, reason: message.reason }, "building the search index; searches match directly meanwhile");
      } else if (message.type === "unavailable") {
        unavailable = true;
      }
      this.emit(message);
    });
    worker.on("error", (error) => this.logger.error({ err: error, file: this.searchFile }, "search index worker failed"));
    worker.on("exit", () => {
      if (worker !== this.worker) return;
      this.worker = null;
      this.detach();
      for (const resolve of this.waiting.values()) resolve(false);
      this.waiting.clear();
      this.emit({ type: "exit" });
      if (this.stopped || unavailable) return;
      const restarts = this.restarts.ended();
      if (restarts === null) this.logger.error({ file: this.searchFile }, "search index worker keeps dying; searches match directly");
      else this.logger.warn({ file: this.searchFile, restarts }, "search index worker ended; restarting it");
    });
  }

  private appliedUpTo(seq: number): void {
    this.applied = Math.max(this.applied, seq);
    if (!this.stopped) this.pruner.applied(this.applied);
  }

  private emit(event: SearchIndexEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private attach(): void {
    if (this.attached || this.stopped) return;
    try {
      this.reader.prepare("ATTACH DATABASE ? AS search").run(this.searchFile);
      // Prepared here: a database not migrated this far has no change records (and its worker never gets ready).
      this.maxSeq ??= this.reader.prepare(`SELECT coalesce(max("seq"), 0) FROM "PaymentSearchChange"`).pluck();
      this.attached = true;
    } catch (error) {
      // In a worker's message handler: a throw would end the process. Searches keep matching directly.
      this.logger.error({ err: error, file: this.searchFile }, "could not open the search index; searches match directly");
    }
  }

  /** Before a worker (re)starts: it may remove and rebuild the file, which this connection must not hold. */
  private detach(): void {
    if (!this.attached) return;
    this.attached = false;
    this.statements.clear();
    this.reader.exec("DETACH DATABASE search");
  }
}
