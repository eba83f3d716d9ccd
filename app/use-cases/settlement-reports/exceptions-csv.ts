import { formatMinor } from "../../domain/money";
import { csvRecord } from "../../lib/csv-record";
import { exceptionAmount, type ExportLanguage } from "./report-csv";

/** An exception row for the export, with the order it concerns if known. */
export interface ExceptionExportRow {
  readonly detectedAt: Date;
  readonly kind: string;
  readonly status: string;
  readonly source: string;
  readonly cip: string | null;
  readonly paymentSessionId: string | null;
  readonly orderName: string | null;
  readonly orderFinancialStatus: string | null;
  readonly evidence: Record<string, unknown>;
  readonly suggestedAction: { es: string; en: string };
  readonly resolvedAt: Date | null;
  readonly resolvedBy: string | null;
  readonly resolutionNote: string | null;
}

const COLUMNS = {
  es: ["Detectado", "Tipo", "Estado", "Origen", "CIP", "Sesión de pago", "Pedido", "Estado financiero", "Moneda", "Monto PEN", "Monto USD", "Acción sugerida", "Resuelto", "Resuelto por", "Nota", "Evidencia (JSON)"],
  en: ["Detected", "Kind", "Status", "Source", "CIP", "Payment session", "Order", "Financial status", "Currency", "Amount PEN", "Amount USD", "Suggested action", "Resolved", "Resolved by", "Note", "Evidence (JSON)"],
} as const;

export function exceptionsCsvColumns(language: ExportLanguage): string {
  return csvRecord(COLUMNS[language]);
}

/** One exception; its amount goes in the PEN or the USD column, never in a shared one. */
export function exceptionCsvRecord(row: ExceptionExportRow, language: ExportLanguage): string {
  const amount = exceptionAmount(row.evidence);
  return csvRecord([
    row.detectedAt.toISOString(),
    row.kind,
    row.status,
    row.source,
    row.cip,
    row.paymentSessionId,
    row.orderName,
    row.orderFinancialStatus,
    amount?.currency ?? null,
    amount?.currency === "PEN" ? formatMinor(amount.amountMinor) : null,
    amount?.currency === "USD" ? formatMinor(amount.amountMinor) : null,
    row.suggestedAction[language],
    row.resolvedAt?.toISOString() ?? null,
    row.resolvedBy,
    row.resolutionNote,
    JSON.stringify(row.evidence),
  ]);
}
