import { formatLimaWallText } from "../../domain/lima-time";
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
  es: ["Detectado (hora de Lima)", "Tipo", "Estado", "Origen", "CIP", "Sesión de pago", "Pedido", "Estado financiero", "Moneda", "Monto PEN", "Monto USD", "Acción sugerida", "Resuelto (hora de Lima)", "Resuelto por", "Nota", "Evidencia (JSON)"],
  en: ["Detected (Lima time)", "Kind", "Status", "Source", "CIP", "Payment session", "Order", "Financial status", "Currency", "Amount PEN", "Amount USD", "Suggested action", "Resolved (Lima time)", "Resolved by", "Note", "Evidence (JSON)"],
} as const;

/** The panel's words for kinds, states and sources (web/src/i18n/reconciliation-*.ts), for the export. */
const WORDS: Record<ExportLanguage, { kinds: Record<string, string>; statuses: Record<string, string>; sources: Record<string, string>; orderStatuses: Record<string, string> }> = {
  es: {
    kinds: {
      paid_without_order: "Pagado sin pedido",
      order_pending_but_paid: "Pedido pendiente pero pagado",
      amount_mismatch: "Importe distinto",
      currency_mismatch: "Moneda distinta",
      paid_after_expiry: "Pagado después del vencimiento",
      paid_twice: "Pagado dos veces",
      notification_missing: "Notificación faltante",
      notification_unknown_cip: "Notificación de CIP desconocido",
      payment_reversed: "Pago extornado",
      settlement_unknown_cip: "CIP desconocido en la liquidación",
      settlement_amount_mismatch: "Importe distinto en la liquidación",
      settlement_duplicate: "Duplicado en la liquidación",
      missing_from_settlement: "Falta en la liquidación",
      commission_mismatch: "Comisión distinta",
    },
    statuses: { open: "Abierta", resolved: "Resuelta" },
    sources: { notification: "Notificación de PagoEfectivo", polling: "Consulta de estado", reconciliation: "Conciliación", settlement: "Liquidación" },
    // The panel's financialStatuses (web/src/i18n/es.ts); "no_payment" from app/domain/order-status-shown.ts.
    orderStatuses: {
      pending: "Pago pendiente",
      authorized: "Autorizado",
      paid: "Pagado",
      partially_paid: "Pagado parcialmente",
      refunded: "Reembolsado",
      partially_refunded: "Reembolsado parcialmente",
      voided: "Anulado",
      expired: "Vencido",
      no_payment: "Sin pago",
      unknown: "Desconocido",
    },
  },
  en: {
    kinds: {
      paid_without_order: "Paid without an order",
      order_pending_but_paid: "Order pending but paid",
      amount_mismatch: "Amount mismatch",
      currency_mismatch: "Currency mismatch",
      paid_after_expiry: "Paid after expiry",
      paid_twice: "Paid twice",
      notification_missing: "Notification missing",
      notification_unknown_cip: "Notification for an unknown CIP",
      payment_reversed: "Payment reversed",
      settlement_unknown_cip: "Unknown CIP in settlement",
      settlement_amount_mismatch: "Settled amount differs",
      settlement_duplicate: "Duplicate in settlement",
      missing_from_settlement: "Missing from settlement",
      commission_mismatch: "Commission mismatch",
    },
    statuses: { open: "Open", resolved: "Resolved" },
    sources: { notification: "PagoEfectivo notification", polling: "Status check", reconciliation: "Reconciliation", settlement: "Settlement" },
    orderStatuses: {
      pending: "Payment pending",
      authorized: "Authorized",
      paid: "Paid",
      partially_paid: "Partially paid",
      refunded: "Refunded",
      partially_refunded: "Partially refunded",
      voided: "Voided",
      expired: "Expired",
      no_payment: "No payment",
      unknown: "Unknown",
    },
  },
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
    row.suggestedAction[language],
    row.resolvedAt ? formatLimaWallText(row.resolvedAt) : null,
    row.resolvedBy,
    row.resolutionNote,
    JSON.stringify(row.evidence),
  ]);
}
