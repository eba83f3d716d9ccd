import { randomUUID } from "node:crypto";

import type { DatabaseEngine } from "../../config/env";
import { type DeliveryAttemptRecord, OUTBOX_JOB_KINDS, type OutboxJob, type OutboxJobKind, type OutboxRepository } from "../../ports/outbox";
import type { Db } from "./database";

type JobRow = NonNullable<Awaited<ReturnType<Db["outboxJob"]["findUnique"]>>>;

/**
 * The outbox in the app's own database. Claiming takes a lease: on PostgreSQL with
 * `FOR UPDATE SKIP LOCKED`, so instances never wait on each other; on SQLite (one writer) with a
 * compare-and-set per job. Completion is accepted only from the worker that holds the lease.
 */
export class PrismaOutboxRepository implements OutboxRepository {
  constructor(
    private readonly db: Db,
    private readonly engine: DatabaseEngine,
  ) {}

  async claimDue(params: { now: Date; limit: number; leaseUntil: Date; workerId: string }): Promise<OutboxJob[]> {
    const { now, limit, leaseUntil, workerId } = params;
    if (this.engine === "postgresql") {
      const rows = await this.db.$queryRawUnsafe<JobRow[]>(
        `UPDATE "OutboxJob" SET "leaseUntil" = $1, "lockedBy" = $2
         WHERE id IN (
           SELECT id FROM "OutboxJob"
           WHERE status = 'pending' AND "nextAttemptAt" <= $3 AND ("leaseUntil" IS NULL OR "leaseUntil" < $3)
           ORDER BY "nextAttemptAt" ASC
           LIMIT $4
           FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        leaseUntil,
        workerId,
        now,
        limit,
      );
      return rows.map(toJob).sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime());
    }
    const due = await this.db.outboxJob.findMany({
      where: { status: "pending", nextAttemptAt: { lte: now }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
      orderBy: { nextAttemptAt: "asc" },
      take: limit,
    });
    const claimed: OutboxJob[] = [];
    for (const row of due) {
      const { count } = await this.db.outboxJob.updateMany({
        where: { id: row.id, status: "pending", OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
        data: { leaseUntil, lockedBy: workerId },
      });
      if (count === 1) claimed.push(toJob(row));
    }
    return claimed;
  }

  async complete(params: { jobId: string; workerId: string; attempt: DeliveryAttemptRecord }): Promise<void> {
    await this.finish(params.jobId, params.workerId, params.attempt, {
      status: "done",
      completedAt: params.attempt.at,
      leaseUntil: null,
      lockedBy: null,
    });
  }

  async reschedule(params: { jobId: string; workerId: string; nextAttemptAt: Date; attempt: DeliveryAttemptRecord }): Promise<void> {
    await this.finish(params.jobId, params.workerId, params.attempt, {
      nextAttemptAt: params.nextAttemptAt,
      lastError: params.attempt.detail,
      leaseUntil: null,
      lockedBy: null,
    });
  }

  async fail(params: { jobId: string; workerId: string; attempt: DeliveryAttemptRecord }): Promise<void> {
    await this.finish(params.jobId, params.workerId, params.attempt, {
      status: "failed",
      completedAt: params.attempt.at,
      lastError: params.attempt.detail,
      leaseUntil: null,
      lockedBy: null,
    });
  }

  private async finish(
    jobId: string,
    workerId: string,
    attempt: DeliveryAttemptRecord,
    data: { status?: string; completedAt?: Date; nextAttemptAt?: Date; lastError?: string; leaseUntil: null; lockedBy: null },
  ): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const { count } = await tx.outboxJob.updateMany({
        where: { id: jobId, lockedBy: workerId, status: "pending" },
        data: { ...data, attempts: { increment: 1 } },
      });
      if (count !== 1) return; // the lease ran out and another worker owns the job now
      const job = await tx.outboxJob.findUniqueOrThrow({ where: { id: jobId } });
      await tx.deliveryAttempt.create({
        data: {
          id: randomUUID(),
          jobId,
          paymentSessionId: job.paymentSessionId,
          refundSessionId: job.refundSessionId,
          at: attempt.at,
          outcome: attempt.outcome,
          detail: attempt.detail.slice(0, 2000),
        },
      });
    });
  }
}

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
