import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

import type BetterSqlite3 from "better-sqlite3";

import type { Logger } from "../../lib/logger";
import { WorkerRestarts } from "./worker-restarts";

/**
 * WAL checkpoints off the event loop (issue #13). SQLite's auto-checkpoint runs inside the COMMIT that takes the WAL
 * past 1,000 pages, on the committing connection: the app's one writer, on the main thread, so every request waited
 * for the copy and the fsync of the database file (the p99 tail of first-time notifications). Here the app's
 * connection has auto-checkpoint off, and a worker thread with its own connection copies the WAL back:
 * - PASSIVE every TICK_MS: copies what no reader still needs, takes no lock a writer waits for, never waits itself.
 *   Under steady writes it never catches up with the last commit, and the writer only starts the WAL from its
 *   beginning again when every frame was copied, so:
 * - RESTART once the WAL holds more than RESTART_FRAMES frames: it takes the write lock, copies the frames committed
 *   since the PASSIVE, syncs the database file and lets the next writer start the WAL over, so the file stays about
 *   that long. That holds the write lock for about one fsync (20 ms mean, 50-70 ms max on the shared bench host under
 *   load, bench/notifications/checkpoint-stalls.ts): the group commit finds the lock taken and tries again every 2 ms
 *   without blocking the event loop (sqlite-group-commit.ts); a Prisma write waits inside SQLite, as it waited for
 *   the auto-checkpoint before. Four times SQLite's own threshold, so that happens a quarter as often as the
 *   auto-checkpoint stalled the event loop (the WAL file is then up to ~16 MB with 4 KiB pages; readers do not search
 *   the frames a checkpoint already copied, so its length does not slow them);
 * - TRUNCATE once a tick passed without a commit (idle): the WAL file goes back to zero bytes.
 * Both with busy_timeout 0: they never wait for a writer or a reader (they would hold the write lock meanwhile); if
 * one is there, they are tried again on the next tick.
 * A checkpoint only copies committed pages from the WAL into the database file; the WAL stays the durable record, so a
 * crash (kill -9) at any point loses nothing, as with SQLite's own checkpoints. If the worker dies or stops answering,
 * the app's connection gets auto-checkpoint back at once (the WAL cannot grow without bound) and a new worker is
 * started; once it runs, auto-checkpoint is off again. After a few deaths in a row (worker-restarts.ts) it stays on auto-checkpoint.
 */

export const TICK_MS = 250;
/** SQLite's own default (pages), given back to the app's connection while no worker checkpoints. */
export const AUTO_CHECKPOINT_PAGES = 1000;
export const RESTART_FRAMES = 4 * AUTO_CHECKPOINT_PAGES;
/** A worker that sent nothing for this long is taken for stuck (a PASSIVE checkpoint never waits for a lock). */
const STUCK_AFTER_MS = 30_000;
const STOP_GRACE_MS = 5_000;

/**
 * The worker's code, evaluated in the thread (eval: plain JavaScript, so it runs the same under tsx, the built app and
 * vitest, none of which needs to load a TypeScript file into a new thread). better-sqlite3 is required by the path the
 * app resolved, so the thread loads the same native module.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
// Never wait inside SQLite: a TRUNCATE that waited would hold the write lock and stall the app's writer.
db.pragma("busy_timeout = 0");
const dataVersion = db.prepare("PRAGMA data_version").pluck();
const passive = db.prepare("PRAGMA wal_checkpoint(PASSIVE)").raw(true);
const restart = db.prepare("PRAGMA wal_checkpoint(RESTART)").raw(true);
const truncate = db.prepare("PRAGMA wal_checkpoint(TRUNCATE)").raw(true);
let lastVersion = dataVersion.get();
function checkpoint(statement, mode) {
  const started = performance.now();
  const [busy, log, checkpointed] = statement.get();
  parentPort.postMessage({ type: "checkpoint", mode, busy, log, checkpointed, ms: performance.now() - started });
  return log;
}
function tick() {
  const version = dataVersion.get();
  const idle = version === lastVersion;
  lastVersion = version;
  const log = checkpoint(passive, "passive");
  if (idle && log > 0) checkpoint(truncate, "truncate");
  else if (log > workerData.restartFrames) checkpoint(restart, "restart");
}
const timer = setInterval(() => {
  try { tick(); } catch (error) { parentPort.postMessage({ type: "error", message: String(error && error.message || error) }); }
}, workerData.tickMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ type: "ready" });
`;

export interface CheckpointReport {
  mode: "passive" | "restart" | "truncate";
  /** SQLITE_BUSY: a reader or writer was in the way (TRUNCATE); tried again later. */
  busy: number;
  /** Frames in the WAL, and how many of them are now in the database file. */
  log: number;
  checkpointed: number;
  /** How long the checkpoint took (RESTART and TRUNCATE hold the write lock that long). */
  ms: number;
}

export class SqliteWalCheckpointer {
  private worker: Worker | null = null;
  private stopped = false;
  private readonly restarts = new WorkerRestarts(() => {
    if (!this.stopped) this.start();
  });
  private lastHeard = Date.now();
  private readonly watchdog: NodeJS.Timeout;
  private readonly listeners = new Set<(report: CheckpointReport) => void>();
  private readonly driver = createRequire(import.meta.url).resolve("better-sqlite3");

  constructor(
    private readonly file: string,
    /** The app's connection: the one that writes, whose auto-checkpoint this replaces. */
    private readonly db: BetterSqlite3.Database,
    private readonly logger: Logger,
    private readonly options: { tickMs: number; restartFrames: number } = { tickMs: TICK_MS, restartFrames: RESTART_FRAMES },
  ) {
    this.start();
    this.watchdog = setInterval(() => {
      if (this.worker && Date.now() - this.lastHeard > STUCK_AFTER_MS) {
        this.logger.warn({ file: this.file }, "WAL checkpoint worker stopped answering; restarting it");
        void this.worker.terminate();
      }
    }, STUCK_AFTER_MS / 3).unref();
  }

  /** True while a worker checkpoints (the app's connection has auto-checkpoint off). */
  get offloaded(): boolean {
    return this.autoCheckpointPages() === 0;
  }

  /** For tests and the bench: each checkpoint the worker ran. Returns a function that stops listening. */
  onCheckpoint(listener: (report: CheckpointReport) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Test hook: ends the worker the way a crash would, without telling it first. */
  async killWorkerForTest(): Promise<void> {
    await this.worker?.terminate();
  }

  /** Ends the worker (after the checkpoint it may be running) and gives the connection SQLite's auto-checkpoint back. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.watchdog);
    this.restarts.cancel();
    const worker = this.worker;
    this.worker = null;
    if (worker) {
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage("stop");
      // A worker that does not end within the grace (a checkpoint stuck in I/O) is ended: nothing is lost, the WAL
      // is the durable record and the last connection to close checkpoints it.
      const grace = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
      await exited;
      clearTimeout(grace);
    }
    this.fallBack();
  }

  private start(): void {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: this.file, driver: this.driver, ...this.options } });
    // The thread must not keep a process alive that has nothing else to do (stop() ends it on shutdown).
    worker.unref();
    this.worker = worker;
    this.lastHeard = Date.now();
    worker.on("message", (message: { type: string } & Partial<CheckpointReport> & { message?: string }) => {
      this.lastHeard = Date.now();
      if (message.type === "ready") {
        if (worker !== this.worker || this.stopped) return;
        this.setAutoCheckpoint(0);
        this.restarts.ready();
      } else if (message.type === "checkpoint") {
        for (const listener of this.listeners) listener(message as CheckpointReport);
      } else if (message.type === "error") {
        this.logger.warn({ file: this.file, error: message.message }, "WAL checkpoint failed; tried again on the next tick");
      }
    });
    worker.on("error", (error) => this.logger.error({ err: error, file: this.file }, "WAL checkpoint worker failed"));
    worker.on("exit", () => {
      if (worker !== this.worker) return;
      this.worker = null;
      this.fallBack();
      if (this.stopped) return;
      const restarts = this.restarts.ended();
      if (restarts === null) this.logger.error({ file: this.file }, "WAL checkpoint worker keeps dying; SQLite's auto-checkpoint stays on");
      else this.logger.warn({ file: this.file, restarts }, "WAL checkpoint worker ended; auto-checkpoint on until it runs again");
    });
  }

  /** No worker checkpoints: SQLite's auto-checkpoint on the app's connection bounds the WAL again. */
  private fallBack(): void {
    if (this.db.open) this.setAutoCheckpoint(AUTO_CHECKPOINT_PAGES);
  }

  private setAutoCheckpoint(pages: number): void {
    this.db.pragma(`wal_autocheckpoint = ${pages}`);
  }

  private autoCheckpointPages(): number {
    return Number(this.db.pragma("wal_autocheckpoint", { simple: true }));
  }
}
