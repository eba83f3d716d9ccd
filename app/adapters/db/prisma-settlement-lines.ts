import type { DatabaseEngine } from "../../config/env";
import type { SettlementLineStatus } from "../../domain/reconciliation/types";
import type { ReportLineGroup } from "../../domain/settlement/settlement-report";
import type { ReconciliationLine } from "../../ports/reconciliation";
import type { NewSettlementLine, SettlementLineWriter } from "../../ports/settlement-imports";
import type { Db } from "./database";
import { type BulkRow, BulkSql, type ColumnSpec } from "./prisma-settlement-bulk-sql";
import {
  INSERT_COLUMNS,
  type LineReportFilter,
  READ_COLUMNS,
  RECONCILE_COLUMNS,
  STATUS_BY_CODE,
  type StoredSettlementLine,
  toLine,
} from "./prisma-settlement-line-rows";
import { computeReportGroups, timestampParam } from "./prisma-settlement-report-groups";
import { type SqlDriver, SqliteDriver } from "./sql/sql-driver";
import { date } from "./sql/sql-rows";
import { insertSettlementLines, saveSettlementLineStatuses, settlementLineValues } from "./sql/sqlite-settlement-line-writes";
import { storedCurrency } from "./stored-currency";

/** Cached settlement reports (reportGroups); each is a few hundred groups at most for a month by day. */
const REPORT_CACHE_LIMIT = 200;

/**
 * Settlement lines: bulk insert with per-line idempotency (unique shop + line key, conflicts skipped),
 * paged reads in file order for reconciliation and reports, and status updates by line-number range.
 * Line ids are "<importId>:<line number, 9 digits>": unique, and in file order within an import.
 */
export class PrismaSettlementLines implements SettlementLineWriter {
  private readonly bulk: BulkSql;
  /** SQLite: the driver under Prisma, for the bulk writes (sql/sqlite-settlement-line-writes.ts). */
  private readonly sqlite: SqliteDriver | null;
  private readonly reportCache = new Map<string, { version: string; groups: Promise<ReportLineGroup[]> }>();

  /** `sqlite`: the driver under Prisma, for the bulk reads (see BulkSql). */
  constructor(
    private readonly db: Db,
    engine: DatabaseEngine,
    /**
     * The driver under Prisma: the report cache's version read (one per report request) and, on SQLite, the
     * bulk reads (see BulkSql). Without it Prisma does both.
     */
    private readonly driver: SqlDriver | null = null,
  ) {
    this.sqlite = driver instanceof SqliteDriver ? driver : null;
    this.bulk = new BulkSql(db, engine, this.sqlite);
  }

  static lineId(importId: string, lineNumber: number): string {
    return `${importId}:${String(lineNumber).padStart(9, "0")}`;
  }

  /**
   * Inserts new lines, skipping conflicts, and bumps the shop's lines version in the same transaction. On
   * SQLite one prepared INSERT per line through the driver; on PostgreSQL per row only the line's own values
   * travel (as JSON); the shop and import are parameters and the id is computed by the database.
   */
  async insertNew(shopId: string, importId: string, lines: readonly NewSettlementLine[]): Promise<number> {
    if (lines.length === 0) return 0;
    if (this.sqlite) return insertSettlementLines(this.sqlite, shopId, importId, lines);
    const rows: BulkRow[] = lines.map(settlementLineValues);
    const postgres = this.bulk.engine === "postgresql";
    const source = this.bulk.jsonSource(rows, 4);
    const f = (i: number, type: ColumnSpec["type"]) => this.bulk.field(i, type);
    const id = postgres ? `$1::text || ':' || lpad(${f(0, "int")}::text, 9, '0')` : `? || ':' || printf('%09d', ${f(0, "int")})`;
    const sql = `INSERT INTO "SettlementLine" (${INSERT_COLUMNS.map((c) => `"${c}"`).join(", ")})
      SELECT ${id}, ${postgres ? "$2" : "?"}, ${postgres ? "$3" : "?"}, ${f(0, "int")}, ${f(1, "text")}, ${f(2, "text")}, ${f(3, "int")}, ${f(4, "text")},
             ${f(5, "timestamp")}, ${f(6, "text")}, ${f(7, "int")}, ${f(8, "int")}, ${f(9, "timestamp")}, ${f(10, "text")}
      FROM ${source.sql} WHERE true ON CONFLICT DO NOTHING`;
    // The lines and the shop's version move in one transaction, so a cached report is never served over them.
    const [inserted] = await this.db.$transaction([
      this.db.$executeRawUnsafe(sql, importId, shopId, importId, ...source.params),
      this.db.$executeRawUnsafe(`UPDATE "Shop" SET "settlementLinesVersion" = "settlementLinesVersion" + 1 WHERE "id" = ${this.bulk.param(1)}`, shopId),
    ]);
    return Number(inserted);
  }

  /**
   * PostgreSQL: refreshes the lines table's planner statistics. Autovacuum's analyze comes minutes after a big
   * import; until then a million fresh lines are planned as if the table were empty, and reconciliation's
   * paged read (import, line number > n, LIMIT) became a bitmap scan and sort of the rest of the import per
   * page: 0.6 s a page, minutes per million lines (bench:reconcile --postgres). SQLite plans by the index.
   */
  async linesStored(): Promise<void> {
    if (this.bulk.engine === "postgresql") await this.db.$executeRawUnsafe(`ANALYZE "SettlementLine"`);
  }

  async ownersOf(shopId: string, keys: readonly string[]): Promise<Map<string, { importId: string; lineNumber: number }>> {
    const owners = new Map<string, { importId: string; lineNumber: number }>();
    if (keys.length === 0) return owners;
    const rows = await this.bulk.select(
      [
        { name: "lineKey", type: "text" },
        { name: "importId", type: "text" },
        { name: "lineNumber", type: "int" },
      ],
      `FROM "SettlementLine" WHERE "shopId" = ${this.bulk.param(1)} AND "lineKey" IN (${this.bulk.jsonSet(2)})`,
      [shopId, JSON.stringify([...new Set(keys)])],
    );
    for (const [key, importId, lineNumber] of rows) owners.set(String(key), { importId: String(importId), lineNumber: Number(lineNumber) });
    return owners;
  }

  async deleteImportLines(importId: string): Promise<number> {
    const [{ count }] = await this.db.$transaction([
      this.db.settlementLine.deleteMany({ where: { importId } }),
      this.db.$executeRawUnsafe(
        `UPDATE "Shop" SET "settlementLinesVersion" = "settlementLinesVersion" + 1 WHERE "id" IN (SELECT "shopId" FROM "SettlementImport" WHERE "id" = ${this.bulk.param(1)})`,
        importId,
      ),
    ]);
    return count;
  }

  /**
   * Up to `limit` lines of an import after `afterLineNumber`, in line order, built straight into the shape
   * the matcher reads: one object per line and no per-line strings the run does not need (the import id
   * is the caller's, the status comes back as a code), since a million-line run must allocate little.
   */
  async pageOfImport(importId: string, afterLineNumber: number, limit: number): Promise<ReconciliationLine[]> {
    const p = (i: number) => this.bulk.param(i);
    const rows = await this.bulk.select(
      RECONCILE_COLUMNS,
      `FROM "SettlementLine" WHERE "importId" = ${p(1)} AND "lineNumber" > ${p(2)} ORDER BY "lineNumber" LIMIT ${Math.trunc(limit)}`,
      [importId, afterLineNumber],
    );
    const lines = rows.map(
      (row): ReconciliationLine => ({
        importId,
        lineNumber: row[0] as number,
        cip: row[1] as string,
        amountMinor: row[2] as number,
        currency: storedCurrency(row[3], "SettlementLine"),
        paymentDate: row[4] === null ? null : new Date(row[4] as number),
        channel: (row[5] as string | null) ?? null,
        commissionMinor: (row[6] as number | null) ?? null,
        netMinor: (row[7] as number | null) ?? null,
        payoutDate: null,
        operationNumber: (row[8] as string | null) ?? null,
        status: STATUS_BY_CODE[(row[9] as number | null) ?? 0] ?? null,
      }),
    );
    return lines.sort((a, b) => a.lineNumber - b.lineNumber);
  }

  /**
   * Stores statuses for one page of an import (lines fromLine..toLine): `majority` for every line of the
   * range not already in it (one range update), then the lines listed in `others` (by line number).
   */
  async saveStatuses(
    importId: string,
    range: { fromLine: number; toLine: number },
    majority: SettlementLineStatus | null,
    others: ReadonlyMap<SettlementLineStatus, number[]>,
  ): Promise<void> {
    if (this.sqlite) return saveSettlementLineStatuses(this.sqlite, importId, range, majority, others);
    // Raw statements: these run once per page of every run, and the model API's query planning costs
    // more memory and time per call than the update itself.
    const p = (i: number) => this.bulk.param(i);
    if (majority) {
      await this.db.$executeRawUnsafe(
        `UPDATE "SettlementLine" SET "status" = ${p(1)} WHERE "importId" = ${p(2)} AND "lineNumber" >= ${p(3)} AND "lineNumber" <= ${p(4)} AND ("status" IS NULL OR "status" <> ${p(5)})`,
        majority,
        importId,
        range.fromLine,
        range.toLine,
        majority,
      );
    }
    for (const [status, lineNumbers] of others) {
      if (lineNumbers.length === 0) continue;
      const set = this.bulk.engine === "postgresql" ? `SELECT json_array_elements_text($3::json)::integer` : "SELECT value FROM json_each(?)";
      await this.db.$executeRawUnsafe(
        `UPDATE "SettlementLine" SET "status" = ${p(1)} WHERE "importId" = ${p(2)} AND "lineNumber" IN (${set})`,
        status,
        importId,
        JSON.stringify(lineNumbers),
      );
    }
  }

  /** Every line of the shop matching the report filter, a page at a time (keyset on id). */
  async *reportPages(shopId: string, filter: LineReportFilter, pageSize = 5_000): AsyncGenerator<StoredSettlementLine[]> {
    const column = filter.basis === "payout" ? `"payoutDate"` : `"paymentDate"`;
    let after = "";
    for (;;) {
      const params: unknown[] = [shopId, after];
      const where = [`"shopId" = ${this.bulk.param(1)}`, `"id" > ${this.bulk.param(2)}`];
      if (filter.from) {
        params.push(filter.from.toISOString());
        where.push(`${column} >= ${timestampParam(this.bulk, params.length)}`);
      }
      if (filter.to) {
        params.push(filter.to.toISOString());
        where.push(`${column} <= ${timestampParam(this.bulk, params.length)}`);
      }
      if (filter.currency) {
        params.push(filter.currency);
        where.push(`"currency" = ${this.bulk.param(params.length)}`);
      }
      const rows = await this.bulk.select(READ_COLUMNS, `FROM "SettlementLine" WHERE ${where.join(" AND ")} ORDER BY "id" LIMIT ${pageSize}`, params);
      if (rows.length === 0) return;
      const lines = rows.map(toLine);
      yield lines;
      if (rows.length < pageSize) return;
      after = lines.reduce((max, line) => (line.id > max ? line.id : max), after);
    }
  }

  /**
   * reportGroups, answered from memory while the shop's lines have not changed: every write to a shop's
   * lines bumps Shop.settlementLinesVersion in its own transaction (insertNew, deleteImportLines; a redacted
   * shop is deleted, and a shop created again has another createdAt), so one indexed read of that row says
   * whether a cached result still holds, on any instance. Concurrent misses for the same report share one
   * query. Bounded: REPORT_CACHE_LIMIT reports, least recently used out first.
   */
  async reportGroups(shopId: string, filter: LineReportFilter): Promise<ReportLineGroup[]> {
    const shop = await this.linesVersion(shopId);
    if (!shop) return computeReportGroups(this.db, this.bulk, shopId, filter);
    const key = `${shopId}|${filter.basis}|${filter.from?.toISOString() ?? ""}|${filter.to?.toISOString() ?? ""}|${filter.currency ?? ""}`;
    const version = `${shop.settlementLinesVersion}|${shop.createdAt.getTime()}`;
    const cached = this.reportCache.get(key);
    if (cached && cached.version === version) {
      this.reportCache.delete(key);
      this.reportCache.set(key, cached);
      return cached.groups;
    }
    // Read under the version seen before the query: a write landing meanwhile only causes a recompute later.
    const groups = computeReportGroups(this.db, this.bulk, shopId, filter);
    this.reportCache.delete(key);
    this.reportCache.set(key, { version, groups });
    while (this.reportCache.size > REPORT_CACHE_LIMIT) this.reportCache.delete(this.reportCache.keys().next().value as string);
    groups.catch(() => {
      if (this.reportCache.get(key)?.groups === groups) this.reportCache.delete(key);
    });
    return groups;
  }

  /** Shop.settlementLinesVersion and createdAt: a prepared statement on the driver (Prisma cost ~0.4 ms of CPU per read). */
  private async linesVersion(shopId: string): Promise<{ settlementLinesVersion: number; createdAt: Date } | null> {
    if (!this.driver) return this.db.shop.findUnique({ where: { id: shopId }, select: { settlementLinesVersion: true, createdAt: true } });
    const row = await this.driver.get(`SELECT "settlementLinesVersion", "createdAt" FROM "Shop" WHERE "id" = ?`, [shopId]);
    return row ? { settlementLinesVersion: Number(row.settlementLinesVersion), createdAt: date(row.createdAt) } : null;
  }

  async linesForCip(shopId: string, cip: string): Promise<StoredSettlementLine[]> {
    const rows = await this.db.settlementLine.findMany({ where: { shopId, cip }, orderBy: [{ importId: "asc" }, { lineNumber: "asc" }], take: 100 });
    return rows.map((row) => ({
      id: row.id,
      importId: row.importId,
      lineNumber: row.lineNumber,
      cip: row.cip,
      amountMinor: row.amountMinor,
      currency: storedCurrency(row.currency, "SettlementLine"),
      paymentDateMs: row.paymentDate?.getTime() ?? null,
      channel: row.channel,
      commissionMinor: row.commissionMinor,
      netMinor: row.netMinor,
      payoutDateMs: row.payoutDate?.getTime() ?? null,
      operationNumber: row.operationNumber,
      status: row.status,
    }));
  }

  /** Which of these CIPs have at least one settlement line in the shop. */
  async cipsWithLines(shopId: string, cips: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    if (cips.length === 0) return found;
    const rows = await this.bulk.select(
      [{ name: "cip", type: "text" }],
      `FROM "SettlementLine" WHERE "shopId" = ${this.bulk.param(1)} AND "cip" IN (${this.bulk.jsonSet(2)})`,
      [shopId, JSON.stringify([...new Set(cips)])],
    );
    for (const [cip] of rows) found.add(String(cip));
    return found;
  }

  async countByStatus(shopId: string): Promise<Record<string, number>> {
    const groups = await this.db.settlementLine.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } });
    const counts: Record<string, number> = {};
    for (const group of groups) counts[group.status ?? "not_reconciled"] = group._count._all;
    return counts;
  }
}
