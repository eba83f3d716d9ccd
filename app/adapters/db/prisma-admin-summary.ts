import type { AdminSummaryReader, DaySummary } from "../../ports/admin-read-models";
import type { Db } from "./database";

/** Counts and totals for the panel's "today" card, computed in the database for one shop. */

export class PrismaAdminSummary implements AdminSummaryReader {
  constructor(private readonly db: Db) {}

  /** `start` inclusive, `end` exclusive: one calendar day in the shop's time zone. */
  async day(shopId: string, start: Date, end: Date): Promise<DaySummary> {
    const createdToday = { shopId, createdAt: { gte: start, lt: end } };
    const paidToday = { shopId, state: "paid", paidAt: { gte: start, lt: end } };
    const pendingNow = { shopId, state: "pending" };
    const [sessions, paid, pending, expired, paidTotals, pendingTotals] = await Promise.all([
      this.db.paymentSession.count({ where: createdToday }),
      this.db.paymentSession.count({ where: paidToday }),
      this.db.paymentSession.count({ where: pendingNow }),
      this.db.paymentSession.count({ where: { shopId, state: "expired", cipExpiresAt: { gte: start, lt: end } } }),
      this.db.paymentSession.groupBy({ by: ["currency"], where: paidToday, _sum: { paidAmountMinor: true } }),
      this.db.paymentSession.groupBy({ by: ["currency"], where: pendingNow, _sum: { amountMinor: true } }),
    ]);
    const totals = new Map<string, { currency: string; paidMinor: number; pendingMinor: number }>();
    const entry = (currency: string) => {
      const existing = totals.get(currency) ?? { currency, paidMinor: 0, pendingMinor: 0 };
      totals.set(currency, existing);
      return existing;
    };
    // What PagoEfectivo reported as paid (a paid session always records it), not the ordered amount.
    for (const row of paidTotals) entry(row.currency).paidMinor += row._sum.paidAmountMinor ?? 0;
    for (const row of pendingTotals) entry(row.currency).pendingMinor += row._sum.amountMinor ?? 0;
    return { sessions, paid, pending, expired, totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)) };
  }
}
