import { describe, expect, it } from "vitest";

import { DailyReconciliation, dueInstant } from "../../../../app/jobs/daily-reconciliation";
import { FixedClock } from "../../../../app/lib/clock";
import { silentLogger } from "../../../../app/lib/logger";
import { ShopWorkQueue } from "../../../../app/use-cases/run-reconciliation/shop-work-queue";

const lima = (wall: string) => new Date(`${wall}-05:00`);

describe("the daily reconciliation", () => {
  it("is due once per Lima day from 06:00", () => {
    expect(dueInstant(lima("2025-07-10T05:59:00"))).toEqual(lima("2025-07-09T06:00:00"));
    expect(dueInstant(lima("2025-07-10T06:00:00"))).toEqual(lima("2025-07-10T06:00:00"));
    expect(dueInstant(lima("2025-07-10T23:30:00"))).toEqual(lima("2025-07-10T06:00:00"));
  });

  it("runs the shops whose last scheduled run is older than the latest 06:00, one after the other", async () => {
    const ran: string[] = [];
    const daily = new DailyReconciliation({
      shops: async () => ["a", "b", "c"],
      lastScheduledRun: async (shop) => (shop === "b" ? lima("2025-07-10T06:30:00") : shop === "c" ? lima("2025-07-09T07:00:00") : null),
      runShop: async (shop) => {
        ran.push(shop);
      },
      housekeeping: async () => {
        ran.push("housekeeping");
      },
      clock: new FixedClock(lima("2025-07-10T08:00:00")),
      logger: silentLogger,
    });
    expect(await daily.tick()).toEqual({ ran: 2 });
    expect(ran).toEqual(["housekeeping", "a", "c"]);
  });
});

describe("the per-shop work queue", () => {
  it("runs one task at a time per shop, in order, and shops in parallel", async () => {
    const queue = new ShopWorkQueue();
    const events: string[] = [];
    const task = (name: string, ms: number) => async () => {
      events.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([queue.run("s1", task("a1", 20)), queue.run("s1", task("a2", 1)), queue.run("s2", task("b1", 5))]);
    expect(results).toEqual(["a1", "a2", "b1"]);
    expect(events.indexOf("end a1")).toBeLessThan(events.indexOf("start a2"));
    expect(events.indexOf("start b1")).toBeLessThan(events.indexOf("end a1"));
    await queue.idle();
    expect(queue.isBusy("s1")).toBe(false);
  });

  it("keeps going after a failed task", async () => {
    const queue = new ShopWorkQueue();
    await expect(queue.run("s1", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await queue.run("s1", async () => "next")).toBe("next");
  });
});
