import type { Currency } from "../../domain/money";
import type { SettlementLineStatus } from "../../domain/reconciliation/types";
import type { ColumnSpec } from "./prisma-settlement-bulk-sql";
import { storedCurrency } from "./stored-currency";

/** A stored line as reconciliation and the reports read it. Dates are epoch milliseconds. */
export interface StoredSettlementLine {
  readonly id: string;
  readonly importId: string;
  readonly lineNumber: number;
  readonly cip: string;
  readonly amountMinor: number;
  readonly currency: Currency;
  readonly paymentDateMs: number | null;
  readonly channel: string | null;
  readonly commissionMinor: number | null;
  readonly netMinor: number | null;
  readonly payoutDateMs: number | null;
  readonly operationNumber: string | null;
  readonly status: string | null;
}

export interface LineReportFilter {
  readonly basis: "payment" | "payout";
  /** Inclusive bounds on the basis date; null = open. */
  readonly from: Date | null;
  readonly to: Date | null;
  readonly currency: Currency | null;
}

export const INSERT_COLUMNS = [
  "id",
  "shopId",
  "importId",
  "lineNumber",
  "lineKey",
  "cip",
  "amountMinor",
  "currency",
  "paymentDate",
  "channel",
  "commissionMinor",
  "netMinor",
  "payoutDate",
  "operationNumber",
] as const;

export const READ_COLUMNS: ColumnSpec[] = [
  { name: "id", type: "text" },
  { name: "importId", type: "text" },
  { name: "lineNumber", type: "int" },
  { name: "cip", type: "text" },
  { name: "amountMinor", type: "int" },
  { name: "currency", type: "text" },
  { name: "paymentDate", type: "timestamp" },
  { name: "channel", type: "text" },
  { name: "commissionMinor", type: "int" },
  { name: "netMinor", type: "int" },
  { name: "payoutDate", type: "timestamp" },
  { name: "operationNumber", type: "text" },
  { name: "status", type: "text" },
];

export const STATUS_BY_CODE: readonly (SettlementLineStatus | null)[] = [null, "matched", "unknown", "amount_mismatch", "duplicate"];

/** What reconciliation reads per line; the status as a small code (see STATUS_BY_CODE). */
export const RECONCILE_COLUMNS: ColumnSpec[] = [
  { name: "lineNumber", type: "int" },
  { name: "cip", type: "text" },
  { name: "amountMinor", type: "int" },
  { name: "currency", type: "text" },
  { name: "paymentDate", type: "timestamp" },
  { name: "channel", type: "text" },
  { name: "commissionMinor", type: "int" },
  { name: "netMinor", type: "int" },
  { name: "operationNumber", type: "text" },
  {
    name: "status",
    type: "int",
    expr: `CASE "status" WHEN 'matched' THEN 1 WHEN 'unknown' THEN 2 WHEN 'amount_mismatch' THEN 3 WHEN 'duplicate' THEN 4 ELSE 0 END`,
  },
];

export function toLine(row: unknown[]): StoredSettlementLine {
  return {
    id: String(row[0]),
    importId: String(row[1]),
    lineNumber: Number(row[2]),
    cip: String(row[3]),
    amountMinor: Number(row[4]),
    currency: storedCurrency(row[5], "SettlementLine"),
    paymentDateMs: (row[6] as number | null) ?? null,
    channel: (row[7] as string | null) ?? null,
    commissionMinor: (row[8] as number | null) ?? null,
    netMinor: (row[9] as number | null) ?? null,
    payoutDateMs: (row[10] as number | null) ?? null,
    operationNumber: (row[11] as string | null) ?? null,
    status: (row[12] as string | null) ?? null,
  };
}
