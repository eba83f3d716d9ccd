import { describeWindow, planRetry, type RetryPolicy } from "../domain/retry-policy";
import { assertUnreachable } from "../lib/assert-unreachable";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import type { CounterSink } from "../ports/counters";
import type { DeliveryAttemptRecord, JobHandler, JobOutcome, OutboxJob, OutboxJobKind, OutboxRepository, RecordResult } from "../ports/outbox";

/** Runs a job's handler; a missing handler fails the job, a throw or a malformed outcome (bugs) retries it. */
export async function runJobHandler(handlers: Partial<Record<OutboxJobKind, JobHandler>>, job: OutboxJob, log: Logger): Promise<JobOutcome> {
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
