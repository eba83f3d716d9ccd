import type { RetryPolicy } from "../domain/retry-policy";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import type { CounterSink } from "../ports/counters";
import type { JobHandler, OutboxJobKind, OutboxRepository, OutboxWorkerObserver } from "../ports/outbox";

export interface OutboxWorkerOptions {
  readonly repository: OutboxRepository;
  /** A job whose kind has no handler is failed (not retried) with a detail naming the kind. */
  readonly handlers: Partial<Record<OutboxJobKind, JobHandler>>;
  /** All business time (due dates, leases, backoff, the delivery window) comes from here. */
  readonly clock: Clock;
  readonly logger: Logger;
  /** Unique per process; the repository records it as the lease holder. */
  readonly workerId: string;
  /** Jobs claimed per run. Default 20. */
  readonly batchSize?: number;
  /**
   * How long a claim lasts. Default 60 s. Must exceed a handler's worst case (the Shopify client
   * times out at 10 s), or another worker may start the same job while this one still runs it.
   */
  readonly leaseMs?: number;
  /** Real-time wait between polls when there was nothing (more) to do. Default 1 s. */
  readonly pollIntervalMs?: number;
  /** Milliseconds on a monotonic clock, for how much of a lease has gone by; defaults to performance.now. */
  readonly monotonicMs?: () => number;
  /** Source of jitter; defaults to Math.random. */
  readonly random?: () => number;
  /** Handlers run at the same time within one run. Default 4. */
  readonly concurrency?: number;
  readonly retryPolicy?: RetryPolicy;
  readonly observer?: OutboxWorkerObserver;
  /** Counts jobs that land in the dead-letter list (a final error, or the delivery window ran out). */
  readonly counters?: CounterSink;
}

/** What `stop()` did with the claims it held. */
export interface StopReport {
  /** Every job in flight finished before the grace period ended. */
  readonly drained: boolean;
  /** Claimed jobs that had not started, handed back for another instance. */
  readonly released: number;
}

export const OUTBOX_DEFAULTS = {
  batchSize: 20,
  leaseMs: 60_000,
  pollIntervalMs: 1_000,
  concurrency: 4,
} as const;
