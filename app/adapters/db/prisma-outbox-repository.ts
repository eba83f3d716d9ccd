import { randomUUID } from "node:crypto";

import type { DatabaseEngine } from "../../config/env";
import { type DeliveryAttemptRecord, OUTBOX_JOB_KINDS, type OutboxJob, type OutboxJobKind, type OutboxRepository, type RecordResult } from "../../ports/outbox";
import type { Db } from "./database";

type JobRow = NonNullable<Awaited<ReturnType<Db["outboxJob"]["findUnique"]>>>;

/**
 * The outbox in the app's own database. Claiming takes a lease measured on the database's clock:
 * on PostgreSQL with `FOR UPDATE SKIP LOCKED` and `now()`, so instances never wait on each other
 * and never disagree about whose lease has run out (each instance's own clock may drift, and in
 * sandbox mode it can be moved on purpose); on SQLite (one process, see sqlite-instance-lock.ts)
 * with a compare-and-set per job and the process clock, which is the database's clock there.
 * A job's state changes only for the worker that holds the lease; every attempt is recorded anyway,
 * with the instance that made it, so the timeline counts every call to the other system.
 */
export class PrismaOutboxRepository implements OutboxRepository {
  constructor(
    private readonly db: Db,
    private readonly engine: DatabaseEngine,
  ) {}

  async claimDue(params: { now: Date; limit: number; leaseMs: number; workerId: string }): Promise<OutboxJob[]> {
    const { now, limit, leaseMs, workerId } = params;
    if (this.engine === "postgresql") {
      // The columns are UTC timestamps without a zone, so the database clock is read in UTC.
      // One statement: the claim and, for a job whose holder stopped, the attempt recorded in that holder's name.
      const rows = await this.db.$queryRawUnsafe<JobRow[]>(
        `WITH due AS (
           SELECT id, "lockedBy" AS "previousHolder" FROM "OutboxJob"
           WHERE status = 'pending' AND "nextAttemptAt" <= $3 AND ("leaseUntil" IS NULL OR "leaseUntil" < (now() AT TIME ZONE 'UTC'))
           ORDER BY "nextAttemptAt" ASC
           LIMIT $4
           FOR UPDATE SKIP LOCKED),
         claimed AS (
           UPDATE "OutboxJob" j SET "leaseUntil" = (now() AT TIME ZONE 'UTC') + make_interval(secs => $1::double precision / 1000), "lockedBy" = $2
           FROM due WHERE j.id = due.id
           RETURNING j.*, due."previousHolder"),
         interrupted AS (
           INSERT INTO "DeliveryAttempt" (id, "jobId", "paymentSessionId", "refundSessionId", at, outcome, detail, "instanceId")
           SELECT gen_random_uuid()::text, id, "paymentSessionId", "refundSessionId", $5, 'interrupted', $6, "previousHolder"
           FROM claimed WHERE "previousHolder" IS NOT NULL)
         SELECT * FROM claimed`,
        leaseMs,
        workerId,
        now,
        limit,
        now,
        INTERRUPTED_DETAIL,
      );
      return rows.map(toJob).sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime());
    }
    const dbNow = new Date();
    const leaseUntil = new Date(dbNow.getTime() + leaseMs);
    const due = await this.db.outboxJob.findMany({
      where: { status: "pending", nextAttemptAt: { lte: now }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: dbNow } }] },
      orderBy: { nextAttemptAt: "asc" },
      take: limit,
    });
    const claimed: OutboxJob[] = [];
    for (const row of due) {
      const { count } = await this.db.outboxJob.updateMany({
        where: { id: row.id, status: "pending", OR: [{ leaseUntil: null }, { leaseUntil: { lt: dbNow } }] },
        data: { leaseUntil, lockedBy: workerId },
      });
      if (count !== 1) continue;
      claimed.push(toJob(row));
      if (row.lockedBy !== null) await this.recordInterrupted(row, row.lockedBy, now);
    }
    return claimed;
  }

  /**
   * A job still locked when its lease ran out was held by an instance that stopped (killed, or stalled past the
   * lease) before it recorded an outcome: its call may have reached Shopify or PagoEfectivo. The attempt is
   * recorded in that instance's name, so the timeline counts every call that may have been made (at most one
   * per interrupted claim; a claim cut before its call is counted too: "may have").
   */
  private async recordInterrupted(row: JobRow, holder: string, at: Date): Promise<void> {
    await this.db.deliveryAttempt.create({
      data: {
        id: randomUUID(),
        jobId: row.id,
        paymentSessionId: row.paymentSessionId,
        refundSessionId: row.refundSessionId,
        at,
        outcome: "interrupted",
        detail: INTERRUPTED_DETAIL,
        instanceId: holder,
      },
    });
  }

  async complete(params: { jobId: string; workerId: string; attempt: DeliveryAttemptRecord }): Promise<RecordResult> {
    return this.finish(params.jobId, params.workerId, params.attempt, {
      status: "done",
      completedAt: params.attempt.at,
      leaseUntil: null,
      lockedBy: null,
    });
  }

  async reschedule(params: { jobId: string; workerId: string; nextAttemptAt: Date; attempt: DeliveryAttemptRecord }): Promise<RecordResult> {
    return this.finish(params.jobId, params.workerId, params.attempt, {
      nextAttemptAt: params.nextAttemptAt,
      lastError: params.attempt.detail,
      leaseUntil: null,
      lockedBy: null,
    });
  }

  async fail(params: { jobId: string; workerId: string; attempt: DeliveryAttemptRecord }): Promise<RecordResult> {
    return this.finish(params.jobId, params.workerId, params.attempt, {
      status: "failed",
      completedAt: params.attempt.at,
      lastError: params.attempt.detail,
      leaseUntil: null,
      lockedBy: null,
    });
  }

  async release(params: { workerId: string; jobIds: readonly string[] }): Promise<number> {
    if (params.jobIds.length === 0) return 0;
    const { count } = await this.db.outboxJob.updateMany({
      where: { id: { in: [...params.jobIds] }, lockedBy: params.workerId, status: "pending" },
      data: { leaseUntil: null, lockedBy: null },
    });
    return count;
  }

  private async finish(
    jobId: string,
    workerId: string,
    attempt: DeliveryAttemptRecord,
    data: { status?: string; completedAt?: Date; nextAttemptAt?: Date; lastError?: string; leaseUntil: null; lockedBy: null },
  ): Promise<RecordResult> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.outboxJob.updateMany({
        where: { id: jobId, lockedBy: workerId, status: "pending" },
        data: { ...data, attempts: { increment: 1 } },
      });
      // count 0: the lease ran out and another worker owns the job (or finished it). Its state is
      // theirs to change, but this attempt happened and is recorded all the same.
      const job = await tx.outboxJob.findUnique({ where: { id: jobId }, select: { paymentSessionId: true, refundSessionId: true } });
      if (!job) return "lease_lost";
      const leaseLost = count !== 1;
      await tx.deliveryAttempt.create({
        data: {
          id: randomUUID(),
          jobId,
          paymentSessionId: job.paymentSessionId,
          refundSessionId: job.refundSessionId,
          at: attempt.at,
          outcome: attempt.outcome,
          detail: `${leaseLost ? LEASE_LOST_PREFIX : ""}${attempt.detail}`.slice(0, 2000),
          instanceId: workerId,
        },
      });
      return leaseLost ? "lease_lost" : "applied";
    });
  }
}

/** The attempt of an instance that stopped while it held the job (see recordInterrupted). */
export const INTERRUPTED_DETAIL = "interrupted: the instance holding this job stopped before recording its outcome; its call may have been made";

/** Marks, on the timeline, an attempt made by a worker whose lease had run out. */
export const LEASE_LOST_PREFIX = "lease lost (another instance owns the job): ";

function toJob(row: JobRow): OutboxJob {
  if (!(OUTBOX_JOB_KINDS as readonly string[]).includes(row.kind)) throw new Error(`Unknown outbox job kind ${row.kind}`);
  return {
    id: row.id,
    kind: row.kind as OutboxJobKind,
    shopId: row.shopId,
    payload: JSON.parse(row.payloadJson) as unknown,
    attempts: row.attempts,
    createdAt: new Date(row.createdAt),
    nextAttemptAt: new Date(row.nextAttemptAt),
  };
}
