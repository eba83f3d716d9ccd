import BetterSqlite3 from "better-sqlite3";

import type { DatabaseEngine } from "../../config/env";
import type { PaymentState } from "../../domain/payment-session";
import type { BuyerPageReader, BuyerPageRecord } from "../../ports/buyer-page-reader";
import { sqliteFile } from "./database";
import { type ConnectionLost, guardedPool, type PgTimeouts } from "./pg-connections";
import { storedCurrency } from "./stored-currency";

/**
 * The buyer page's read as one prepared SQL statement (session joined to its shop), reused for every
 * request. Through Prisma this read cost about 1 ms of CPU (query compiler, runtime, a statement
 * prepared again each time, and a second query for the shop); prepared once here it is tens of
 * microseconds, which is what lets the page keep up with a sale-day burst (bench/buyer).
 *
 * SQLite: its own read-only connection; the database runs in WAL mode (migrator), so this reader never
 * waits for the app's writer and never blocks it. PostgreSQL: a small pool of its own, with a named
 * statement that each connection prepares once. Both return the same record as PrismaBuyerPageReader
 * (test/integration/checkout/buyer-page-routes.test.ts runs on both engines).
 */

const COLUMNS = [
  "id",
  "buyerToken",
  "state",
  "phone",
  "cip",
  "cipUrl",
  "cipExpiresAt",
  "amountMinor",
  "currency",
  "buyerLocale",
  "cancelUrl",
  "nextActionUrl",
  "paidAt",
  "paidAmountMinor",
  "paidCurrency",
  "updatedAt",
] as const;
const DATES = new Set<string>(["cipExpiresAt", "paidAt", "updatedAt"]);

/**
 * The columns the version is made of, in this order, as both statements select them. Every write of a field the page
 * shows sets updatedAt (applyChange, the CIP-attempt updates, the customer redaction; it is not a Prisma @updatedAt, and
 * the order-link writes, which change nothing shown, leave it); state, CIP and whether a phone is known are added so
 * that two writes within one millisecond still differ.
 */
const VERSION_SQL = `s."state", s."updatedAt", s."cip", s."phone" IS NULL, sh."name", sh."domain"`;
const VERSION_PG = `s."state", to_char(s."updatedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), s."cip", s."phone" IS NULL, sh."name", sh."domain"`;
const FROM = `FROM "PaymentSession" s JOIN "Shop" sh ON sh."id" = s."shopId"`;

function versionOf(values: readonly unknown[]): string {
  // Booleans come back as 0/1 from SQLite and true/false from PostgreSQL.
  return values.map((v) => (v === null || v === undefined ? "" : typeof v === "boolean" ? String(Number(v)) : String(v))).join("|");
}

interface Row {
  [column: string]: unknown;
  shopName: string | null;
  shopDomain: string;
}

export interface ClosableBuyerPageReader extends BuyerPageReader {
  close(): Promise<void>;
}

export function openBuyerPageReader(
  database: { engine: DatabaseEngine; url: string } & PgTimeouts,
  onLost: ConnectionLost = () => undefined,
): ClosableBuyerPageReader {
  return database.engine === "sqlite" ? sqliteReader(sqliteFile(database.url)) : postgresReader(database.url, onLost, database);
}

function sqliteReader(file: string): ClosableBuyerPageReader {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  // Dates are stored by Prisma as ISO-8601 text on SQLite.
  const select = COLUMNS.map((c) => `s."${c}"`).join(", ");
  const statement = db.prepare<[string], Row>(
    `SELECT ${select}, sh."name" AS "shopName", sh."domain" AS "shopDomain" ${FROM} WHERE s."buyerToken" = ?`,
  );
  // Raw mode: an array per row, no object to build.
  const versionStatement = db.prepare<[string], unknown[]>(`SELECT ${VERSION_SQL} ${FROM} WHERE s."buyerToken" = ?`).raw(true);
  return {
    async findByBuyerToken(token) {
      const row = statement.get(token);
      return row ? toRecord(row) : null;
    },
    async findVersionByBuyerToken(token) {
      const values = versionStatement.get(token);
      return values ? versionOf(values) : null;
    },
    async close() {
      db.close();
    },
  };
}

function postgresReader(url: string, onLost: ConnectionLost, timeouts: PgTimeouts): ClosableBuyerPageReader {
  // A cut connection is logged and discarded, never ends the process (pg-connections.ts).
  const pool = guardedPool({ connectionString: url, max: 4 }, "buyer page", onLost, timeouts);
  // TIMESTAMP(3) columns hold UTC without a zone; printed as ISO-8601 UTC so no local zone applies.
  const select = COLUMNS.map((c) =>
    DATES.has(c) ? `to_char(s."${c}", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "${c}"` : `s."${c}"`,
  ).join(", ");
  const text = `SELECT ${select}, sh."name" AS "shopName", sh."domain" AS "shopDomain" FROM "PaymentSession" s JOIN "Shop" sh ON sh."id" = s."shopId" WHERE s."buyerToken" = $1`;
  const versionText = `SELECT ${VERSION_PG} ${FROM} WHERE s."buyerToken" = $1`;
  return {
    async findByBuyerToken(token) {
      const result = await pool.query<Row>({ name: "buyer-page-by-token", text, values: [token] });
      const row = result.rows[0];
      return row ? toRecord(row) : null;
    },
    async findVersionByBuyerToken(token) {
      const result = await pool.query<unknown[]>({ name: "buyer-page-version-by-token", text: versionText, values: [token], rowMode: "array" });
      const values = result.rows[0];
      return values ? versionOf(values) : null;
    },
    close: () => pool.end(),
  };
}

function toRecord(row: Row): BuyerPageRecord {
  const date = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(String(value)));
  const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
  const int = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
  const updatedAt = date(row.updatedAt);
  if (!updatedAt) throw new Error("PaymentSession.updatedAt is null");
  return {
    session: {
      id: String(row.id),
      buyerToken: String(row.buyerToken),
      state: String(row.state) as PaymentState,
      phone: text(row.phone),
      cip: text(row.cip),
      cipUrl: text(row.cipUrl),
      cipExpiresAt: date(row.cipExpiresAt),
      amountMinor: Number(row.amountMinor),
      currency: storedCurrency(row.currency, "PaymentSession"),
      buyerLocale: text(row.buyerLocale),
      cancelUrl: text(row.cancelUrl),
      nextActionUrl: text(row.nextActionUrl),
      paidAt: date(row.paidAt),
      paidAmountMinor: int(row.paidAmountMinor),
      paidCurrency: text(row.paidCurrency),
      updatedAt,
    },
    shopName: row.shopName,
    shopDomain: row.shopDomain,
    version: versionOf([row.state, row.updatedAt, row.cip, row.phone === null || row.phone === undefined ? 1 : 0, row.shopName, row.shopDomain]),
  };
}
