/** Where use cases and jobs count security and reliability events; app/observability implements it. */
export type CounterLabels = Readonly<Record<string, string>>;

export interface CounterSink {
  increment(name: string, labels?: CounterLabels, by?: number): void;
}

/** Counts nothing: the default where no sink is wired (unit tests). */
export const noCounters: CounterSink = { increment: () => undefined };
