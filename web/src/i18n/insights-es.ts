/** The payments insight tab (Liquidaciones › Análisis de pagos), in Spanish ("tú"). */
export const insightsEs = {
  intro: "De los compradores que eligieron PagoEfectivo en el periodo: cuántos pagaron, cuántos dejaron vencer el código, cuánto tardaron y dónde pagaron.",
  from: "Desde",
  to: "Hasta",
  exportCsv: "Exportar CSV",
  chose: "Eligieron PagoEfectivo",
  paid: "Pagaron",
  expired: "Dejaron vencer el código",
  pending: "Aún pueden pagar",
  withoutCode: "Sin código emitido",
  cancelled: "Anulados sin pago",
  share: (part: number, whole: number) => (whole > 0 ? `${formatPercent((part * 100) / whole)} %` : "—"),
  paidAmount: "Cobrado",
  headline: (chose: number, paid: number) =>
    chose === 0 ? "Nadie eligió PagoEfectivo en este periodo." : `De ${chose === 1 ? "1 comprador que eligió" : `${chose} compradores que eligieron`} PagoEfectivo, ${paid === 1 ? "1 pagó" : `${paid} pagaron`} (${insightsShare(paid, chose)}).`,
  median: (time: string) => `La mitad de los pagos llegó dentro de ${time} desde que se emitió el código.`,
  p90: (time: string) => `El 90 % llegó dentro de ${time}: un código que vive al menos eso cubre a casi todos los que pagan.`,
  paidLate: (n: number) => (n === 1 ? "1 pago llegó después del vencimiento del código." : `${n} pagos llegaron después del vencimiento del código.`),
  duration: (minutes: number) => (minutes < 1 ? "1 min" : minutes < 60 ? `${minutes} min` : minutes < 48 * 60 ? `${formatPercent(minutes / 60)} h` : `${formatPercent(minutes / 1440)} días`),
  timeTitle: "Tiempo desde el código hasta el pago",
  buckets: { under_1h: "<1h", "1h_6h": "1–6h", "6h_24h": "6–24h", "24h_48h": "24–48h", "48h_72h": "48–72h", over_72h: ">72h" },
  payments: "Pagos",
  hoursTitle: "Por hora del día (hora de Lima)",
  hoursHelp: "Códigos emitidos a cada hora y cuántos de ellos se pagaron.",
  issuedSeries: "Códigos emitidos",
  paidSeries: "Pagados",
  hourLabel: (hour: number) => String(hour).padStart(2, "0"),
  hourTitle: (hour: number) => `${String(hour).padStart(2, "0")}:00–${String(hour).padStart(2, "0")}:59`,
  channelsTitle: "Dónde pagaron",
  channelColumns: { channel: "Canal", paid: "Pagos", share: "% de los pagos" },
  unknownChannel: "Canal desconocido",
  channelNote:
    "La notificación de pago de PagoEfectivo no dice por qué canal se pagó (agente, banca móvil, billetera). El canal se conoce solo cuando importas el archivo de liquidación del portal que lo incluye.",
  channelImport: "Importar liquidación",
  empty: "No hay compras con PagoEfectivo en este periodo.",
  noPayments: "Todavía no hay pagos en este periodo.",
};

function formatPercent(value: number): string {
  return value.toLocaleString("es-PE", { maximumFractionDigits: 1 });
}

function insightsShare(part: number, whole: number): string {
  return `${formatPercent((part * 100) / whole)} %`;
}

export type InsightsMessages = typeof insightsEs;
