import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../domain/retry-policy";
import type { Clock } from "../lib/clock";
import { isDatabaseUnavailable } from "../lib/database-unavailable";
import { withLogContext } from "../lib/log-context";
import type { Logger } from "../lib/logger";
import type { CounterSink } from "../ports/counters";
import type { JobHandler, JobOutcome, OutboxJob, OutboxJobKind, OutboxRepository, OutboxWorkerObserver, RecordResult } from "../ports/outbox";
import { forEachWithConcurrency, settlesWithin } from "./concurrency";
import { type DatabaseUnavailable, recordJobOutcome, runJobHandler } from "./outbox-job-outcome";
import { OUTBOX_DEFAULTS, type OutboxWorkerOptions, type StopReport } from "./outbox-worker-options";

export type { OutboxWorkerObserver } from "../ports/outbox";
export { OUTBOX_DEFAULTS, type OutboxWorkerOptions, type StopReport } from "./outbox-worker-options";

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
      if (isDatabaseUnavailable(error)) this.logger.warn({ err: error }, "outbox run could not claim jobs: the database is unavailable; will poll again");
      else this.logger.error({ err: error }, "outbox run failed; will poll again");
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
    if (outcome.outcome === "database_unavailable") {
      // Nothing recorded (outbox-job-outcome.ts); handed back for the next run. While the database is away the
      // release fails too, and the lease runs out instead.
      await this.release([job.id], "handed back a job the database outage stopped");
      return;
    }
    try {
      const result = await this.record(job, attemptNumber, outcome, log);
      this.observer.attempt?.({ kind: job.kind, outcome: outcome.outcome, durationMs, leaseLost: result === "lease_lost" });
    } catch (error) {
      // The lease will run out and the job will be claimed again; handlers are idempotent.
      if (isDatabaseUnavailable(error)) log.warn({ err: error }, "could not record the job's outcome: the database is unavailable; it will run again after its lease");
      else log.error({ err: error }, "could not record the job's outcome; it will run again after its lease");
    }
  }

  private runHandler(job: OutboxJob, log: Logger): Promise<JobOutcome | DatabaseUnavailable> {
    return runJobHandler(this.handlers, job, log);
  }

  private record(job: OutboxJob, attemptNumber: number, outcome: JobOutcome, log: Logger): Promise<RecordResult> {
    const { repository, clock, workerId, random, retryPolicy, counters } = this;
    return recordJobOutcome({ repository, clock, workerId, random, retryPolicy, counters }, job, attemptNumber, outcome, log);
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`OutboxWorker option ${name} must be a positive integer, got ${value}`);
  }
  return value;
}
