import type { Response } from "express";

import { formatDecimal, isCurrency } from "../../domain/money";
import type { Logger } from "../../lib/logger";
import type { PaymentListRow } from "../../ports/admin-read-models";
import { zonedDateTime } from "../../use-cases/admin-panel/zoned-day";
import { writeWithBackpressure as write } from "../write-with-backpressure";

/**
 * The payments CSV: RFC 4180 quoting, CRLF line ends, a UTF-8 byte order mark so spreadsheet
 * programs read accents (Huamán) correctly, amounts as decimals ("150.00"), and no cell that a
 * spreadsheet would run as a formula.
 */

export type CsvLanguage = "es" | "en";

/** How the export is written: the merchant's language, and times as wall-clock times in the shop's zone. */
export interface PaymentCsvOptions {
  readonly language: CsvLanguage;
  readonly timeZone: string;
}

const WORDS = {
  es: {
    header: (zone: string) => ["Sesión de pago", `Creado (${zone})`, "Estado", "Importe", "Moneda", "Prueba", "CIP", "Pedido", "Correo", `Pagado (${zone})`, `Vence el CIP (${zone})`],
    states: { awaiting_phone: "Esperando celular", pending: "Pendiente", paid: "Pagado", expired: "Vencido", rejected: "Rechazado", cancelled: "Anulado" } as Record<string, string>,
    yes: "Sí",
    no: "No",
  },
  en: {
    header: (zone: string) => ["Payment session", `Created (${zone})`, "State", "Amount", "Currency", "Test", "CIP", "Order", "Email", `Paid (${zone})`, `CIP expires (${zone})`],
    states: { awaiting_phone: "Awaiting phone", pending: "Pending", paid: "Paid", expired: "Expired", rejected: "Rejected", cancelled: "Cancelled" } as Record<string, string>,
    yes: "Yes",
    no: "No",
  },
} as const;

export function paymentCsvHeader(options: PaymentCsvOptions): string[] {
  return WORDS[options.language].header(options.timeZone === "America/Lima" ? (options.language === "es" ? "hora de Lima" : "Lima time") : options.timeZone);
}

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

export function paymentCsvLine(row: PaymentListRow, options: PaymentCsvOptions): string {
  const w = WORDS[options.language];
  const amount = isCurrency(row.currency) ? formatDecimal({ amountMinor: row.amountMinor, currency: row.currency }) : null;
  const time = (instant: Date | null) => (instant ? zonedDateTime(instant, options.timeZone) : null);
  return csvLine([
    row.id,
    time(row.createdAt),
    w.states[row.state] ?? row.state,
    amount,
    row.currency,
    row.test ? w.yes : w.no,
    row.cip,
    row.orderName,
    row.email,
    time(row.paidAt),
    time(row.cipExpiresAt),
  ]);
}

/**
 * Streams pages of rows as they are read, waiting for the socket to drain so a large export never
 * piles up in memory. The first page is read before anything is sent, so an early failure is still
 * an ordinary error answer; a failure after that can only cut the download short, so the
 * connection is closed instead of pretending the file is complete.
 */
export async function streamCsv(res: Response, fileName: string, pages: AsyncIterable<PaymentListRow[]>, options: PaymentCsvOptions, logger: Logger): Promise<void> {
  const iterator = pages[Symbol.asyncIterator]();
  let next = await iterator.next();
  res.status(200);
  res.setHeader("Content-Type", "text/csv; charset=utf-8");
  res.setHeader("Content-Disposition", `attachment; filename="${fileName}"`);
  res.setHeader("Cache-Control", "no-store");
  let rows = 0;
  try {
    await write(res, `\uFEFF${csvLine(paymentCsvHeader(options))}`);
    while (!next.done) {
      if (res.destroyed) {
        await iterator.return?.();
        return;
      }
      await write(res, next.value.map((row) => paymentCsvLine(row, options)).join(""));
      rows += next.value.length;
      next = await iterator.next();
    }
    res.end();
  } catch (error) {
    logger.error({ err: error, rows }, "payments CSV export failed mid-stream");
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
