import type { Prisma } from "../../../prisma/generated/sqlite/client";
import type { OrderLinkCandidate, OrderLinkStore } from "../../ports/order-links";
import type { Db } from "./database";

/** Order statuses that may still change because the payment is not reflected yet. */
const UNSETTLED_STATUSES = ["pending", "PENDING", "authorized", "AUTHORIZED", "partially_paid", "PARTIALLY_PAID"];

/** Which paid sessions still need their Shopify order linked or refreshed, and storing the link. */
export class PrismaOrderLinks implements OrderLinkStore {
  constructor(private readonly db: Db) {}

  async candidates(shopId: string, params: { since: Date; limit: number }): Promise<OrderLinkCandidate[]> {
    // Sessions PagoEfectivo notified as paid but that were not marked paid (flagged) count as paid too.
    const notified = await this.db.pagoEfectivoNotification.findMany({
      where: { shopId, signatureValid: true, eventType: "cip.paid", paymentSessionId: { not: null }, receivedAt: { gte: params.since } },
      distinct: ["paymentSessionId"],
      select: { paymentSessionId: true },
      take: 5_000,
    });
    const notifiedIds = notified.map((n) => n.paymentSessionId).filter((id): id is string => id !== null);
    const paid: Prisma.PaymentSessionWhereInput[] = [{ paidAt: { not: null, gte: params.since } }];
    if (notifiedIds.length > 0) paid.push({ id: { in: notifiedIds.slice(0, 900) } });
    const rows = await this.db.paymentSession.findMany({
      where: {
        shopId,
        AND: [{ OR: paid }, { OR: [{ orderId: null }, { orderFinancialStatus: null }, { orderFinancialStatus: { in: UNSETTLED_STATUSES } }] }],
      },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: params.limit,
      select: { id: true, orderId: true, orderName: true, orderFinancialStatus: true },
    });
    return rows;
  }

  async link(shopId: string, sessionId: string, order: { id: string; name: string; financialStatus: string | null }): Promise<boolean> {
    const { count } = await this.db.paymentSession.updateMany({
      where: { id: sessionId, shopId },
      data: { orderId: order.id, orderName: order.name, ...(order.financialStatus ? { orderFinancialStatus: order.financialStatus } : {}) },
    });
    return count === 1;
  }
}
