import { BlockStack, Box, Card, DataTable, InlineGrid, Text } from "@shopify/polaris";

import type { SettlementReport, Totals } from "../../api/reconciliation-types";
import type { Currency } from "../../api/types";
import { formatMoney } from "../../format/money";
import { useI18n } from "../../i18n/i18n-context";
import { byChannel, byPeriod, periodLabel } from "./report-periods";
import { SettlementChart } from "./settlement-chart";

const CURRENCIES: readonly Currency[] = ["PEN", "USD"];

/** The settlement report's figures: per currency its totals, chart and periods; then by channel. */
export function ReportBody({ report }: { report: SettlementReport }) {
  const { t, dates } = useI18n();
  const s = t.settlements.report;
  const currencies = CURRENCIES.filter((currency) => report.rows.some((row) => row.currency === currency) || (report.totals[currency]?.count ?? 0) > 0);
  const channels = byChannel(report.rows);
  const money = (minor: number, currency: Currency) => formatMoney(minor, currency);

  return (
    <BlockStack gap="400">
      {currencies.length === 0 ? (
        <Card>
          <Text as="p" tone="subdued">
            {s.noRowsInRange}
          </Text>
        </Card>
      ) : null}
      {currencies.map((currency) => {
        const periods = byPeriod(report.rows, currency);
        const totals = report.totals[currency] ?? periods.reduce<Totals>(
          (sum, group) => ({
            count: sum.count + group.count,
            grossMinor: sum.grossMinor + group.grossMinor,
            commissionMinor: sum.commissionMinor + group.commissionMinor,
            netMinor: sum.netMinor + group.netMinor,
          }),
          { count: 0, grossMinor: 0, commissionMinor: 0, netMinor: 0 },
        );
        return (
          <Card key={currency}>
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd">
                {s.chartTitle(currency)}
              </Text>
              <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
                <Metric label={s.count} value={String(totals.count)} testId={`total-count-${currency}`} />
                <Metric label={s.gross} value={money(totals.grossMinor, currency)} testId={`total-gross-${currency}`} />
                <Metric label={s.commission} value={money(totals.commissionMinor, currency)} testId={`total-commission-${currency}`} />
                <Metric label={s.net} value={money(totals.netMinor, currency)} testId={`total-net-${currency}`} />
              </InlineGrid>
              <SettlementChart
                currency={currency}
                periods={periods.map((group) => ({
                  key: group.key || "—",
                  label: periodLabel(group.period, t, dates),
                  grossMinor: group.grossMinor,
                  netMinor: group.netMinor,
                }))}
              />
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
                headings={[s.columns.period, s.columns.count, s.columns.gross, s.columns.commission, s.columns.net]}
                rows={periods.map((group) => [
                  periodLabel(group.period, t, dates),
                  group.count,
                  money(group.grossMinor, currency),
                  money(group.commissionMinor, currency),
                  money(group.netMinor, currency),
                ])}
              />
            </BlockStack>
          </Card>
        );
      })}
      {channels.length > 0 ? (
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {s.byChannelTitle}
            </Text>
            <div data-testid="report-by-channel">
              <DataTable
                columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "numeric"]}
                headings={[s.columns.channel, s.columns.currency, s.columns.count, s.columns.gross, s.columns.commission, s.columns.net]}
                rows={channels.map((group) => [
                  group.channel ?? s.noChannel,
                  group.currency,
                  group.count,
                  money(group.grossMinor, group.currency),
                  money(group.commissionMinor, group.currency),
                  money(group.netMinor, group.currency),
                ])}
              />
            </div>
          </BlockStack>
        </Card>
      ) : null}
    </BlockStack>
  );
}

function Metric({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Box background="bg-surface-secondary" padding="300" borderRadius="200">
      <BlockStack gap="100">
        <Text as="span" variant="bodySm" tone="subdued">
          {label}
        </Text>
        <Text as="span" variant="headingMd" numeric>
          <span data-testid={testId}>{value}</span>
        </Text>
      </BlockStack>
    </Box>
  );
}

