import { type Clock, systemClock } from "../../app/lib/clock";
import type {
  DeliveryAttemptRecord,
  NewOutboxJob,
  OutboxJob,
  OutboxJobKind,
  OutboxJobStatus,
  OutboxRepository,
  RecordResult,
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
  history: StoredAttempt[];
}

/** A recorded attempt, with the worker that made it and whether it still held the lease. */
export interface StoredAttempt extends DeliveryAttemptRecord {
  readonly workerId: string;
  readonly leaseLost: boolean;
}

/**
 * An OutboxRepository with the semantics the SQL implementations have: a claimed job is invisible to
 * other claims until its lease passes (like `FOR UPDATE SKIP LOCKED` plus a lease column), and
 * complete / reschedule / fail are conditional updates (`WHERE lease_owner = $worker AND status =
 * 'pending'`), so a worker that lost its lease changes nothing. Each method's work happens in one
 * synchronous step, which is what a single statement or transaction gives a database.
 *
 * Like the SQL version, a late write from the current lease holder is accepted even after the lease
 * time has passed, as long as nobody else claimed the job meanwhile; a write from a worker that lost
 * the lease changes nothing but its attempt, which is recorded (marked `leaseLost`). The lease is
 * measured on the repository's clock, as the SQL version measures it on the database's.
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

  async claimDue(params: { now: Date; limit: number; leaseMs: number; workerId: string }): Promise<OutboxJob[]> {
    const now = params.now.getTime();
    const dbNow = this.clock.now().getTime();
    const due = [...this.rows.values()]
      .filter(
        (row) =>
          row.status === "pending" &&
          row.nextAttemptAt.getTime() <= now &&
          (row.leaseUntil === null || row.leaseUntil.getTime() <= dbNow),
      )
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.seq - b.seq)
      .slice(0, Math.max(0, params.limit));
    for (const row of due) {
      if (row.leaseOwner !== null) {
        row.history.push({ at: new Date(params.now.getTime()), outcome: "interrupted", detail: "interrupted", workerId: row.leaseOwner, leaseLost: true });
      }
      row.leaseOwner = params.workerId;
      row.leaseUntil = new Date(dbNow + params.leaseMs);
      row.claims += 1;
    }
    return due.map(toJob);
  }

  async complete(params: { jobId: string; workerId: string; attempt: DeliveryAttemptRecord }): Promise<RecordResult> {
    return this.finish(params.jobId, params.workerId, params.attempt, (row) => {
      row.status = "done";
    });
  }

  async reschedule(params: {
    jobId: string;
    workerId: string;
    nextAttemptAt: Date;
    attempt: DeliveryAttemptRecord;
  }): Promise<RecordResult> {
    return this.finish(params.jobId, params.workerId, params.attempt, (row) => {
      row.nextAttemptAt = new Date(params.nextAttemptAt.getTime());
    });
  }

  async fail(params: { jobId: string; workerId: string; attempt: DeliveryAttemptRecord }): Promise<RecordResult> {
    return this.finish(params.jobId, params.workerId, params.attempt, (row) => {
      row.status = "failed";
    });
  }

  async release(params: { workerId: string; jobIds: readonly string[] }): Promise<number> {
    let released = 0;
    for (const id of params.jobIds) {
      const row = this.heldBy(id, params.workerId);
      if (!row) continue;
      row.leaseOwner = null;
      row.leaseUntil = null;
      released += 1;
    }
    return released;
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
    return (this.rows.get(jobId)?.history ?? []).filter((a) => !a.leaseLost).map((a) => ({ at: new Date(a.at.getTime()), outcome: a.outcome, detail: a.detail }));
  }

  /** Every recorded attempt of one job, those made after the lease was lost included. */
  allAttempts(jobId: string): StoredAttempt[] {
    return (this.rows.get(jobId)?.history ?? []).map((a) => ({ ...a, at: new Date(a.at.getTime()) }));
  }

  private heldBy(jobId: string, workerId: string): Row | undefined {
    const row = this.rows.get(jobId);
    return row && row.status === "pending" && row.leaseOwner === workerId ? row : undefined;
  }

  private finish(jobId: string, workerId: string, attempt: DeliveryAttemptRecord, apply: (row: Row) => void): RecordResult {
    const held = this.heldBy(jobId, workerId);
    const row = held ?? this.rows.get(jobId);
    if (!row) {
      return "lease_lost";
    }
    const recorded = { ...attempt, at: new Date(attempt.at.getTime()), workerId, leaseLost: !held };
    const stand = held ? -1 : row.history.findLastIndex((a) => a.workerId === workerId && a.outcome === "interrupted");
    // The late answer takes the interrupted record's place, at its own time (the database orders by time).
    if (stand >= 0) row.history.splice(stand, 1);
    row.history.push(recorded);
    if (!held) {
      return "lease_lost";
    }
    row.attempts += 1;
    row.leaseOwner = null;
    row.leaseUntil = null;
    apply(row);
    return "applied";
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
