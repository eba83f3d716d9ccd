import type { Logger } from "../lib/logger";
import type { LeaseProvider } from "../ports/scheduler-lease";

/**
 * Runs a task every `everyMs` of real time, on at most one instance at a time (a lease in the
 * database, measured on the database's clock). `runNow()` runs it immediately, e.g. after the sandbox clock moved forward.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly options: {
      name: string;
      everyMs: number;
      holder: string;
      lease: LeaseProvider;
      logger: Logger;
      task: () => Promise<unknown>;
    },
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(1_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.options.lease.release(this.options.name, this.options.holder).catch(() => undefined);
  }

  /** Runs once now (waiting for a run already in progress first). Returns false if another instance holds the lease. */
  async runNow(): Promise<boolean> {
    while (this.running) await this.running;
    let acquired = false;
    this.running = (async () => {
      const { name, holder, lease, everyMs, logger, task } = this.options;
      try {
        acquired = await lease.tryAcquire(name, holder, Math.max(everyMs * 2, 60_000));
      } catch (error) {
        // The database is unreachable (or locked): skip this turn. A rejection here used to end the process
        // from the timer (issue #10, "Database unreachable"); the next turn tries again.
        logger.warn({ task: name, err: error }, "periodic task skipped: its lease could not be taken; it will run again");
        return;
      }
      if (!acquired) return;
      try {
        const result = await task();
        logger.debug({ task: name, result }, "periodic task ran");
      } catch (error) {
        logger.error({ task: name, err: error }, "periodic task failed; it will run again");
      }
    })();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
    return acquired;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.runNow().finally(() => this.schedule(this.options.everyMs));
    }, delayMs);
    this.timer.unref();
  }
}
