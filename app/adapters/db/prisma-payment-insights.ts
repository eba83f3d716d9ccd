import type { InsightSession } from "../../domain/insights/payment-insights";
import type { PaymentInsightsSource } from "../../ports/payment-insights";
import type { Db } from "./database";
import { storedCurrency } from "./stored-currency";

const PAGE = 2_000;

/**
 * The sessions of a period for the payments insight report, on the (shopId, createdAt) index, with the
 * channel of the imported settlement line for each paid CIP (CIPs are the shop's own; one query per page).
 */
export class PrismaPaymentInsights implements PaymentInsightsSource {
  constructor(private readonly db: Db) {}

  async *sessionPages(shopId: string, from: Date, to: Date): AsyncIterable<readonly InsightSession[]> {
    let cursor: string | null = null;
    for (;;) {
      const rows: {
        id: string;
        cip: string | null;
        state: string;
        currency: string;
        paidCurrency: string | null;
        paidAmountMinor: number | null;
        cipIssuedAt: Date | null;
        cipExpiresAt: Date | null;
        paidAt: Date | null;
        channel: string | null;
      }[] = await this.db.paymentSession.findMany({
        where: { shopId, createdAt: { gte: from, lte: to } },
        orderBy: { id: "asc" },
        take: PAGE,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
        select: { id: true, cip: true, state: true, currency: true, paidCurrency: true, paidAmountMinor: true, cipIssuedAt: true, cipExpiresAt: true, paidAt: true, channel: true },
      });
      if (rows.length === 0) return;
      const paidCips = rows.flatMap((row) => (row.paidAt && row.cip ? [row.cip] : []));
      const lineChannels = new Map<string, string>();
      if (paidCips.length > 0) {
        const lines = await this.db.settlementLine.findMany({
          where: { shopId, cip: { in: paidCips }, channel: { not: null } },
          orderBy: [{ importId: "asc" }, { lineNumber: "asc" }],
          select: { cip: true, channel: true },
        });
        for (const line of lines) if (line.channel?.trim() && !lineChannels.has(line.cip)) lineChannels.set(line.cip, line.channel.trim());
      }
      yield rows.map((row) => ({
        state: row.state,
        issuedAt: row.cipIssuedAt,
        expiresAt: row.cipExpiresAt,
        paidAt: row.paidAt,
        paidAmountMinor: row.paidAt ? (row.paidAmountMinor ?? null) : null,
        currency: storedCurrency(row.paidCurrency ?? row.currency, "PaymentSession"),
        channel: (row.cip ? lineChannels.get(row.cip) : undefined) ?? (row.channel?.trim() || null),
      }));
      if (rows.length < PAGE) return;
      cursor = rows[rows.length - 1]?.id ?? null;
    }
  }
}
