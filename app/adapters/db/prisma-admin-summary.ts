import type { Currency } from "../../domain/money";
import type { AdminSummaryReader, DaySummary } from "../../ports/admin-read-models";
import type { Db } from "./database";
import { storedCurrency } from "./stored-currency";

/**
 * Counts and totals for the panel's "today" card, computed in the database for one shop: the checkouts
 * started that day, by where each is now. The buckets partition them (paid + pending + expired + other
 * = started), so the card always adds up.
 */

export class PrismaAdminSummary implements AdminSummaryReader {
  constructor(private readonly db: Db) {}

  /** `start` inclusive, `end` exclusive: one calendar day in the shop's time zone. */
  async day(shopId: string, start: Date, end: Date): Promise<DaySummary> {
    const startedToday = { shopId, createdAt: { gte: start, lt: end } };
    const rows = await this.db.paymentSession.groupBy({
      by: ["state", "currency"],
      where: startedToday,
      _count: { _all: true },
      _sum: { amountMinor: true, paidAmountMinor: true },
    });
    const summary: DaySummary = { started: 0, paid: 0, pending: 0, expired: 0, other: 0, totals: [] };
    const totals = new Map<Currency, { currency: Currency; paidMinor: number; pendingMinor: number }>();
    for (const row of rows) {
      const n = row._count._all;
      summary.started += n;
      if (row.state === "paid" || row.state === "expired") summary[row.state] += n;
      else if (row.state === "pending" || row.state === "awaiting_phone") summary.pending += n;
      else summary.other += n;
      const currency = storedCurrency(row.currency, "PaymentSession");
      const entry = totals.get(currency) ?? { currency, paidMinor: 0, pendingMinor: 0 };
      totals.set(currency, entry);
      // What PagoEfectivo reported as paid (a paid session always records it), not the ordered amount.
      if (row.state === "paid") entry.paidMinor += row._sum.paidAmountMinor ?? 0;
      if (row.state === "pending" || row.state === "awaiting_phone") entry.pendingMinor += row._sum.amountMinor ?? 0;
    }
    summary.totals = [...totals.values()].filter((t) => t.paidMinor > 0 || t.pendingMinor > 0).sort((a, b) => a.currency.localeCompare(b.currency));
    return summary;
  }
}
