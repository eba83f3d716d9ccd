import { randomUUID } from "node:crypto";

import type { Prisma } from "../../../prisma/generated/sqlite/client";
import { type AutomaticConfidence, isLinkConfidence } from "../../domain/order-link";
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
        AND: [
          { OR: paid },
          { OR: [{ orderId: null }, { orderFinancialStatus: null }, { orderFinancialStatus: { in: UNSETTLED_STATUSES } }] },
          // "No order" decided by the merchant stays so.
          { OR: [{ orderId: { not: null } }, { orderLinkConfidence: null }] },
        ],
      },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: params.limit,
      select: {
        id: true,
        gid: true,
        amountMinor: true,
        currency: true,
        test: true,
        email: true,
        createdAt: true,
        orderId: true,
        orderName: true,
        orderFinancialStatus: true,
        orderLinkConfidence: true,
      },
    });
    return rows.map((row) => ({ ...row, orderLinkConfidence: isLinkConfidence(row.orderLinkConfidence) ? row.orderLinkConfidence : null }));
  }

  async linkedOrderIds(shopId: string, orderIds: readonly string[]): Promise<Set<string>> {
    const linked = new Set<string>();
    for (let i = 0; i < orderIds.length; i += 500) {
      const rows = await this.db.paymentSession.findMany({
        where: { shopId, orderId: { in: orderIds.slice(i, i + 500) } },
        select: { orderId: true },
      });
      for (const row of rows) if (row.orderId) linked.add(row.orderId);
    }
    return linked;
  }

  async link(
    shopId: string,
    sessionId: string,
    order: { id: string; name: string; financialStatus: string | null },
    confidence: AutomaticConfidence | null,
    evidence: readonly string[],
  ): Promise<boolean> {
    const status = order.financialStatus ? { orderFinancialStatus: order.financialStatus } : {};
    if (confidence === null) {
      const { count } = await this.db.paymentSession.updateMany({
        where: { id: sessionId, shopId, orderId: order.id },
        data: { orderName: order.name, ...status },
      });
      return count === 1;
    }
    const at = new Date();
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.paymentSession.updateMany({
        where: { id: sessionId, shopId, orderId: null, orderLinkConfidence: null },
        data: { orderId: order.id, orderName: order.name, orderLinkConfidence: confidence, ...status },
      });
      if (count !== 1) return false;
      await tx.paymentEvent.create({
        data: {
          id: randomUUID(),
          paymentSessionId: sessionId,
          shopId,
          type: "order_linked",
          at,
          detailJson: JSON.stringify({ orderId: order.id, orderName: order.name, confidence, evidence, via: "admin_api" }),
        },
      });
      return true;
    });
  }
}
