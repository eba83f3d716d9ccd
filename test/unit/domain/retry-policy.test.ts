import { describe, expect, it } from "vitest";

import {
  backoffCeilingMs,
  DELIVERY_WINDOW_MS,
  describeWindow,
  nextRetryDelayMs,
  planRetry,
  RETRY_BASE_DELAY_MS,
  RETRY_MAX_DELAY_MS,
  shouldGiveUp,
} from "../../../app/domain/retry-policy";

const SECOND = 1_000;
const HOUR = 3_600_000;

/** Attempt times (ms after the job was created) until planRetry gives up, for a fixed random value. */
function simulate(randomValue: number): number[] {
  const start = new Date("2026-03-01T00:00:00.000Z");
  let now = start;
  const times: number[] = [];
  for (let attempt = 1; attempt < 1_000; attempt += 1) {
    times.push(now.getTime() - start.getTime());
    const decision = planRetry({ attempt, firstAttemptAt: start, now, random: () => randomValue });
    if (decision.kind === "give_up") {
      return times;
    }
    now = decision.at;
  }
  throw new Error("never gave up");
}

describe("retry policy constants", () => {
  it("starts at 5 s, caps at 5 h and delivers for 30 h", () => {
    expect(RETRY_BASE_DELAY_MS).toBe(5 * SECOND);
    expect(RETRY_MAX_DELAY_MS).toBe(5 * HOUR);
    expect(DELIVERY_WINDOW_MS).toBe(30 * HOUR);
    expect(describeWindow()).toBe("~30 h");
  });
});

describe("nextRetryDelayMs (equal jitter)", () => {
  // attempt -> capped exponential delay, in seconds: the worst case (random = 1)
  const table: [number, number][] = [
    [1, 5],
    [2, 10],
    [3, 20],
    [4, 40],
    [5, 80],
    [6, 160],
    [7, 320],
    [8, 640],
    [9, 1_280],
    [10, 2_560],
    [11, 5_120],
    [12, 10_240],
    [13, 18_000],
    [14, 18_000],
    [30, 18_000],
    [10_000, 18_000],
  ];

  it.each(table)("attempt %i waits between half of and all of %i s", (attempt, ceilingSeconds) => {
    expect(backoffCeilingMs(attempt)).toBe(ceilingSeconds * SECOND);
    expect(nextRetryDelayMs(attempt, () => 0)).toBe((ceilingSeconds * SECOND) / 2);
    expect(nextRetryDelayMs(attempt, () => 0.5)).toBe(ceilingSeconds * SECOND * 0.75);
    expect(nextRetryDelayMs(attempt, () => 0.999_999)).toBeLessThanOrEqual(ceilingSeconds * SECOND);
    expect(nextRetryDelayMs(attempt, () => 1)).toBe(ceilingSeconds * SECOND);
  });

  it("treats attempt numbers below 1 as the first attempt and clamps a bad random source", () => {
    expect(nextRetryDelayMs(0, () => 1)).toBe(5 * SECOND);
    expect(nextRetryDelayMs(-3, () => 1)).toBe(5 * SECOND);
    expect(nextRetryDelayMs(1, () => 7)).toBe(5 * SECOND);
    expect(nextRetryDelayMs(1, () => -7)).toBe(2.5 * SECOND);
  });

  it("spreads delays over the upper half with a real random source", () => {
    const delays = Array.from({ length: 500 }, () => nextRetryDelayMs(13, Math.random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(9_000 * SECOND);
    expect(Math.max(...delays)).toBeLessThanOrEqual(18_000 * SECOND);
    expect(new Set(delays).size).toBeGreaterThan(100);
  });

  it("accepts a custom policy", () => {
    const policy = { baseDelayMs: 1_000, maxDelayMs: 4_000, deliveryWindowMs: 60_000 };
    expect([1, 2, 3, 4, 5].map((a) => nextRetryDelayMs(a, () => 1, policy))).toEqual([1_000, 2_000, 4_000, 4_000, 4_000]);
  });
});

describe("shouldGiveUp", () => {
  const start = new Date("2026-03-01T00:00:00.000Z");

  it("keeps going inside the 30 h window and stops at its end", () => {
    expect(shouldGiveUp(start, start)).toBe(false);
    expect(shouldGiveUp(start, new Date(start.getTime() + 30 * HOUR - 1))).toBe(false);
    expect(shouldGiveUp(start, new Date(start.getTime() + 30 * HOUR))).toBe(true);
    expect(shouldGiveUp(start, new Date(start.getTime() + 31 * HOUR))).toBe(true);
  });
});

describe("planRetry: the whole schedule", () => {
  it("worst case (longest waits): 18 attempts, the last at exactly 30 h", () => {
    const hours = simulate(1).map((ms) => Number((ms / HOUR).toFixed(3)));
    expect(hours).toEqual([
      0, 0.001, 0.004, 0.01, 0.021, 0.043, 0.087, 0.176, 0.354, 0.71, 1.421, 2.843, 5.688, 10.688, 15.688, 20.688,
      25.688, 30,
    ]);
  });

  it("average case: 20 attempts; shortest waits: 24 attempts; always ending at 30 h", () => {
    const average = simulate(0.5);
    const shortest = simulate(0);
    expect(average).toHaveLength(20);
    expect(shortest).toHaveLength(24);
    expect(average.at(-1)).toBe(30 * HOUR);
    expect(shortest.at(-1)).toBe(30 * HOUR);
    // The early retries stay quick whatever the jitter: the first four fall within a minute.
    expect(shortest[4]).toBeLessThan(60 * SECOND);
    expect(simulate(1)[4]).toBeLessThan(80 * SECOND);
  });

  it("never schedules past the window and gives up once it is over", () => {
    const start = new Date("2026-03-01T00:00:00.000Z");
    const lateNow = new Date(start.getTime() + 29 * HOUR);
    const decision = planRetry({ attempt: 17, firstAttemptAt: start, now: lateNow, random: () => 1 });
    expect(decision).toEqual({ kind: "retry_at", at: new Date(start.getTime() + 30 * HOUR) });
    expect(
      planRetry({ attempt: 18, firstAttemptAt: start, now: new Date(start.getTime() + 30 * HOUR), random: () => 1 }),
    ).toEqual({ kind: "give_up" });
  });
});
