import { type Clock, systemClock } from "../../app/lib/clock";
import type {
  DeliveryAttemptRecord,
  NewOutboxJob,
  OutboxJob,
  OutboxJobKind,
  OutboxJobStatus,
  OutboxRepository,
} from "../../app/ports/outbox";

/** Everything the fake stores about a job, for assertions. */
export interface StoredOutboxJob extends OutboxJob {
  readonly dedupeKey: string;
  readonly status: OutboxJobStatus;
  readonly leaseOwner: string | null;
  readonly leaseUntil: Date | null;
  /** Times the job was claimed, including claims whose lease then ran out. */
  readonly claims: number;
}

interface Row {
  id: string;
  seq: number;
  kind: OutboxJobKind;
  shopId: string;
  payload: unknown;
  dedupeKey: string;
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date;
  status: OutboxJobStatus;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  claims: number;
  history: DeliveryAttemptRecord[];
}

/**
 * An OutboxRepository with the semantics the SQL implementations have: a claimed job is invisible to
 * other claims until its lease passes (like `FOR UPDATE SKIP LOCKED` plus a lease column), and
 * complete / reschedule / fail are conditional updates (`WHERE lease_owner = $worker AND status =
 * 'pending'`), so a worker that lost its lease changes nothing. Each method's work happens in one
 * synchronous step, which is what a single statement or transaction gives a database.
 *
 * Like the SQL version, a late write from the current lease holder is accepted even after the lease
 * time has passed, as long as nobody else claimed the job meanwhile.
 */
export class InMemoryOutboxRepository implements OutboxRepository {
  private readonly rows = new Map<string, Row>();
  private readonly byDedupeKey = new Map<string, string>();
  private seq = 0;

  /** The clock stamps `createdAt` and the default `runAt` on enqueue. */
  constructor(private readonly clock: Clock = systemClock) {}

  /** Stores the job unless its dedupeKey exists; then the first job is kept and returned. */
  async enqueue(job: NewOutboxJob): Promise<{ job: OutboxJob; created: boolean }> {
    const existingId = this.byDedupeKey.get(job.dedupeKey);
    const existing = existingId === undefined ? undefined : this.rows.get(existingId);
    if (existing) {
      return { job: toJob(existing), created: false };
    }
    const now = this.clock.now();
    this.seq += 1;
    const row: Row = {
      id: `job_${String(this.seq).padStart(6, "0")}`,
      seq: this.seq,
      kind: job.kind,
      shopId: job.shopId,
      payload: structuredClone(job.payload),
      dedupeKey: job.dedupeKey,
      attempts: 0,
      createdAt: now,
      nextAttemptAt: new Date((job.runAt ?? now).getTime()),
      status: "pending",
      leaseOwner: null,
      leaseUntil: null,
      claims: 0,
      history: [],
    };
    this.rows.set(row.id, row);
    this.byDedupeKey.set(row.dedupeKey, row.id);
    return { job: toJob(row), created: true };
  }

  async claimDue(params: { now: Date; limit: number; leaseUntil: Date; workerId: string }): Promise<OutboxJob[]> {
    const now = params.now.getTime();
    const due = [...this.rows.values()]
      .filter(
        (row) =>
          row.status === "pending" &&
          row.nextAttemptAt.getTime() <= now &&
          (row.leaseUntil === null || row.leaseUntil.getTime() <= now),
      )
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.seq - b.seq)
      .slice(0, Math.max(0, params.limit));
    for (const row of due) {
      row.leaseOwner = params.workerId;
      row.leaseUntil = new Date(params.leaseUntil.getTime());
      row.claims += 1;
    }
    return due.map(toJob);
  }

  async complete(params: { jobId: string; workerId: string; attempt: DeliveryAttemptRecord }): Promise<void> {
    const row = this.heldBy(params.jobId, params.workerId);
    if (!row) {
      return;
    }
    this.recordAttempt(row, params.attempt);
    row.status = "done";
  }

  async reschedule(params: {
    jobId: string;
    workerId: string;
    nextAttemptAt: Date;
    attempt: DeliveryAttemptRecord;
  }): Promise<void> {
    const row = this.heldBy(params.jobId, params.workerId);
    if (!row) {
      return;
    }
    this.recordAttempt(row, params.attempt);
    row.nextAttemptAt = new Date(params.nextAttemptAt.getTime());
  }

  async fail(params: { jobId: string; workerId: string; attempt: DeliveryAttemptRecord }): Promise<void> {
    const row = this.heldBy(params.jobId, params.workerId);
    if (!row) {
      return;
    }
    this.recordAttempt(row, params.attempt);
    row.status = "failed";
  }

  /** Every job, oldest first. */
  jobs(): StoredOutboxJob[] {
    return [...this.rows.values()].sort((a, b) => a.seq - b.seq).map(toStored);
  }

  job(jobId: string): StoredOutboxJob | undefined {
    const row = this.rows.get(jobId);
    return row ? toStored(row) : undefined;
  }

  /** The recorded attempts of one job, in order ([] for an unknown id). */
  attempts(jobId: string): DeliveryAttemptRecord[] {
    return (this.rows.get(jobId)?.history ?? []).map((a) => ({ ...a, at: new Date(a.at.getTime()) }));
  }

  private heldBy(jobId: string, workerId: string): Row | undefined {
    const row = this.rows.get(jobId);
    return row && row.status === "pending" && row.leaseOwner === workerId ? row : undefined;
  }

  private recordAttempt(row: Row, attempt: DeliveryAttemptRecord): void {
    row.history.push({ ...attempt, at: new Date(attempt.at.getTime()) });
    row.attempts += 1;
    row.leaseOwner = null;
    row.leaseUntil = null;
  }
}

function toJob(row: Row): OutboxJob {
  return {
    id: row.id,
    kind: row.kind,
    shopId: row.shopId,
    payload: structuredClone(row.payload),
    attempts: row.attempts,
    createdAt: new Date(row.createdAt.getTime()),
    nextAttemptAt: new Date(row.nextAttemptAt.getTime()),
  };
}

function toStored(row: Row): StoredOutboxJob {
  return {
    ...toJob(row),
    dedupeKey: row.dedupeKey,
    status: row.status,
    leaseOwner: row.leaseOwner,
    leaseUntil: row.leaseUntil ? new Date(row.leaseUntil.getTime()) : null,
    claims: row.claims,
  };
}
