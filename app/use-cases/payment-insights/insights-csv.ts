import type { TimeToPayBucket } from "../../domain/insights/payment-insights";
import { formatMinor } from "../../domain/money";
import { csvRecord } from "../../lib/csv-record";
import { type ExportHeader, exportPreamble } from "../settlement-reports/report-csv";
import type { PaymentInsightsReport } from "./payment-insights";

const WORDS = {
  es: {
    title: "Análisis de pagos con PagoEfectivo",
    metric: "Indicador",
    value: "Valor",
    share: "% de los que eligieron PagoEfectivo",
    summary: {
      chose: "Eligieron PagoEfectivo",
      withoutCode: "Sin código (CIP) emitido",
      issued: "Con código emitido",
      paid: "Pagaron",
      paidLate: "Pagaron después del vencimiento",
      expired: "Dejaron vencer el código",
      pending: "Aún pueden pagar",
      cancelled: "Anulados o rechazados sin pago",
    },
    paidAmount: (currency: string) => `Monto pagado (${currency})`,
    median: "Mediana del tiempo hasta el pago (minutos)",
    p90: "El 90 % pagó dentro de (minutos)",
    none: "sin pagos",
    timeColumns: ["Tiempo desde el código hasta el pago", "Pagos"],
    buckets: { under_1h: "menos de 1 h", "1h_6h": "1 a 6 h", "6h_24h": "6 a 24 h", "24h_48h": "24 a 48 h", "48h_72h": "48 a 72 h", over_72h: "más de 72 h" },
    channelColumns: ["Canal (según el archivo de liquidación)", "Pagos", "% de los pagos"],
    unknownChannel: "Canal desconocido (la notificación de PagoEfectivo no lo indica; llega con el archivo de liquidación)",
    hourColumns: ["Hora (Lima)", "Códigos emitidos", "Pagados de esos códigos", "% pagado", "Pagos hechos en esa hora"],
  },
  en: {
    title: "PagoEfectivo payments insight",
    metric: "Measure",
    value: "Value",
    share: "% of those who chose PagoEfectivo",
    summary: {
      chose: "Chose PagoEfectivo",
      withoutCode: "No code (CIP) issued",
      issued: "Code issued",
      paid: "Paid",
      paidLate: "Paid after the expiry",
      expired: "Let the code expire",
      pending: "Can still pay",
      cancelled: "Cancelled or rejected unpaid",
    },
    paidAmount: (currency: string) => `Amount paid (${currency})`,
    median: "Median time to payment (minutes)",
    p90: "90% paid within (minutes)",
    none: "no payments",
    timeColumns: ["Time from code to payment", "Payments"],
    buckets: { under_1h: "under 1 h", "1h_6h": "1 to 6 h", "6h_24h": "6 to 24 h", "24h_48h": "24 to 48 h", "48h_72h": "48 to 72 h", over_72h: "over 72 h" },
    channelColumns: ["Channel (as the settlement file names it)", "Payments", "% of payments"],
    unknownChannel: "Channel unknown (PagoEfectivo's notification does not say; the settlement file does)",
    hourColumns: ["Hour (Lima)", "Codes issued", "Of those, paid", "% paid", "Payments made in that hour"],
  },
} as const satisfies Record<string, { buckets: Record<TimeToPayBucket, string> } & Record<string, unknown>>;

export function insightsTitle(language: "es" | "en"): string {
  return WORDS[language].title;
}

/** The insight report as CSV, in the merchant's language: a summary, time to pay, channels, hours of day. */
export function paymentInsightsCsv(report: PaymentInsightsReport, header: ExportHeader): string[] {
  const w = WORDS[header.language];
  const records = exportPreamble(header);
  const percent = (part: number, whole: number) => (whole > 0 ? ((part * 100) / whole).toFixed(1) : null);
  records.push(csvRecord([w.metric, w.value, w.share]));
  for (const key of ["chose", "withoutCode", "issued", "paid", "paidLate", "expired", "pending", "cancelled"] as const) {
    records.push(csvRecord([w.summary[key], report[key], percent(report[key], report.chose)]));
  }
  for (const currency of ["PEN", "USD"] as const) {
    if (report.paidMinor[currency] > 0) records.push(csvRecord([w.paidAmount(currency), formatMinor(report.paidMinor[currency]), null]));
  }
  records.push(csvRecord([w.median, report.timeToPay.medianMinutes ?? w.none, null]));
  records.push(csvRecord([w.p90, report.timeToPay.p90Minutes ?? w.none, null]));
  records.push("\r\n", csvRecord(w.timeColumns));
  for (const { bucket, count } of report.timeToPay.buckets) records.push(csvRecord([w.buckets[bucket], count]));
  records.push("\r\n", csvRecord(w.channelColumns));
  for (const { channel, paid } of report.channels) records.push(csvRecord([channel ?? w.unknownChannel, paid, percent(paid, report.paid)]));
  records.push("\r\n", csvRecord(w.hourColumns));
  for (const hour of report.hours) {
    records.push(csvRecord([`${String(hour.hour).padStart(2, "0")}:00`, hour.issued, hour.paidOfIssued, percent(hour.paidOfIssued, hour.issued), hour.paidAtHour]));
  }
  return records;
}
