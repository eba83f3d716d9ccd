import type { ReportLineGroup } from "../../domain/settlement/settlement-report";
import type { Db } from "./database";
import type { BulkSql } from "./prisma-settlement-bulk-sql";
import type { LineReportFilter } from "./prisma-settlement-line-rows";
import { storedCurrency } from "./stored-currency";

/**
 * The report's lines summed per Lima day (the basis date minus five hours: Lima has no daylight saving),
 * channel as spelled and currency, in one grouped query on the (shopId, date) index; groups come in order
 * of their first line, as reportPages reads lines, so a channel keeps its first spelling.
 */
export async function computeReportGroups(db: Db, bulk: BulkSql, shopId: string, filter: LineReportFilter): Promise<ReportLineGroup[]> {
  const column = filter.basis === "payout" ? `"payoutDate"` : `"paymentDate"`;
  const params: unknown[] = [shopId];
  const where = [`"shopId" = ${bulk.param(1)}`];
  if (filter.from) {
    params.push(filter.from.toISOString());
    where.push(`${column} >= ${timestampParam(bulk, params.length)}`);
  }
  if (filter.to) {
    params.push(filter.to.toISOString());
    where.push(`${column} <= ${timestampParam(bulk, params.length)}`);
  }
  if (filter.currency) {
    params.push(filter.currency);
    where.push(`"currency" = ${bulk.param(params.length)}`);
  }
  const day = bulk.engine === "postgresql" ? `to_char(${column} - interval '5 hours', 'YYYY-MM-DD')` : `date(${column}, '-5 hours')`;
  const rows = await db.$queryRawUnsafe<
    { day: string | null; channel: string | null; currency: string; n: unknown; gross: unknown; commission: unknown; net: unknown; without: unknown }[]
  >(
    `SELECT ${day} AS "day", "channel", "currency", COUNT(*) AS "n", SUM("amountMinor") AS "gross",
            SUM(COALESCE("commissionMinor", 0)) AS "commission",
            SUM(COALESCE("netMinor", "amountMinor" - COALESCE("commissionMinor", 0))) AS "net",
            SUM(CASE WHEN "commissionMinor" IS NULL THEN 1 ELSE 0 END) AS "without"
     FROM "SettlementLine" WHERE ${where.join(" AND ")}
     GROUP BY 1, "channel", "currency" ORDER BY MIN("id")`,
    ...params,
  );
  return rows.map((r) => ({
    limaDay: r.day === null ? null : Math.round(Date.parse(`${r.day}T00:00:00Z`) / 86_400_000),
    channel: r.channel,
    currency: storedCurrency(r.currency, "SettlementLine"),
    count: Number(r.n),
    grossMinor: Number(r.gross),
    commissionMinor: Number(r.commission),
    netMinor: Number(r.net),
    linesWithoutCommission: Number(r.without),
  }));
}

/** SQLite keeps DateTime as ISO text, so a text parameter compares correctly; PostgreSQL needs a cast. */
export function timestampParam(bulk: BulkSql, index: number): string {
  return bulk.engine === "postgresql" ? `$${index}::timestamp(3)` : "?";
}
