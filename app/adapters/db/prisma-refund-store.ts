import { allowedRefundSourcesFor, type RefundMove, refundStateAfter } from "../../domain/refund-session";
import type { NewOutboxJob } from "../../ports/outbox";
import type { TimelineEvent } from "../../ports/payment-store";
import type { NewRefundSession, RefundSessionRecord, RefundState, RefundStore } from "../../ports/refund-store";
import type { Db } from "./database";
import { isUniqueViolation } from "./prisma-errors";
import { insertEvents, insertJobs } from "./prisma-payment-writes";
import { storedCurrency } from "./stored-currency";

type RefundRow = NonNullable<Awaited<ReturnType<Db["refundSession"]["findUnique"]>>>;

export class PrismaRefundStore implements RefundStore {
  constructor(private readonly db: Db) {}

  async getOrCreate(refund: NewRefundSession, event: TimelineEvent): Promise<{ refund: RefundSessionRecord; created: boolean }> {
    const existing = await this.find(refund.id);
    if (existing) return { refund: existing, created: false };
    try {
      const row = await this.db.$transaction(async (tx) => {
        const created = await tx.refundSession.create({ data: { ...refund, updatedAt: refund.createdAt } });
        await insertEvents(tx, refund.paymentSessionId, refund.shopId, [event]);
        return created;
      });
      return { refund: toRefund(row), created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.find(refund.id);
      if (!winner) throw error;
      return { refund: winner, created: false };
    }
  }

  async find(id: string): Promise<RefundSessionRecord | null> {
    const row = await this.db.refundSession.findUnique({ where: { id } });
    return row ? toRefund(row) : null;
  }

  async listForShop(shopId: string, filter: { state?: RefundState; limit: number; offset: number }) {
    const where = { shopId, ...(filter.state ? { state: filter.state } : {}) };
    const [rows, total] = await Promise.all([
      this.db.refundSession.findMany({ where, orderBy: { createdAt: "asc" }, take: filter.limit, skip: filter.offset }),
      this.db.refundSession.count({ where }),
    ]);
    return { items: rows.map(toRefund), total };
  }

  async refundedOrPendingMinor(paymentSessionId: string, exceptRefundId: string): Promise<number> {
    const agg = await this.db.refundSession.aggregate({
      where: { paymentSessionId, state: { not: "rejected" }, id: { not: exceptRefundId } },
      _sum: { amountMinor: true },
    });
    return agg._sum.amountMinor ?? 0;
  }

  async decide(params: {
    refundId: string;
    move: RefundMove;
    set: Partial<Pick<RefundSessionRecord, "method" | "reference" | "refundedOn" | "note" | "rejectReason" | "decidedAt" | "decidedBy">>;
    job: NewOutboxJob;
    event: TimelineEvent;
    now: Date;
  }): Promise<RefundSessionRecord | null> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.refundSession.updateMany({
        where: { id: params.refundId, state: { in: [...allowedRefundSourcesFor(params.move)] } },
        data: { ...params.set, state: refundStateAfter(params.move), updatedAt: params.now },
      });
      if (count !== 1) return null;
      const row = await tx.refundSession.findUniqueOrThrow({ where: { id: params.refundId } });
      await insertJobs(tx, [params.job], params.now, row.paymentSessionId);
      await insertEvents(tx, row.paymentSessionId, row.shopId, [params.event]);
      return toRefund(row);
    });
  }
}

function toRefund(row: RefundRow): RefundSessionRecord {
  return { ...row, currency: storedCurrency(row.currency, "RefundSession"), state: row.state as RefundState };
}

