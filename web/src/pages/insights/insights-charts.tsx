import "@shopify/polaris-viz/build/esm/styles.css";

import { BarChart, type DataSeries, PolarisVizProvider } from "@shopify/polaris-viz";

import type { PaymentInsightsAnswer } from "../../../../app/contracts/admin-api";
import { useI18n } from "../../i18n/i18n-context";

/** The same blue and green-teal as the settlement chart: apart for people who cannot tell red from green. */
const ISSUED_COLOR = "#2C6ECB";
const PAID_COLOR = "#1F9A6E";

const whole = (value: string | number | null) => (typeof value === "number" ? String(Math.round(value)) : "");

/** Paid payments by time from CIP to payment (the buckets the server counts). */
export function TimeToPayChart({ buckets }: { buckets: PaymentInsightsAnswer["timeToPay"]["buckets"] }) {
  const { t } = useI18n();
  const s = t.settlements.insights;
  const data: DataSeries[] = [{ name: s.payments, color: PAID_COLOR, data: buckets.map((b) => ({ key: s.buckets[b.bucket], value: b.count })) }];
  return (
    <PolarisVizProvider defaultTheme="Light">
      <div style={{ height: 240 }} data-testid="insights-time-chart">
        <BarChart data={data} theme="Light" isAnimated={false} showLegend={false} yAxisOptions={{ labelFormatter: whole, integersOnly: true }} tooltipOptions={{ valueFormatter: whole }} />
      </div>
    </PolarisVizProvider>
  );
}

/** CIPs issued per Lima hour of day, and how many of those were paid. */
export function HoursChart({ hours }: { hours: PaymentInsightsAnswer["hours"] }) {
  const { t } = useI18n();
  const s = t.settlements.insights;
  const label = (value: string | number | null) => s.hourLabel(Number(value));
  const title = (value: string | number | null) => s.hourTitle(Number(value));
  const data: DataSeries[] = [
    { name: s.issuedSeries, color: ISSUED_COLOR, data: hours.map((h) => ({ key: h.hour, value: h.issued })) },
    { name: s.paidSeries, color: PAID_COLOR, data: hours.map((h) => ({ key: h.hour, value: h.paidOfIssued })) },
  ];
  return (
    <PolarisVizProvider defaultTheme="Light">
      <div style={{ height: 260 }} data-testid="insights-hours-chart">
        <BarChart
          data={data}
          theme="Light"
          isAnimated={false}
          showLegend
          xAxisOptions={{ labelFormatter: label }}
          yAxisOptions={{ labelFormatter: whole, integersOnly: true }}
          tooltipOptions={{ valueFormatter: whole, titleFormatter: title }}
        />
      </div>
    </PolarisVizProvider>
  );
}
