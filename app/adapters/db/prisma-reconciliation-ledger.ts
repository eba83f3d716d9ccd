import type { DatabaseEngine } from "../../config/env";
import type { LedgerPaymentRow, LedgerReader } from "../../ports/reconciliation";
import type { Db } from "./database";
import { BulkSql, type ColumnSpec } from "./prisma-settlement-bulk-sql";
import type { SqliteDriver } from "./sql/sql-driver";
import { storedCurrency, storedCurrencyOrNull } from "./stored-currency";

const LEDGER_COLUMNS: ColumnSpec[] = [
  { name: "id", type: "text" },
  { name: "cip", type: "text" },
  { name: "amountMinor", type: "int" },
  { name: "currency", type: "text" },
  { name: "state", type: "text" },
  { name: "cipExpiresAt", type: "timestamp" },
  { name: "paidAt", type: "timestamp" },
  { name: "paidAmountMinor", type: "int" },
  { name: "paidCurrency", type: "text" },
  { name: "paidVia", type: "text" },
  { name: "orderId", type: "text" },
  { name: "orderFinancialStatus", type: "text" },
  { name: "channel", type: "text" },
  { name: "createdAt", type: "timestamp" },
];

/**
 * The ledger side of reconciliation: a shop's payment sessions with a CIP, paged by CIP through the
 * (shopId, cip) index with only the columns the rules need, and how many distinct payments
 * PagoEfectivo notified per CIP where that differs from what the session says.
 */
export class PrismaReconciliationLedger implements LedgerReader {
  private readonly bulk: BulkSql;

  /** `sqlite`: the driver under Prisma, for the bulk reads (see BulkSql). */
  constructor(db: Db, engine: DatabaseEngine, sqlite: SqliteDriver | null = null) {
    this.bulk = new BulkSql(db, engine, sqlite);
  }

  async *pages(shopId: string, pageSize = 5_000): AsyncGenerator<LedgerPaymentRow[]> {
    let after = "";
    const p = (i: number) => this.bulk.param(i);
    for (;;) {
      const rows = await this.bulk.select(
        LEDGER_COLUMNS,
        `FROM "PaymentSession" WHERE "shopId" = ${p(1)} AND "cip" IS NOT NULL AND "cip" > ${p(2)} ORDER BY "cip" LIMIT ${Math.trunc(pageSize)}`,
        [shopId, after],
      );
      if (rows.length === 0) return;
      const page = rows.map(toLedgerRow);
      yield page;
      if (rows.length < pageSize) return;
      after = page.reduce((max, row) => (row.cip > max ? row.cip : max), after);
    }
  }

  async sessionIdsOf(shopId: string, cips: readonly string[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    const unique = [...new Set(cips)];
    for (let i = 0; i < unique.length; i += 5_000) {
      const rows = await this.bulk.select(
        [
          { name: "cip", type: "text" },
          { name: "id", type: "text" },
        ],
        `FROM "PaymentSession" WHERE "shopId" = ${this.bulk.param(1)} AND "cip" IN (${this.bulk.jsonSet(2)}) ORDER BY "cip", "id"`,
        [shopId, JSON.stringify(unique.slice(i, i + 5_000))],
      );
      for (const [cip, id] of rows) if (!ids.has(String(cip))) ids.set(String(cip), String(id));
    }
    return ids;
  }

  /**
   * CIP → distinct paid operations PagoEfectivo notified (signature valid), only where it tells the
   * session something it does not say itself: more than one payment, or a payment on a session that
   * was not marked paid (flagged: wrong amount, after expiry).
   */
  async notifiedPaymentCounts(shopId: string): Promise<Map<string, number>> {
    const p = (i: number) => this.bulk.param(i);
    const rows = await this.bulk.select(
      [
        { name: "cip", type: "text", expr: `n."cip"` },
        { name: "payments", type: "int", expr: `COUNT(DISTINCT n."operationNumber")` },
      ],
      `FROM "PagoEfectivoNotification" n JOIN "PaymentSession" s ON s."cip" = n."cip" AND s."shopId" = n."shopId"
       WHERE n."shopId" = ${p(1)} AND n."signatureValid" = true AND n."eventType" = 'cip.paid'
       GROUP BY n."cip"
       HAVING COUNT(DISTINCT n."operationNumber") > 1 OR MAX(CASE WHEN s."paidAt" IS NULL THEN 1 ELSE 0 END) = 1`,
      [shopId],
    );
    const counts = new Map<string, number>();
    for (const [cip, payments] of rows) counts.set(String(cip), Math.max(1, Number(payments)));
    return counts;
  }
}

function toLedgerRow(row: unknown[]): LedgerPaymentRow {
  return {
    sessionId: String(row[0]),
    cip: String(row[1]),
    amountMinor: Number(row[2]),
    currency: storedCurrency(row[3], "PaymentSession"),
    state: String(row[4]),
    cipExpiresAtMs: (row[5] as number | null) ?? null,
    paidAtMs: (row[6] as number | null) ?? null,
    paidAmountMinor: (row[7] as number | null) ?? null,
    paidCurrency: storedCurrencyOrNull(row[8], "PaymentSession"),
    paidVia: (row[9] as string | null) ?? null,
    orderId: (row[10] as string | null) ?? null,
    orderFinancialStatus: (row[11] as string | null) ?? null,
    channel: (row[12] as string | null) ?? null,
    createdAtMs: Number(row[13]),
  };
}
