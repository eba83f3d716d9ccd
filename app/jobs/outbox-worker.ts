import {
  DEFAULT_RETRY_POLICY,
  describeWindow,
  planRetry,
  type RetryPolicy,
} from "../domain/retry-policy";
import { assertUnreachable } from "../lib/assert-unreachable";
import type { Clock } from "../lib/clock";
import { withLogContext } from "../lib/log-context";
import type { Logger } from "../lib/logger";
import type { CounterSink } from "../ports/counters";
import type {
  DeliveryAttemptRecord,
  JobHandler,
  JobOutcome,
  OutboxJob,
  OutboxJobKind,
  OutboxRepository,
  RecordResult,
} from "../ports/outbox";

/** What the worker reports as it goes (metrics); every method is optional. */
export interface OutboxWorkerObserver {
  /** One attempt finished: its kind, its outcome, how long the handler took, whether the lease was lost meanwhile. */
  attempt?(event: { kind: OutboxJobKind; outcome: JobOutcome["outcome"]; durationMs: number; leaseLost: boolean }): void;
}

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

type WorkerState = "idle" | "running" | "stopped";

/**
 * Drains the transactional outbox: claims due jobs under a lease, runs their handlers, and records
 * done / retry-with-backoff / failed. Several workers (in several processes) may share one
 * repository; the lease is what keeps them off each other's jobs.
 *
 * Runs never overlap within one worker: a `runOnce()` called while another is in flight waits for
 * it to finish and then makes its own run (so a job enqueued meanwhile is seen), and returns the
 * number of jobs that run processed.
 */
export class OutboxWorker {
  private readonly repository: OutboxRepository;
  private readonly handlers: Partial<Record<OutboxJobKind, JobHandler>>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly workerId: string;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly random: () => number;
  private readonly monotonicMs: () => number;
  private readonly concurrency: number;
  private readonly retryPolicy: RetryPolicy;
  private readonly observer: OutboxWorkerObserver;
  private readonly counters: CounterSink | undefined;

  /** Jobs claimed by this worker whose handler has not started yet (given back on stop). */
  private readonly waiting = new Set<string>();
  private state: WorkerState = "idle";
  /** The last queued run; every run chains onto it, which is what serializes runs. */
  private tail: Promise<unknown> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ticking = false;
  private wakeRequested = false;

  constructor(options: OutboxWorkerOptions) {
    this.repository = options.repository;
    this.handlers = options.handlers;
    this.clock = options.clock;
    this.workerId = options.workerId;
    this.logger = options.logger.child({ component: "outbox-worker", workerId: options.workerId });
    this.batchSize = positiveInteger("batchSize", options.batchSize ?? OUTBOX_DEFAULTS.batchSize);
    this.leaseMs = positiveInteger("leaseMs", options.leaseMs ?? OUTBOX_DEFAULTS.leaseMs);
    this.pollIntervalMs = positiveInteger("pollIntervalMs", options.pollIntervalMs ?? OUTBOX_DEFAULTS.pollIntervalMs);
    this.concurrency = positiveInteger("concurrency", options.concurrency ?? OUTBOX_DEFAULTS.concurrency);
    this.random = options.random ?? Math.random;
    this.monotonicMs = options.monotonicMs ?? (() => performance.now());
    this.retryPolicy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.observer = options.observer ?? {};
    this.counters = options.counters;
  }

  /** Whether the worker is polling (for /readyz). */
  get running(): boolean {
    return this.state === "running";
  }

  /** Starts polling. Calling it again while running does nothing. */
  start(): void {
    if (this.state === "running") {
      return;
    }
    this.state = "running";
    this.schedule(0);
  }

  /**
   * Stops polling and resolves once the run in flight has finished: jobs already started run to the
   * end and are recorded; claimed jobs not yet started are released at once so another instance can
   * take them. With `graceMs`, waits at most that long; a handler still running then keeps its
   * lease (it may yet reach Shopify, so handing the job to someone else could send it twice) and the
   * job is picked up after the lease if this process exits first.
   */
  async stop(options: { graceMs?: number } = {}): Promise<StopReport> {
    this.state = "stopped";
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    let released = await this.releaseWaiting();
    const drained = await settlesWithin(this.tail, options.graceMs);
    released += await this.releaseWaiting();
    if (!drained) {
      this.logger.warn({ graceMs: options.graceMs }, "jobs still running at the end of the shutdown grace period; their leases will run out");
    }
    return { drained, released };
  }

  private async releaseWaiting(): Promise<number> {
    const jobIds = [...this.waiting];
    this.waiting.clear();
    return this.release(jobIds, "released claimed jobs on shutdown");
  }

  private async release(jobIds: string[], message: string): Promise<number> {
    if (jobIds.length === 0) return 0;
    try {
      const released = await this.repository.release({ workerId: this.workerId, jobIds });
      this.logger.info({ released, jobIds }, message);
      return released;
    } catch (error) {
      this.logger.warn({ err: error, jobIds }, "could not release claimed jobs; their leases will run out");
      return 0;
    }
  }

  /** Asks a started worker to run now instead of at the next poll (e.g. right after an enqueue). */
  wake(): void {
    if (this.state !== "running") {
      return;
    }
    if (this.ticking) {
      // The run in flight may have claimed before the new job was committed: go again after it.
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  /**
   * One run: claims up to `batchSize` due jobs and runs them, `concurrency` at a time. Returns how many
   * jobs it ran. After `stop()` it does nothing and returns 0. Rejects only if claiming fails.
   */
  runOnce(): Promise<number> {
    if (this.state === "stopped") {
      return Promise.resolve(0);
    }
    const run = this.tail.then(() => (this.state === "stopped" ? 0 : this.runBatch()));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private schedule(delayMs: number): void {
    if (this.state !== "running") {
      return;
    }
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, delayMs);
    // Polling alone must not keep a process alive (tests, one-off scripts).
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.ticking = true;
    this.wakeRequested = false;
    let processed = 0;
    try {
      processed = await this.runOnce();
    } catch (error) {
      this.logger.error({ err: error }, "outbox run failed; will poll again");
    } finally {
      this.ticking = false;
    }
    // A full batch suggests more are due: keep draining without waiting for the poll.
    this.schedule(this.wakeRequested || processed >= this.batchSize ? 0 : this.pollIntervalMs);
  }

  private async runBatch(): Promise<number> {
    // Due dates are business time (the clock); the lease itself is measured on the repository's
    // (database's) clock. The worker only needs to know how much of it has gone by, which it measures
    // on the monotonic clock: the business clock can jump ahead (sandbox) and would make every lease
    // look spent.
    const claimedAt = this.monotonicMs();
    const jobs = await this.repository.claimDue({
      now: this.clock.now(),
      limit: this.batchSize,
      leaseMs: this.leaseMs,
      workerId: this.workerId,
    });
    for (const job of jobs) this.waiting.add(job.id);
    let processed = 0;
    const left: string[] = [];
    await forEachWithConcurrency(jobs, this.concurrency, async (job) => {
      if (!this.waiting.has(job.id)) {
        return; // released by stop()
      }
      this.waiting.delete(job.id);
      // A job that waited in this batch until less than half its lease is left is handed back rather
      // than started: it might otherwise still run when the lease ends and another worker claims it.
      if (this.monotonicMs() - claimedAt > this.leaseMs / 2) {
        this.logger.warn({ jobId: job.id, kind: job.kind }, "lease nearly over before the job started; handing it back");
        left.push(job.id);
        return;
      }
      processed += 1;
      await withLogContext({ jobId: job.id }, () => this.process(job));
    });
    // Never started, so nothing reached the other system: handed back at once rather than after the lease,
    // for this worker's next run or another instance.
    if (left.length > 0) await this.release(left, "handed back claimed jobs it could not start in time");
    return processed;
  }

  private async process(job: OutboxJob): Promise<void> {
    const attemptNumber = job.attempts + 1;
    const log = this.logger.child({ kind: job.kind, shopId: job.shopId, attempt: attemptNumber });
    const started = performance.now();
    const outcome = await this.runHandler(job, log);
    const durationMs = performance.now() - started;
    try {
      const result = await this.record(job, attemptNumber, outcome, log);
      this.observer.attempt?.({ kind: job.kind, outcome: outcome.outcome, durationMs, leaseLost: result === "lease_lost" });
    } catch (error) {
      // The lease will run out and the job will be claimed again; handlers are idempotent.
      log.error({ err: error }, "could not record the job's outcome; it will run again after its lease");
    }
  }

  private async runHandler(job: OutboxJob, log: Logger): Promise<JobOutcome> {
    const handler = this.handlers[job.kind];
    if (!handler) {
      return { outcome: "failed", detail: `no handler registered for job kind "${job.kind}"` };
    }
    try {
      const outcome: unknown = await handler(job);
      if (isJobOutcome(outcome)) {
        return outcome;
      }
      log.error({ outcome }, "outbox handler returned an invalid outcome (bug); retrying the job");
      return { outcome: "retry", detail: "handler returned an invalid outcome" };
    } catch (error) {
      // Handlers report expected failures as outcomes; a throw is a bug, but the delivery still
      // matters, so the job is retried on the normal schedule.
      log.error({ err: error }, "outbox handler threw (bug); retrying the job");
      return { outcome: "retry", detail: `handler threw: ${describeError(error)}` };
    }
  }

  private async record(job: OutboxJob, attemptNumber: number, outcome: JobOutcome, log: Logger): Promise<RecordResult> {
    const now = this.clock.now();
    const attempt = (o: DeliveryAttemptRecord["outcome"], detail: string): DeliveryAttemptRecord => ({
      at: now,
      outcome: o,
      detail,
    });
    const ids = { jobId: job.id, workerId: this.workerId };
    const lost = (result: RecordResult): RecordResult => {
      if (result === "lease_lost") {
        log.warn({ detail: outcome.detail }, "the job's lease ran out while it ran: attempt recorded, state left to the new holder");
      }
      return result;
    };

    switch (outcome.outcome) {
      case "done": {
        const result = await this.repository.complete({ ...ids, attempt: attempt("done", outcome.detail) });
        if (result === "applied") log.info({ detail: outcome.detail }, "outbox job done");
        return lost(result);
      }
      case "failed": {
        const result = await this.repository.fail({ ...ids, attempt: attempt("failed", outcome.detail) });
        if (result === "applied") {
          this.counters?.increment("outbox_jobs_dead_lettered_total", { kind: job.kind, reason: "final_error" });
          log.error({ detail: outcome.detail }, "outbox job failed; it is in the dead-letter list");
        }
        return lost(result);
      }
      case "retry": {
        const decision = planRetry({
          attempt: attemptNumber,
          firstAttemptAt: job.createdAt,
          now,
          random: this.random,
          policy: this.retryPolicy,
        });
        if (decision.kind === "give_up") {
          const detail = `gave up after ${describeWindow(this.retryPolicy)}: ${outcome.detail}`;
          const result = await this.repository.fail({ ...ids, attempt: attempt("failed", detail) });
          if (result === "applied") {
            this.counters?.increment("outbox_jobs_dead_lettered_total", { kind: job.kind, reason: "gave_up" });
            log.error({ detail }, "outbox job gave up; it is in the dead-letter list");
          }
          return lost(result);
        }
        const result = await this.repository.reschedule({ ...ids, nextAttemptAt: decision.at, attempt: attempt("retry", outcome.detail) });
        if (result === "applied") log.warn({ detail: outcome.detail, nextAttemptAt: decision.at.toISOString() }, "outbox job will be retried");
        return lost(result);
      }
      default:
        return assertUnreachable(outcome);
    }
  }
}

function isJobOutcome(value: unknown): value is JobOutcome {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const { outcome, detail } = value as { outcome?: unknown; detail?: unknown };
  return (outcome === "done" || outcome === "retry" || outcome === "failed") && typeof detail === "string";
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`OutboxWorker option ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Whether `promise` settles within `ms` (forever when `ms` is undefined). */
async function settlesWithin(promise: Promise<unknown>, ms: number | undefined): Promise<boolean> {
  if (ms === undefined) {
    await promise;
    return true;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function forEachWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let item = items[next++]; item !== undefined; item = items[next++]) {
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
