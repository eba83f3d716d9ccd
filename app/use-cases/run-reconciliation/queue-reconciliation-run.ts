import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { err, type Result } from "../../lib/result";
import type { RunRecord, RunStats, RunStore, RunTrigger } from "../../ports/reconciliation";
import type { RunHistory } from "../../ports/reconciliation-admin";
import type { LinkOrders, LinkOrdersReport } from "../link-orders/link-orders";
import type { RunError, RunReconciliation } from "./run-reconciliation";
import type { ShopWorkQueue } from "./shop-work-queue";

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
      runs: Pick<RunStore, "create"> & Pick<RunHistory, "find">;
      queue: ShopWorkQueue;
      linkOrders: Pick<LinkOrders, "execute">;
      runReconciliation: Pick<RunReconciliation, "execute">;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  /** Each shop's manual run while it is queued or going (see requestManual). */
  private readonly manualRuns = new Map<string, Promise<RunRecord>>();

  /**
   * The merchant's "Run reconciliation now": one run per shop at a time. While the shop's manual run is
   * queued or going, asking again (a double click, a second tab) answers that run with alreadyQueued.
   * The map entry is set before the first await, so two requests at once cannot both create a run.
   */
  async requestManual(shopId: string, options: { linkOrders: boolean }): Promise<{ run: RunRecord; alreadyQueued: boolean }> {
    const pending = this.manualRuns.get(shopId);
    if (pending) {
      const run = await pending;
      return { run: (await this.deps.runs.find(shopId, run.id)) ?? run, alreadyQueued: true };
    }
    const started = this.enqueue(shopId, "manual", options);
    const clear = () => {
      this.manualRuns.delete(shopId);
    };
    this.manualRuns.set(
      shopId,
      started.then((value) => value.run),
    );
    try {
      const { run, done } = await started;
      done.then(clear, clear);
      return { run, alreadyQueued: false };
    } catch (error) {
      clear();
      throw error;
    }
  }

  /** Returns the queued run at once; `done` settles when it has finished. */
  async enqueue(shopId: string, trigger: RunTrigger, options: { linkOrders: boolean }): Promise<{ run: RunRecord; done: Promise<RunOutcome> }> {
    const { runs, queue, clock, logger } = this.deps;
    const run = await runs.create(shopId, trigger, clock.now());
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
    done.catch(() => undefined);
    return { run, done };
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
