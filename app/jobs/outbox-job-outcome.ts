import { describeWindow, planRetry, type RetryPolicy } from "../domain/retry-policy";
import { assertUnreachable } from "../lib/assert-unreachable";
import type { Clock } from "../lib/clock";
import { isDatabaseUnavailable } from "../lib/database-unavailable";
import type { Logger } from "../lib/logger";
import type { CounterSink } from "../ports/counters";
import type { DeliveryAttemptRecord, JobHandler, JobOutcome, OutboxJob, OutboxJobKind, OutboxRepository, RecordResult } from "../ports/outbox";

/**
 * The handler could not use the database (issue #10: an outage, not a bug). No attempt is recorded for it: the
 * delivery window is counted from the job's creation, not in attempts, and an attempt row would only stretch the
 * backoff (and would itself fail to be written while the database is away). The job is handed back as it was,
 * not done, so it runs again in full once the database answers; handlers are idempotent, so a Shopify call it
 * may have made before the database failed it is answered the same the second time (exactly once holds).
 */
export interface DatabaseUnavailable {
  readonly outcome: "database_unavailable";
  readonly detail: string;
}

/**
 * Runs a job's handler; a missing handler fails the job, a throw or a malformed outcome (bugs) retries it, a
 * database outage is reported as such (warn) and counts no attempt.
 */
export async function runJobHandler(
  handlers: Partial<Record<OutboxJobKind, JobHandler>>,
  job: OutboxJob,
  log: Logger,
): Promise<JobOutcome | DatabaseUnavailable> {
  const handler = handlers[job.kind];
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
    if (isDatabaseUnavailable(error)) {
      log.warn({ err: describeError(error) }, "outbox job could not run: the database is unavailable; handed back, no attempt counted");
      return { outcome: "database_unavailable", detail: describeError(error) };
    }
    // Handlers report expected failures as outcomes; a throw is a bug, but the delivery still
    // matters, so the job is retried on the normal schedule.
    log.error({ err: error }, "outbox handler threw (bug); retrying the job");
    return { outcome: "retry", detail: `handler threw: ${describeError(error)}` };
  }
}

/** What recording an outcome needs from the worker. */
export interface OutcomeRecorder {
  readonly repository: OutboxRepository;
  readonly clock: Clock;
  readonly workerId: string;
  readonly random: () => number;
  readonly retryPolicy: RetryPolicy;
  readonly counters: CounterSink | undefined;
}

/** Records done / failed (dead letter) / retry-with-backoff for one attempt, under the worker's lease. */
export async function recordJobOutcome(w: OutcomeRecorder, job: OutboxJob, attemptNumber: number, outcome: JobOutcome, log: Logger): Promise<RecordResult> {
  const now = w.clock.now();
  const attempt = (o: DeliveryAttemptRecord["outcome"], detail: string): DeliveryAttemptRecord => ({
    at: now,
    outcome: o,
    detail,
  });
  const ids = { jobId: job.id, workerId: w.workerId };
  const lost = (result: RecordResult): RecordResult => {
    if (result === "lease_lost") {
      log.warn({ detail: outcome.detail }, "the job's lease ran out while it ran: attempt recorded, state left to the new holder");
    }
    return result;
  };

  switch (outcome.outcome) {
    case "done": {
      const result = await w.repository.complete({ ...ids, attempt: attempt("done", outcome.detail) });
      if (result === "applied") log.info({ detail: outcome.detail }, "outbox job done");
      return lost(result);
    }
    case "failed": {
      const result = await w.repository.fail({ ...ids, attempt: attempt("failed", outcome.detail) });
      if (result === "applied") {
        w.counters?.increment("outbox_jobs_dead_lettered_total", { kind: job.kind, reason: "final_error" });
        log.error({ detail: outcome.detail }, "outbox job failed; it is in the dead-letter list");
      }
      return lost(result);
    }
    case "retry": {
      const decision = planRetry({
        attempt: attemptNumber,
        firstAttemptAt: job.createdAt,
        now,
        random: w.random,
        policy: w.retryPolicy,
      });
      if (decision.kind === "give_up") {
        const detail = `gave up after ${describeWindow(w.retryPolicy)}: ${outcome.detail}`;
        const result = await w.repository.fail({ ...ids, attempt: attempt("failed", detail) });
        if (result === "applied") {
          w.counters?.increment("outbox_jobs_dead_lettered_total", { kind: job.kind, reason: "gave_up" });
          log.error({ detail }, "outbox job gave up; it is in the dead-letter list");
        }
        return lost(result);
      }
      const result = await w.repository.reschedule({ ...ids, nextAttemptAt: decision.at, attempt: attempt("retry", outcome.detail) });
      if (result === "applied") log.warn({ detail: outcome.detail, nextAttemptAt: decision.at.toISOString() }, "outbox job will be retried");
      return lost(result);
    }
    default:
      return assertUnreachable(outcome);
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
