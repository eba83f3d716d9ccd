import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { err, type Result } from "../../lib/result";
import type { ManualRunStore, RunRecord, RunStats, RunStore, RunTrigger } from "../../ports/reconciliation";
import type { LinkOrders, LinkOrdersReport } from "../link-orders/link-orders";
import type { RunError, RunReconciliation } from "./run-reconciliation";
import type { ShopWorkQueue } from "./shop-work-queue";

/**
 * The instance that queued a run marks it alive this often while the run waits or runs, however long it takes
 * (a big import ahead of it, a million lines to match).
 */
export const RUN_HEARTBEAT_MS = 30_000;

/**
 * A run still queued or running with no heartbeat for this long was left by an instance that stopped (a crash, a
 * deploy): the hourly housekeeping fails it, and so does the next manual request for the shop, so a crash blocks
 * the merchant's button for minutes, not hours. Six missed heartbeats: a busy event loop does not count as a crash.
 */
export const ABANDONED_RUN_MS = 6 * RUN_HEARTBEAT_MS;

export interface RunOutcome {
  readonly links: LinkOrdersReport | null;
  readonly result: Result<{ run: RunRecord; stats: RunStats }, RunError>;
}

/**
 * Queues a reconciliation run for a shop behind any import or run already queued for it (one at a time per
 * shop: a big shop's run holds its ledger index in memory). With linkOrders, Shopify orders are looked up first.
 */
export class QueueReconciliationRun {
  constructor(
    private readonly deps: {
      runs: Pick<RunStore, "create" | "heartbeat"> & ManualRunStore;
      queue: ShopWorkQueue;
      linkOrders: Pick<LinkOrders, "execute">;
      runReconciliation: Pick<RunReconciliation, "execute">;
      clock: Clock;
      logger: Logger;
      heartbeatEveryMs?: number;
    },
  ) {}

  /** Runs this instance has queued and not yet finished: their heartbeat is this instance's. */
  private readonly live = new Set<string>();
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;

  /**
   * The merchant's "Run reconciliation now": one run per shop at a time. While the shop's manual run is
   * queued or going, asking again (a double click, a second tab, a request routed to another instance) answers
   * that run with alreadyQueued. The store guarantees it (a unique index on the shop's active manual run), so
   * two requests at the same instant cannot both create a run, on one instance or several. A run left queued
   * or running by an instance that stopped blocks the button for ABANDONED_RUN_MS after its last heartbeat.
   */
  async requestManual(shopId: string, options: { linkOrders: boolean }): Promise<{ run: RunRecord; alreadyQueued: boolean }> {
    const now = this.deps.clock.now();
    const { run, created } = await this.deps.runs.createManual(shopId, now, new Date(now.getTime() - ABANDONED_RUN_MS));
    if (!created) return { run, alreadyQueued: true };
    this.schedule(shopId, "manual", run, options);
    return { run, alreadyQueued: false };
  }

  /** Returns the queued run at once; `done` settles when it has finished. */
  async enqueue(shopId: string, trigger: RunTrigger, options: { linkOrders: boolean }): Promise<{ run: RunRecord; done: Promise<RunOutcome> }> {
    const run = await this.deps.runs.create(shopId, trigger, this.deps.clock.now());
    return { run, done: this.schedule(shopId, trigger, run, options) };
  }

  /** Queues the created run behind the shop's work; settles when it has finished. */
  private schedule(shopId: string, trigger: RunTrigger, run: RunRecord, options: { linkOrders: boolean }): Promise<RunOutcome> {
    const { queue, logger } = this.deps;
    this.keepAlive(run.id);
    const done = queue.run(shopId, async (): Promise<RunOutcome> => {
      let links: LinkOrdersReport | null = null;
      if (options.linkOrders) {
        try {
          links = await this.deps.linkOrders.execute(shopId);
        } catch (error) {
          logger.warn({ err: error, shopId }, "linking orders failed; reconciling with the links known");
        }
      }
      const result = await this.deps.runReconciliation.execute({ shopId, trigger, run });
      return { links, result };
    });
    void done.then(
      () => this.letGo(run.id),
      () => this.letGo(run.id),
    );
    return done;
  }

  private keepAlive(runId: string): void {
    this.live.add(runId);
    if (this.heartbeatTimer) return;
    this.heartbeatTimer = setInterval(() => void this.beat(), this.deps.heartbeatEveryMs ?? RUN_HEARTBEAT_MS);
    this.heartbeatTimer.unref();
  }

  private letGo(runId: string): void {
    this.live.delete(runId);
    if (this.live.size > 0 || !this.heartbeatTimer) return;
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  /** A missed beat (the database away for a moment) is harmless: the next one is 30 s later, six may be missed. */
  private async beat(): Promise<void> {
    try {
      await this.deps.runs.heartbeat([...this.live], this.deps.clock.now());
    } catch (error) {
      this.deps.logger.warn({ err: error, runs: this.live.size }, "could not mark the queued reconciliation runs alive; will try again");
    }
  }

  /** Runs now and waits (bench, tests, CLI). */
  async runNow(shopId: string, trigger: RunTrigger = "manual", options = { linkOrders: false }): Promise<RunOutcome> {
    const { done } = await this.enqueue(shopId, trigger, options);
    try {
      return await done;
    } catch (error) {
      return { links: null, result: err({ kind: "busy", message: error instanceof Error ? error.message : String(error) }) };
    }
  }
}
