import type { Currency } from "../../domain/money";
import type { ReportLineGroup } from "../../domain/settlement/settlement-report";
import type { ReportSourceLine, ReportSources, SamplePayment, UnsettledPayment } from "../../ports/settlement-report-sources";
import type { Db } from "./database";
import type { PrismaSettlementLines } from "./prisma-settlement-lines";
import { storedCurrency } from "./stored-currency";

const PAGE = 5_000;

/** Reads behind the settlement reports: stored lines by date, and paid payments no line covers yet. */
export class PrismaSettlementReports implements ReportSources {
  constructor(
    private readonly db: Db,
    private readonly lines: PrismaSettlementLines,
  ) {}

  linePages(
    shopId: string,
    filter: { basis: "payment" | "payout"; from: Date | null; to: Date | null; currency: Currency | null },
  ): AsyncIterable<readonly ReportSourceLine[]> {
    return this.lines.reportPages(shopId, filter);
  }

  lineGroups(
    shopId: string,
    filter: { basis: "payment" | "payout"; from: Date | null; to: Date | null; currency: Currency | null },
  ): Promise<readonly ReportLineGroup[]> {
    return this.lines.reportGroups(shopId, filter);
  }

  /** The shop's most recent paid payments (for the sandbox's sample settlement file). */
  async paidPayments(shopId: string, limit: number): Promise<SamplePayment[]> {
    const rows = await this.db.paymentSession.findMany({
      where: { shopId, paidAt: { not: null }, cip: { not: null } },
      orderBy: [{ paidAt: "desc" }, { id: "asc" }],
      take: limit,
      select: { cip: true, amountMinor: true, currency: true, paidAmountMinor: true, paidCurrency: true, paidAt: true, operationNumber: true, channel: true },
    });
    return rows.map((row) => ({
      cip: row.cip ?? "",
      amountMinor: row.paidAmountMinor ?? row.amountMinor,
      currency: storedCurrency(row.paidCurrency ?? row.currency, "PaymentSession"),
      paidAt: row.paidAt ?? new Date(0),
      operationNumber: row.operationNumber,
      channel: row.channel,
    }));
  }

  async unsettledPayments(shopId: string, since: Date): Promise<UnsettledPayment[]> {
    const unsettled: UnsettledPayment[] = [];
    let cursor: string | null = null;
    for (;;) {
      const rows: { id: string; cip: string | null; amountMinor: number; currency: string; paidAmountMinor: number | null; paidCurrency: string | null; paidAt: Date | null; channel: string | null }[] =
        await this.db.paymentSession.findMany({
          where: { shopId, paidAt: { gte: since }, cip: { not: null } },
          orderBy: { id: "asc" },
          take: PAGE,
          ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
          select: { id: true, cip: true, amountMinor: true, currency: true, paidAmountMinor: true, paidCurrency: true, paidAt: true, channel: true },
        });
      if (rows.length === 0) break;
      const settled = await this.lines.cipsWithLines(
        shopId,
        rows.map((row) => row.cip ?? ""),
      );
      for (const row of rows) {
        if (!row.cip || !row.paidAt || settled.has(row.cip)) continue;
        const currency = storedCurrency(row.paidCurrency ?? row.currency, "PaymentSession");
        unsettled.push({ cip: row.cip, amountMinor: row.paidAmountMinor ?? row.amountMinor, currency, paidAt: row.paidAt, channel: row.channel });
      }
      if (rows.length < PAGE) break;
      cursor = rows[rows.length - 1]?.id ?? null;
    }
    return unsettled;
  }
}
