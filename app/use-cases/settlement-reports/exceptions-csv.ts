import { EXCEPTION_KIND_WORDS, EXCEPTION_SOURCE_WORDS, ORDER_STATUS_WORDS } from "../../contracts/admin-api/words";
import { formatLimaWallText } from "../../domain/lima-time";
import { formatMinor } from "../../domain/money";
import { suggestedActionForAnyKind } from "../../domain/reconciliation/suggested-actions";
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
  readonly resolvedAt: Date | null;
  readonly resolvedBy: string | null;
  readonly resolutionNote: string | null;
}

const COLUMNS = {
  es: ["Detectado (hora de Lima)", "Tipo", "Estado", "Origen", "CIP", "Sesión de pago", "Pedido", "Estado financiero", "Moneda", "Monto PEN", "Monto USD", "Acción sugerida", "Resuelto (hora de Lima)", "Resuelto por", "Nota", "Evidencia (JSON)"],
  en: ["Detected (Lima time)", "Kind", "Status", "Source", "CIP", "Payment session", "Order", "Financial status", "Currency", "Amount PEN", "Amount USD", "Suggested action", "Resolved (Lima time)", "Resolved by", "Note", "Evidence (JSON)"],
} as const;

/** The panel's words for kinds, states and sources (app/contracts/admin-api/words.ts), for the export. */
const WORDS: Record<ExportLanguage, { kinds: Record<string, string>; statuses: Record<string, string>; sources: Record<string, string>; orderStatuses: Record<string, string> }> = {
  es: { kinds: EXCEPTION_KIND_WORDS.es, statuses: { open: "Abierta", resolved: "Resuelta" }, sources: EXCEPTION_SOURCE_WORDS.es, orderStatuses: ORDER_STATUS_WORDS.es },
  en: { kinds: EXCEPTION_KIND_WORDS.en, statuses: { open: "Open", resolved: "Resolved" }, sources: EXCEPTION_SOURCE_WORDS.en, orderStatuses: ORDER_STATUS_WORDS.en },
};

export function exceptionsCsvColumns(language: ExportLanguage): string {
  return csvRecord(COLUMNS[language]);
}

/** One exception; its amount goes in the PEN or the USD column, never in a shared one. */
export function exceptionCsvRecord(row: ExceptionExportRow, language: ExportLanguage): string {
  const amount = exceptionAmount(row.evidence);
  const w = WORDS[language];
  return csvRecord([
    formatLimaWallText(row.detectedAt),
    w.kinds[row.kind] ?? row.kind,
    w.statuses[row.status] ?? row.status,
    w.sources[row.source] ?? row.source,
    row.cip,
    row.paymentSessionId,
    row.orderName,
    row.orderFinancialStatus === null ? null : (w.orderStatuses[row.orderFinancialStatus.toLowerCase()] ?? row.orderFinancialStatus),
    amount?.currency ?? null,
    amount?.currency === "PEN" ? formatMinor(amount.amountMinor) : null,
    amount?.currency === "USD" ? formatMinor(amount.amountMinor) : null,
    suggestedActionForAnyKind(row.kind)[language],
    row.resolvedAt ? formatLimaWallText(row.resolvedAt) : null,
    row.resolvedBy,
    row.resolutionNote,
    JSON.stringify(row.evidence),
  ]);
}
