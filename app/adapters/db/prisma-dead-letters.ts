import { randomUUID } from "node:crypto";

import type { DeadLetter, DeadLetterStore, ResendOutcome } from "../../ports/dead-letters";
import type { Db } from "./database";

const SELECT = {
  id: true,
  kind: true,
  paymentSessionId: true,
  refundSessionId: true,
  attempts: true,
  lastError: true,
  createdAt: true,
  completedAt: true,
} as const;

type Row = { id: string; kind: string; paymentSessionId: string | null; refundSessionId: string | null; attempts: number; lastError: string | null; createdAt: Date; completedAt: Date | null };

/** Dead letters are the outbox's failed jobs (status "failed"); resending makes one pending again. */
export class PrismaDeadLetters implements DeadLetterStore {
  constructor(private readonly db: Db) {}

  async list(shopId: string, page: { skip: number; take: number }): Promise<{ items: DeadLetter[]; total: number }> {
    const where = { shopId, status: "failed" };
    const [rows, total] = await Promise.all([
      this.db.outboxJob.findMany({ where, orderBy: [{ completedAt: "desc" }, { id: "asc" }], skip: page.skip, take: page.take, select: SELECT }),
      this.db.outboxJob.count({ where }),
    ]);
    return { items: rows.map(toDeadLetter), total };
  }

  async resend(shopId: string, id: string, params: { now: Date; by: string }): Promise<ResendOutcome> {
    return this.db.$transaction(async (tx) => {
      const before = await tx.outboxJob.findFirst({ where: { id, shopId }, select: SELECT });
      if (!before) return { result: "not_found" } as const;
      // The createdAt is the start of the delivery window (retry-policy.ts): a resent job gets a new one.
      const { count } = await tx.outboxJob.updateMany({
        where: { id, shopId, status: "failed" },
        data: { status: "pending", attempts: 0, createdAt: params.now, nextAttemptAt: params.now, completedAt: null, leaseUntil: null, lockedBy: null },
      });
      if (count !== 1) return { result: "not_dead" } as const;
      await tx.deliveryAttempt.create({
        data: {
          id: randomUUID(),
          jobId: id,
          paymentSessionId: before.paymentSessionId,
          refundSessionId: before.refundSessionId,
          at: params.now,
          outcome: "retry",
          detail: `resent by ${params.by} after ${before.attempts} attempt(s); last error: ${before.lastError ?? "none"}`.slice(0, 2000),
        },
      });
      const after = await tx.outboxJob.findUniqueOrThrow({ where: { id }, select: SELECT });
      return { result: "resent", job: toDeadLetter(after) } as const;
    });
  }
}

function toDeadLetter(row: Row): DeadLetter {
  return {
    id: row.id,
    kind: row.kind,
    paymentSessionId: row.paymentSessionId,
    refundSessionId: row.refundSessionId,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: new Date(row.createdAt),
    failedAt: row.completedAt ? new Date(row.completedAt) : null,
  };
}
