import "@shopify/polaris-viz/build/esm/styles.css";

import { BarChart, type DataSeries, PolarisVizProvider } from "@shopify/polaris-viz";

import type { Currency } from "../../api/types";
import { formatMoney } from "../../format/money";
import { useI18n } from "../../i18n/i18n-context";

export interface ChartPeriod {
  key: string;
  label: string;
  grossMinor: number;
  netMinor: number;
}

/** Polaris blue for gross, PagoEfectivo's green-teal for net: apart for people who cannot tell red/green. */
const GROSS_COLOR = "#2C6ECB";
const NET_COLOR = "#1F9A6E";

/**
 * Gross and net per period for one currency (PEN and USD are never drawn together). The chart library
 * plots numbers, so the céntimos are divided by 100 for the bars only; every label and tooltip formats
 * the integer céntimos again. Bundled by Vite: no CDN, no remote fonts, SVG with inline styles (allowed by
 * the panel's CSP style-src 'unsafe-inline').
 */
export function SettlementChart({ currency, periods }: { currency: Currency; periods: ChartPeriod[] }) {
  const { t } = useI18n();
  const s = t.settlements.report;
  const labels = new Map(periods.map((period) => [period.key, period.label]));
  const data: DataSeries[] = [
    { name: s.gross, color: GROSS_COLOR, data: periods.map((period) => ({ key: period.key, value: period.grossMinor / 100 })) },
    { name: s.net, color: NET_COLOR, data: periods.map((period) => ({ key: period.key, value: period.netMinor / 100 })) },
  ];
  const money = (value: string | number | null) => (typeof value === "number" ? formatMoney(Math.round(value * 100), currency) : "");
  const compact = (value: string | number | null) => {
    if (typeof value !== "number") return "";
    const symbol = currency === "PEN" ? "S/" : "US$";
    return Math.abs(value) >= 10_000 ? `${symbol} ${Math.round(value / 1000)}k` : `${symbol} ${Math.round(value)}`;
  };
  return (
    <PolarisVizProvider defaultTheme="Light">
      <div style={{ height: 280 }} data-testid={`settlement-chart-${currency}`}>
        <BarChart
          data={data}
          theme="Light"
          isAnimated={false}
          showLegend
          xAxisOptions={{ labelFormatter: (value) => labels.get(String(value)) ?? String(value ?? "") }}
          yAxisOptions={{ labelFormatter: compact }}
          tooltipOptions={{ valueFormatter: money, titleFormatter: (value) => labels.get(String(value)) ?? String(value ?? "") }}
        />
      </div>
    </PolarisVizProvider>
  );
}
