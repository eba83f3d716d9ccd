import type { AdminRefundRow, AdminRefundsReader } from "../../ports/admin-read-models";
import type { RefundState } from "../../ports/refund-store";
import type { Db } from "./database";

/** The manual refunds queue as the admin panel lists it: one shop, with the payment's CIP and order. */

const SELECT = {
  id: true,
  paymentSessionId: true,
  amountMinor: true,
  currency: true,
  createdAt: true,
  state: true,
  method: true,
  reference: true,
  refundedOn: true,
  note: true,
  rejectReason: true,
  decidedAt: true,
  payment: { select: { cip: true, orderName: true, givenName: true, familyName: true, email: true, phone: true, phoneCountryCode: true } },
} as const;

type BuyerColumns = "cip" | "orderName" | "givenName" | "familyName" | "email" | "phone" | "phoneCountryCode";
type Selected = Omit<AdminRefundRow, BuyerColumns> & { payment: Pick<AdminRefundRow, BuyerColumns> };

export class PrismaAdminRefunds implements AdminRefundsReader {
  constructor(private readonly db: Db) {}

  /** Oldest first: the queue is worked from the longest-waiting refund. */
  async list(shopId: string, state: RefundState | null, page: { skip: number; take: number }): Promise<{ items: AdminRefundRow[]; total: number }> {
    const where = { shopId, ...(state ? { state } : {}) };
    const [rows, total] = await Promise.all([
      this.db.refundSession.findMany({ where, orderBy: [{ createdAt: "asc" }, { id: "asc" }], skip: page.skip, take: page.take, select: SELECT }),
      this.db.refundSession.count({ where }),
    ]);
    return { items: rows.map(flatten), total };
  }

  async find(shopId: string, id: string): Promise<AdminRefundRow | null> {
    const row = await this.db.refundSession.findFirst({ where: { id, shopId }, select: SELECT });
    return row ? flatten(row) : null;
  }
}

function flatten(row: Selected): AdminRefundRow {
  const { payment, ...refund } = row;
  return { ...refund, ...payment };
}
