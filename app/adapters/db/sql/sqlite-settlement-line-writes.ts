import type { SettlementLineStatus } from "../../../domain/reconciliation/types";
import type { NewSettlementLine } from "../../../ports/settlement-imports";
import type { SqliteDriver } from "./sql-driver";

/**
 * The bulk writes of settlement lines on SQLite, straight through the driver under Prisma (the same
 * connection, see sql-driver.ts): one prepared statement run per line inside one group-commit transaction
 * per batch. Measured on a million-line import (bench/reconcile), the JSON-parameter statement through
 * Prisma's adapter (prisma-settlement-bulk-sql.ts) spent its time building, preparing and unpacking the
 * JSON text per batch; a prepared INSERT per row is what the raw baseline does. PostgreSQL keeps the JSON
 * path (one round trip per batch).
 *
 * Dates are stored as ISO text with "Z", as the JSON path stores them, so lines written either way compare
 * and sort alike (report filters compare them as text).
 */
const INSERT_LINE = `INSERT INTO "SettlementLine" ("id", "shopId", "importId", "lineNumber", "lineKey", "cip", "amountMinor", "currency", "paymentDate", "channel", "commissionMinor", "netMinor", "payoutDate", "operationNumber")
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;
const BUMP_VERSION = `UPDATE "Shop" SET "settlementLinesVersion" = "settlementLinesVersion" + 1 WHERE "id" = ?`;
const SET_RANGE = `UPDATE "SettlementLine" SET "status" = ? WHERE "importId" = ? AND "lineNumber" >= ? AND "lineNumber" <= ? AND ("status" IS NULL OR "status" <> ?)`;
const SET_LINE = `UPDATE "SettlementLine" SET "status" = ? WHERE "importId" = ? AND "lineNumber" = ?`;

/** A line's own columns, in the order both engines' inserts take them (lineNumber … operationNumber), dates as ISO text. */
export function settlementLineValues(line: NewSettlementLine): [number, string, string, number, string, string | null, string | null, number | null, number | null, string | null, string | null] {
  return [
    line.lineNumber,
    line.lineKey,
    line.cip,
    line.amountMinor,
    line.currency,
    line.paymentDate?.toISOString() ?? null,
    line.channel,
    line.commissionMinor,
    line.netMinor,
    line.payoutDate?.toISOString() ?? null,
    line.operationNumber,
  ];
}

/** Inserts the lines that are new (conflicts on the shop's line key skipped) and bumps the shop's lines version, in one transaction. */
export function insertSettlementLines(driver: SqliteDriver, shopId: string, importId: string, lines: readonly NewSettlementLine[]): Promise<number> {
  return driver.writeSync(() => {
    const insert = driver.statement(INSERT_LINE);
    let inserted = 0;
    for (const line of lines) {
      inserted += insert.run(`${importId}:${String(line.lineNumber).padStart(9, "0")}`, shopId, importId, ...settlementLineValues(line)).changes;
    }
    driver.statement(BUMP_VERSION).run(shopId);
    return inserted;
  });
}

/** saveStatuses (see PrismaSettlementLines) in one transaction: the range update, then each other line by its number. */
export function saveSettlementLineStatuses(
  driver: SqliteDriver,
  importId: string,
  range: { fromLine: number; toLine: number },
  majority: SettlementLineStatus | null,
  others: ReadonlyMap<SettlementLineStatus, number[]>,
): Promise<void> {
  return driver.writeSync(() => {
    if (majority) driver.statement(SET_RANGE).run(majority, importId, range.fromLine, range.toLine, majority);
    const setLine = driver.statement(SET_LINE);
    for (const [status, lineNumbers] of others) for (const lineNumber of lineNumbers) setLine.run(status, importId, lineNumber);
  });
}
