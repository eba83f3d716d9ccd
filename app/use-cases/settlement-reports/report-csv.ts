import { epochDayKey, formatLimaWallText, limaEpochDay } from "../../domain/lima-time";
import { CURRENCIES, type Currency, formatMinor } from "../../domain/money";
import { validateRuc } from "../../domain/settlement/ruc";
import type { SettlementReport, SettlementTotals } from "../../domain/settlement/settlement-report";
import { csvRecord, type CsvValue } from "../../lib/csv-record";
import type { UpcomingPayouts } from "./settlement-reports";

export type ExportLanguage = "es" | "en";

export interface ExportHeader {
  readonly legalName: string | null;
  readonly ruc: string | null;
  readonly title: string;
  /** "2025-06-01 – 2025-06-30", or null for "everything". */
  readonly period: string | null;
  readonly generatedAt: Date;
  readonly language: ExportLanguage;
}

const WORDS = {
  es: {
    legalName: "Razón social",
    notSetF: "(no configurada)",
    notSetM: "(no configurado)",
    report: "Reporte",
    period: "Periodo",
    all: "todo",
    generated: "Generado",
    limaTime: "hora de Lima",
    currency: "Moneda",
    total: "TOTAL",
    undated: "sin fecha",
    noChannel: "sin canal",
    settlementColumns: ["Periodo", "Inicio del periodo", "Canal", "Moneda", "Operaciones", "Bruto", "Comisión", "Neto", "Líneas sin comisión"],
    upcomingColumns: ["Fecha de abono", "Origen", "Canal", "Moneda", "Moneda de abono", "Operaciones", "Bruto", "Comisión", "Neto", "Sin comisión conocida"],
    overdue: "Vencidos sin liquidación",
    sources: { settlement_file: "liquidación importada", expected: "esperado (ciclo de abono)" },
  },
  en: {
    legalName: "Legal name",
    notSetF: "(not set)",
    notSetM: "(not set)",
    report: "Report",
    period: "Period",
    all: "all",
    generated: "Generated",
    limaTime: "Lima time",
    currency: "Currency",
    total: "TOTAL",
    undated: "undated",
    noChannel: "no channel",
    settlementColumns: ["Period", "Period start", "Channel", "Currency", "Payments", "Gross", "Commission", "Net", "Lines without commission"],
    upcomingColumns: ["Payout date", "Source", "Channel", "Currency", "Payout currency", "Payments", "Gross", "Commission", "Net", "Without known commission"],
    overdue: "Overdue, not settled",
    sources: { settlement_file: "imported settlement", expected: "expected (payout cycle)" },
  },
} as const;

/**
 * The lines every export starts with: the shop's legal name and RUC (so an accountant or ERP knows whose
 * books it is for; a RUC that is missing or fails SUNAT's check digit is printed as not set, and the
 * export still happens), what the report is, its period and when it was generated; then a blank line.
 */
export function exportPreamble(header: ExportHeader): string[] {
  const w = WORDS[header.language];
  const legalName = header.legalName?.trim() ? header.legalName.trim() : w.notSetF;
  const ruc = header.ruc && validateRuc(header.ruc).valid ? header.ruc : w.notSetM;
  return [
    `\uFEFF${csvRecord([`${w.legalName}: ${legalName}`])}`,
    csvRecord([`RUC: ${ruc}`]),
    csvRecord([`${w.report}: ${header.title}`]),
    csvRecord([`${w.period}: ${header.period ?? w.all}`]),
    csvRecord([`${w.generated}: ${formatLimaWallText(header.generatedAt)} (${w.limaTime})`]),
    "\r\n",
  ];
}

/**
 * The settlement report as CSV: one section per currency (PEN first, then USD), each with its rows and
 * its own TOTAL, so soles and dollars are never in the same sum or column block. Amounts are decimals
 * with two places ("1234.50"); periods are Lima calendar periods.
 */
export function settlementReportCsv(report: SettlementReport, header: ExportHeader): string[] {
  const w = WORDS[header.language];
  const records = exportPreamble(header);
  records.push(csvRecord(w.settlementColumns));
  for (const currency of CURRENCIES) {
    const rows = report.rows.filter((row) => row.currency === currency);
    if (rows.length === 0) continue;
    for (const row of rows) {
      records.push(
        csvRecord([
          row.period ?? w.undated,
          row.periodStart ? epochDayKey(limaEpochDay(row.periodStart)) : null,
          row.channel ?? w.noChannel,
          row.currency,
          ...amounts(row),
        ]),
      );
    }
    records.push(csvRecord([w.total, null, null, currency, ...amounts(report.totals[currency])]));
  }
  return records;
}

/** Upcoming payouts as CSV, one section per payment currency with its TOTAL, then what is overdue. */
export function upcomingPayoutsCsv(upcoming: UpcomingPayouts, header: ExportHeader): string[] {
  const w = WORDS[header.language];
  const records = exportPreamble(header);
  records.push(csvRecord(w.upcomingColumns));
  for (const currency of CURRENCIES) {
    const rows = upcoming.rows.filter((row) => row.currency === currency);
    if (rows.length === 0) continue;
    for (const row of rows) {
      records.push(
        csvRecord([
          row.date,
          w.sources[row.source],
          row.channel ?? w.noChannel,
          row.currency,
          row.payoutCurrency,
          row.count,
          formatMinor(row.grossMinor),
          formatMinor(row.commissionMinor),
          formatMinor(row.netMinor),
          row.withoutCommission,
        ]),
      );
    }
    const t = upcoming.totals[currency];
    records.push(csvRecord([w.total, null, null, currency, null, t.count, formatMinor(t.grossMinor), formatMinor(t.commissionMinor), formatMinor(t.netMinor), null]));
  }
  for (const currency of CURRENCIES) {
    const o = upcoming.overdue[currency];
    if (o.count > 0) records.push(csvRecord([w.overdue, null, null, currency, null, o.count, formatMinor(o.grossMinor), null, null, null]));
  }
  return records;
}

function amounts(totals: SettlementTotals): CsvValue[] {
  return [totals.count, formatMinor(totals.grossMinor), formatMinor(totals.commissionMinor), formatMinor(totals.netMinor), totals.linesWithoutCommission];
}

/** The amount an exception is about, from its evidence, in its currency (null when it has none). */
export function exceptionAmount(evidence: Record<string, unknown>): { amountMinor: number; currency: Currency } | null {
  const amount = firstNumber(evidence, ["amountMinor", "paidAmountMinor", "expectedAmountMinor", "ledgerAmountMinor"]);
  const currency = firstCurrency(evidence, ["currency", "paidCurrency", "expectedCurrency", "ledgerCurrency"]);
  return amount !== null && currency !== null ? { amountMinor: amount, currency } : null;
}

function firstNumber(evidence: Record<string, unknown>, keys: readonly string[]): number | null {
  for (const key of keys) {
    const value = evidence[key];
    if (typeof value === "number" && Number.isSafeInteger(value)) return value;
  }
  return null;
}

function firstCurrency(evidence: Record<string, unknown>, keys: readonly string[]): Currency | null {
  for (const key of keys) {
    const value = evidence[key];
    if (value === "PEN" || value === "USD") return value;
  }
  return null;
}
