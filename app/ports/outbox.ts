/**
 * The transactional outbox: work that must reach another system (Shopify, PagoEfectivo) is
 * written in the same database transaction as the state change that causes it, then delivered
 * by workers. Several app instances may run workers; a job is claimed with a lease so only one
 * works on it at a time, and a crashed worker's lease simply runs out.
 */
export const OUTBOX_JOB_KINDS = [
  "payment_session.pending",
  "payment_session.resolve",
  "payment_session.reject",
  "refund_session.resolve",
  "refund_session.reject",
  "cip.delete",
] as const;

export type OutboxJobKind = (typeof OUTBOX_JOB_KINDS)[number];

export type OutboxJobStatus = "pending" | "done" | "failed";

export interface OutboxJob {
  readonly id: string;
  readonly kind: OutboxJobKind;
  readonly shopId: string;
  /** Kind-specific JSON payload, parsed by the job's handler. */
  readonly payload: unknown;
  /** Delivery attempts made before this one. */
  readonly attempts: number;
  readonly createdAt: Date;
  readonly nextAttemptAt: Date;
}

export interface NewOutboxJob {
  readonly kind: OutboxJobKind;
  readonly shopId: string;
  readonly payload: unknown;
  /** Unique: enqueueing the same key twice keeps the first job (stored idempotency). */
  readonly dedupeKey: string;
  readonly runAt?: Date;
}

/** What happened on one attempt, kept for the payment timeline. */
export interface DeliveryAttemptRecord {
  readonly at: Date;
  readonly outcome: "done" | "retry" | "failed" | "interrupted";
  readonly detail: string;
}

/** Whether recording an attempt also changed the job: "lease_lost" when another worker owns it now. */
export type RecordResult = "applied" | "lease_lost";

export interface OutboxRepository {
  /**
   * Claims up to `limit` jobs due at `now` (business time: the app's clock) for `workerId`, for
   * `leaseMs` measured on the repository's own clock (the database's `now()`), so instances whose
   * clocks disagree still agree on who holds a job. A job whose lease ran out is due again; if it was still
   * locked (its holder stopped before recording an outcome), an attempt with outcome "interrupted" is recorded
   * in the old holder's name, which that holder's late answer, if it ever comes, replaces.
   */
  claimDue(params: { now: Date; limit: number; leaseMs: number; workerId: string }): Promise<OutboxJob[]>;
  /**
   * Marks the job done. When the worker no longer holds the lease the job is left alone, but the
   * attempt is still recorded (the call to the other system happened and belongs on the timeline).
   */
  complete(params: { jobId: string; workerId: string; attempt: DeliveryAttemptRecord }): Promise<RecordResult>;
  /** Records a failed attempt and schedules the next one (same lease rule as `complete`). */
  reschedule(params: { jobId: string; workerId: string; nextAttemptAt: Date; attempt: DeliveryAttemptRecord }): Promise<RecordResult>;
  /** Records a final failure: no more attempts (same lease rule as `complete`). */
  fail(params: { jobId: string; workerId: string; attempt: DeliveryAttemptRecord }): Promise<RecordResult>;
  /** Gives back claimed jobs this worker did not start (shutdown): others may claim them at once. Returns how many. */
  release(params: { workerId: string; jobIds: readonly string[] }): Promise<number>;
}

/** The outcome a job handler reports back to the worker. */
export type JobOutcome =
  | { readonly outcome: "done"; readonly detail: string }
  | { readonly outcome: "retry"; readonly detail: string }
  | { readonly outcome: "failed"; readonly detail: string };

export type JobHandler = (job: OutboxJob) => Promise<JobOutcome>;

/** What the worker reports as it goes (metrics); every method is optional. */
export interface OutboxWorkerObserver {
  /** One attempt finished: its kind, its outcome, how long the handler took, whether the lease was lost meanwhile. */
  attempt?(event: { kind: OutboxJobKind; outcome: JobOutcome["outcome"]; durationMs: number; leaseLost: boolean }): void;
}
