import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { err, type Result } from "../../lib/result";
import type { RunRecord, RunStats, RunStore, RunTrigger } from "../../ports/reconciliation";
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
      runs: Pick<RunStore, "create">;
      queue: ShopWorkQueue;
      linkOrders: Pick<LinkOrders, "execute">;
      runReconciliation: Pick<RunReconciliation, "execute">;
      clock: Clock;
      logger: Logger;
    },
  ) {}

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
