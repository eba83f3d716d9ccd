import { afterEach, describe, expect, it, vi } from "vitest";

import { WorkerRestarts } from "../../../../app/adapters/db/worker-restarts";

describe("WorkerRestarts", () => {
  afterEach(() => vi.useRealTimers());

  it("starts the thread again after the pause, and gives up after too many deaths in a row", () => {
    vi.useFakeTimers();
    const start = vi.fn();
    const restarts = new WorkerRestarts(start, { afterMs: 1_000, maxInARow: 2 });
    expect(restarts.ended()).toBe(1);
    vi.advanceTimersByTime(999);
    expect(start).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(start).toHaveBeenCalledTimes(1);
    expect(restarts.ended()).toBe(2);
    vi.advanceTimersByTime(1_000);
    expect(restarts.ended()).toBeNull();
    vi.advanceTimersByTime(5_000);
    expect(start).toHaveBeenCalledTimes(2);
  });

  it("counts again from zero once the thread reported ready", () => {
    vi.useFakeTimers();
    const restarts = new WorkerRestarts(() => {}, { afterMs: 10, maxInARow: 1 });
    expect(restarts.ended()).toBe(1);
    vi.advanceTimersByTime(10);
    restarts.ready();
    expect(restarts.ended()).toBe(1);
  });

  it("starts nothing after cancel (shutdown)", () => {
    vi.useFakeTimers();
    const start = vi.fn();
    const restarts = new WorkerRestarts(start, { afterMs: 10, maxInARow: 5 });
    restarts.ended();
    restarts.cancel();
    vi.advanceTimersByTime(100);
    expect(start).not.toHaveBeenCalled();
  });
});
