import type { Response } from "express";

import { formatDecimal, isCurrency } from "../../domain/money";
import type { Logger } from "../../lib/logger";
import type { PaymentListRow } from "../../ports/admin-read-models";
import { writeWithBackpressure as write } from "../write-with-backpressure";

/**
 * The payments CSV: RFC 4180 quoting, CRLF line ends, a UTF-8 byte order mark so spreadsheet
 * programs read accents (Huamán) correctly, amounts as decimals ("150.00"), and no cell that a
 * spreadsheet would run as a formula.
 */

export const PAYMENT_CSV_HEADER = [
  "payment_session_id",
  "created_at",
  "state",
  "amount",
  "currency",
  "test",
  "cip",
  "order_name",
  "email",
  "paid_at",
  "cip_expires_at",
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** Quotes a cell when needed, and defuses formulas (=, +, -, @, tab, CR) with a leading apostrophe. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text.trim() !== text ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: ReadonlyArray<string | number | boolean | null>): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export function paymentCsvLine(row: PaymentListRow): string {
  const amount = isCurrency(row.currency) ? formatDecimal({ amountMinor: row.amountMinor, currency: row.currency }) : null;
  return csvLine([
    row.id,
    row.createdAt.toISOString(),
    row.state,
    amount,
    row.currency,
    row.test,
    row.cip,
    row.orderName,
    row.email,
    row.paidAt?.toISOString() ?? null,
    row.cipExpiresAt?.toISOString() ?? null,
  ]);
}

/**
 * Streams pages of rows as they are read, waiting for the socket to drain so a large export never
 * piles up in memory. The first page is read before anything is sent, so an early failure is still
 * an ordinary error answer; a failure after that can only cut the download short, so the
 * connection is closed instead of pretending the file is complete.
 */
export async function streamCsv(res: Response, fileName: string, pages: AsyncIterable<PaymentListRow[]>, logger: Logger): Promise<void> {
  const iterator = pages[Symbol.asyncIterator]();
  let next = await iterator.next();
  res.status(200);
  res.setHeader("Content-Type", "text/csv; charset=utf-8");
  res.setHeader("Content-Disposition", `attachment; filename="${fileName}"`);
  res.setHeader("Cache-Control", "no-store");
  let rows = 0;
  try {
    await write(res, `\uFEFF${csvLine([...PAYMENT_CSV_HEADER])}`);
    while (!next.done) {
      if (res.destroyed) {
        await iterator.return?.();
        return;
      }
      await write(res, next.value.map(paymentCsvLine).join(""));
      rows += next.value.length;
      next = await iterator.next();
    }
    res.end();
  } catch (error) {
    logger.error({ err: error, rows }, "payments CSV export failed mid-stream");
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
