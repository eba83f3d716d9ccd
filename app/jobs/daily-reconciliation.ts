import { limaEpochDay, limaMidnight } from "../domain/lima-time";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";

/** Lima hour from which the day's scheduled run is due: PagoEfectivo's previous day is closed by then. */
export const DAILY_RUN_HOUR = 6;

/**
 * The daily reconciliation: checked every hour (a leased periodic task, so one instance does it); each
 * installed shop whose last scheduled run is older than today's 06:00 Lima gets one (orders linked from the
 * Admin API first), one shop after the other. Housekeeping first: imports and runs abandoned by a stopped
 * instance are marked failed, old uploads deleted.
 */
export class DailyReconciliation {
  constructor(
    private readonly deps: {
      shops: () => Promise<string[]>;
      lastScheduledRun: (shopId: string) => Promise<Date | null>;
      runShop: (shopId: string) => Promise<void>;
      housekeeping: () => Promise<void>;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  async tick(): Promise<{ ran: number }> {
    const { deps } = this;
    await deps.housekeeping().catch((error: unknown) => deps.logger.warn({ err: error }, "reconciliation housekeeping failed"));
    const now = deps.clock.now();
    const dueSince = dueInstant(now);
    let ran = 0;
    for (const shopId of await deps.shops()) {
      const last = await deps.lastScheduledRun(shopId);
      if (last && last.getTime() >= dueSince.getTime()) continue;
      try {
        await deps.runShop(shopId);
        ran += 1;
      } catch (error) {
        deps.logger.error({ err: error, shopId }, "scheduled reconciliation failed; it will be tried again next hour");
      }
    }
    return { ran };
  }
}

/** The latest 06:00 Lima at or before now: a shop whose last scheduled run is older is due. */
export function dueInstant(now: Date): Date {
  const day = limaEpochDay(now);
  const today = new Date(limaMidnight(day).getTime() + DAILY_RUN_HOUR * 3_600_000);
  return now.getTime() >= today.getTime() ? today : new Date(limaMidnight(day - 1).getTime() + DAILY_RUN_HOUR * 3_600_000);
}
