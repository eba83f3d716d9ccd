/**
 * Counters of security and reliability events (rejected notifications, rate-limited requests, jobs
 * given up), kept in memory per process. Deliberately tiny and free of dependencies: the metrics
 * endpoint (prom-client) mirrors them by subscribing with `onIncrement`, and tests read `snapshot()`.
 */
import type { CounterLabels, CounterSink } from "../ports/counters";

export type { CounterLabels, CounterSink } from "../ports/counters";
export { noCounters } from "../ports/counters";

export class SecurityCounters implements CounterSink {
  private readonly values = new Map<string, number>();
  private readonly listeners: ((name: string, labels: CounterLabels, by: number) => void)[] = [];

  increment(name: string, labels: CounterLabels = {}, by = 1): void {
    const id = counterId(name, labels);
    this.values.set(id, (this.values.get(id) ?? 0) + by);
    for (const listener of this.listeners) listener(name, labels, by);
  }

  /** Every counter as `name{label=value,...}` → count (labels sorted by name). */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.values);
  }

  /** Calls `listener` on every increment from now on (a metrics registry mirrors the counters this way). */
  onIncrement(listener: (name: string, labels: CounterLabels, by: number) => void): void {
    this.listeners.push(listener);
  }
}

export function counterId(name: string, labels: CounterLabels = {}): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? name : `${name}{${entries.map(([k, v]) => `${k}=${v}`).join(",")}}`;
}

/** A sink that drops everything (for callers that do not count). */
