import type { InsightsMessages } from "./insights-es";

/** The payments insight tab (Settlements › Payments insight), in English. */
export const insightsEn: InsightsMessages = {
  intro: "Of the shoppers who chose PagoEfectivo in the period: how many paid, how many let the code expire, how long they took and where they paid.",
  from: "From",
  to: "To",
  exportCsv: "Export CSV",
  chose: "Chose PagoEfectivo",
  paid: "Paid",
  expired: "Let the code expire",
  pending: "Can still pay",
  withoutCode: "No code issued",
  cancelled: "Cancelled unpaid",
  share: (part: number, whole: number) => (whole > 0 ? `${formatPercent((part * 100) / whole)}%` : "—"),
  paidAmount: "Collected",
  headline: (chose: number, paid: number) =>
    chose === 0 ? "Nobody chose PagoEfectivo in this period." : `Of ${chose === 1 ? "1 shopper" : `${chose} shoppers`} who chose PagoEfectivo, ${paid} paid (${formatPercent((paid * 100) / chose)}%).`,
  median: (time: string) => `Half of the payments came within ${time} of the code being issued.`,
  p90: (time: string) => `90% came within ${time}: a code that lives at least that long covers nearly everyone who pays.`,
  paidLate: (n: number) => (n === 1 ? "1 payment came after the code's expiry." : `${n} payments came after the code's expiry.`),
  duration: (minutes: number) => (minutes < 1 ? "1 min" : minutes < 60 ? `${minutes} min` : minutes < 48 * 60 ? `${formatPercent(minutes / 60)} h` : `${formatPercent(minutes / 1440)} days`),
  timeTitle: "Time from code to payment",
  buckets: { under_1h: "<1h", "1h_6h": "1–6h", "6h_24h": "6–24h", "24h_48h": "24–48h", "48h_72h": "48–72h", over_72h: ">72h" },
  payments: "Payments",
  hoursTitle: "By hour of day (Lima time)",
  hoursHelp: "Codes issued at each hour and how many of them were paid.",
  issuedSeries: "Codes issued",
  paidSeries: "Paid",
  hourLabel: (hour: number) => String(hour).padStart(2, "0"),
  hourTitle: (hour: number) => `${String(hour).padStart(2, "0")}:00–${String(hour).padStart(2, "0")}:59`,
  channelsTitle: "Where they paid",
  channelColumns: { channel: "Channel", paid: "Payments", share: "% of payments" },
  unknownChannel: "Unknown channel",
  channelNote:
    "PagoEfectivo's payment notification does not say which channel was used (agent, bank app, wallet). The channel is known only once you import a settlement file from the portal that includes it.",
  channelImport: "Import a settlement file",
  empty: "No PagoEfectivo purchases in this period.",
  noPayments: "No payments in this period yet.",
};

function formatPercent(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: 1 });
}
