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
  // PostgreSQL: grouped by the date (cheap per line) and formatted once per group; to_char on every line cost more
  // than the scan (246 ms against 93 ms for a month's 57,535 lines, bench/admin/RESULTS.md).
  const dayKey = bulk.engine === "postgresql" ? `CAST(${column} - interval '5 hours' AS date)` : `date(${column}, '-5 hours')`;
  const day = bulk.engine === "postgresql" ? `to_char(${dayKey}, 'YYYY-MM-DD')` : dayKey;
  type Row = { day: string | null; channel: string | null; currency: string; n: unknown; gross: unknown; commission: unknown; net: unknown; without: unknown };
  const sql = `SELECT ${day} AS "day", "channel", "currency", COUNT(*) AS "n", SUM("amountMinor") AS "gross",
            SUM(COALESCE("commissionMinor", 0)) AS "commission",
            SUM(COALESCE("netMinor", "amountMinor" - COALESCE("commissionMinor", 0))) AS "net",
            SUM(CASE WHEN "commissionMinor" IS NULL THEN 1 ELSE 0 END) AS "without"
     FROM "SettlementLine" WHERE ${where.join(" AND ")}
     GROUP BY ${dayKey}, "channel", "currency" ORDER BY MIN("id")`;
  const rows =
    bulk.engine === "postgresql"
      ? // The planner has no statistics for the day expression, so it expects one group per line (57,447 for 180) and,
        // with the default 4 MB work_mem, sorts every line on disk instead of hashing. For this statement only (SET
        // LOCAL ends with its transaction) the hash table may take up to 64 MB: what it really holds is one entry per
        // (day, channel, currency), a few hundred for a month.
        (await db.$transaction([db.$executeRawUnsafe(`SET LOCAL work_mem = '64MB'`), db.$queryRawUnsafe<Row[]>(sql, ...params)]))[1]
      : await db.$queryRawUnsafe<Row[]>(sql, ...params);
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
