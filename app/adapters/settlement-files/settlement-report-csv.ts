import { epochDayKey, limaEpochDay } from "../../domain/lima-time";
import { formatMinor } from "../../domain/money";
import { CURRENCIES } from "../../domain/money";
import { type RucInvalidReason, validateRuc } from "../../domain/settlement/ruc";
import { type SettlementReport, type SettlementTotals } from "../../domain/settlement/settlement-report";
import { csvRecord, type CsvValue, type CsvWriteOptions } from "../../lib/csv-record";
import { err, ok, type Result } from "../../lib/result";

/** Who the export is for: every exported file carries the shop's legal name and RUC. */
export interface ExportIdentity {
  readonly legalName: string;
  readonly ruc: string;
}

export type ExportError =
  | { readonly kind: "missing_legal_name" }
  | { readonly kind: "invalid_ruc"; readonly reason: RucInvalidReason };

export interface ReportCsvOptions extends CsvWriteOptions {
  readonly language?: "es" | "en";
  /** Start with a UTF-8 byte order mark so Excel shows "Razón social" right. Default true. */
  readonly bom?: boolean;
}

const HEADERS = {
  es: ["Razón social", "RUC", "Periodo", "Inicio del periodo", "Canal", "Moneda", "Operaciones", "Bruto", "Comisión", "Neto", "Líneas sin comisión"],
  en: ["Legal name", "RUC", "Period", "Period start", "Channel", "Currency", "Payments", "Gross", "Commission", "Net", "Lines without commission"],
} as const;

/** Checks the identity every export must carry; an export without a valid RUC is refused. */
export function validateExportIdentity(identity: ExportIdentity): Result<ExportIdentity, ExportError> {
  const legalName = identity.legalName.trim();
  if (legalName === "") return err({ kind: "missing_legal_name" });
  const ruc = validateRuc(identity.ruc);
  if (!ruc.valid) return err({ kind: "invalid_ruc", reason: ruc.reason });
  return ok({ legalName, ruc: identity.ruc });
}

/**
 * The settlement report as CSV records (join them, or write them one by one to a response). Every
 * record starts with the shop's legal name and RUC, so any excerpt of the file still says whose it is.
 * Each row is in one currency; the closing TOTAL rows are one per currency, never PEN and USD added.
 * Amounts are decimal strings with two places; dates are Lima calendar dates.
 */
export function settlementReportCsv(
  report: SettlementReport,
  identity: ExportIdentity,
  options: ReportCsvOptions = {},
): Result<string[], ExportError> {
  const checked = validateExportIdentity(identity);
  if (!checked.ok) return checked;
  const { legalName, ruc } = checked.value;
  const language = options.language ?? "es";
  const record = (values: readonly CsvValue[]) => csvRecord([legalName, ruc, ...values], options);

  const records = [csvRecord(HEADERS[language], options)];
  for (const row of report.rows) {
    records.push(
      record([
        row.period ?? (language === "es" ? "sin fecha" : "undated"),
        row.periodStart ? epochDayKey(limaEpochDay(row.periodStart)) : null,
        row.channel ?? (language === "es" ? "sin canal" : "no channel"),
        row.currency,
        ...amounts(row),
      ]),
    );
  }
  for (const currency of CURRENCIES) {
    const totals = report.totals[currency];
    if (totals.count === 0) continue;
    records.push(record(["TOTAL", null, null, currency, ...amounts(totals)]));
  }
  if ((options.bom ?? true) && records[0] !== undefined) records[0] = `\uFEFF${records[0]}`;
  return ok(records);
}

function amounts(totals: SettlementTotals): CsvValue[] {
  return [
    totals.count,
    formatMinor(totals.grossMinor),
    formatMinor(totals.commissionMinor),
    formatMinor(totals.netMinor),
    totals.linesWithoutCommission,
  ];
}
