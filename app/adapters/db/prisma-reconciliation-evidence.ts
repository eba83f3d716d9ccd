import type { EvidenceRecords, EvidenceSource } from "../../ports/evidence-source";
import type { Db } from "./database";

const LIMIT = 500;

/** Everything stored about one payment, for its dispute evidence bundle; always scoped to the shop. */
export class PrismaEvidenceSource implements EvidenceSource {
  constructor(private readonly db: Db) {}

  async load(shopId: string, paymentSessionId: string): Promise<EvidenceRecords | null> {
    const payment = await this.db.paymentSession.findFirst({ where: { id: paymentSessionId, shopId } });
    if (!payment) return null;
    const byCip = payment.cip ? [{ cip: payment.cip }] : [];
    const [shop, notifications, events, jobs, refunds, exceptions, lines] = await Promise.all([
      this.db.shop.findUnique({ where: { id: shopId }, select: { domain: true, legalName: true, ruc: true } }),
      this.db.pagoEfectivoNotification.findMany({
        where: { shopId, OR: [{ paymentSessionId }, ...byCip] },
        orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
        take: LIMIT,
      }),
      this.db.paymentEvent.findMany({ where: { paymentSessionId, shopId }, orderBy: [{ at: "asc" }, { id: "asc" }], take: LIMIT }),
      this.db.outboxJob.findMany({
        where: { shopId, paymentSessionId },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: LIMIT,
        include: { attemptsLog: { orderBy: [{ at: "asc" }, { id: "asc" }], take: LIMIT } },
      }),
      this.db.refundSession.findMany({ where: { shopId, paymentSessionId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
      this.db.reconciliationException.findMany({
        where: { shopId, OR: [{ paymentSessionId }, ...byCip] },
        orderBy: [{ detectedAt: "asc" }, { id: "asc" }],
        take: LIMIT,
      }),
      payment.cip
        ? this.db.settlementLine.findMany({ where: { shopId, cip: payment.cip }, orderBy: [{ importId: "asc" }, { lineNumber: "asc" }], take: LIMIT })
        : Promise.resolve([]),
    ]);
    const importIds = [...new Set(lines.map((line) => line.importId))];
    const imports = importIds.length
      ? await this.db.settlementImport.findMany({ where: { shopId, id: { in: importIds } }, select: { id: true, fileName: true, fileHash: true, createdAt: true } })
      : [];
    return {
      shop: shop ?? { domain: "", legalName: null, ruc: null },
      payment,
      notifications,
      events,
      jobs,
      refunds,
      exceptions,
      lines,
      imports,
    };
  }
}
