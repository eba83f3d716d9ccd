import {
  Banner,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  DataTable,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Select,
  SkeletonBodyText,
  Text,
  TextField,
} from "@shopify/polaris";
import { ExportIcon } from "@shopify/polaris-icons";
import { useMemo } from "react";

import type { ApiError } from "../../api/admin-client";
import { useReconciliationClient } from "../../api/reconciliation-context";
import { GRANULARITIES, type ReportQuery, type SettlementReport, type Totals, type UpcomingPayouts } from "../../api/reconciliation-types";
import type { Currency } from "../../api/types";
import { EMPTY_PAYMENTS } from "../../assets/images";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { formatMoney } from "../../format/money";
import { useApi } from "../../hooks/use-api";
import { useI18n } from "../../i18n/i18n-context";
import { useRouter } from "../../router/router";
import { byChannel, byPeriod, parseReportQuery, periodLabel } from "./report-periods";
import { SettlementChart } from "./settlement-chart";
import { settlementsUrl } from "./settlements-url";

const CURRENCIES: readonly Currency[] = ["PEN", "USD"];

export function ReportTab() {
  const { t, dates } = useI18n();
  const s = t.settlements.report;
  const client = useReconciliationClient();
  const { location, navigate } = useRouter();
  const query = useMemo(() => parseReportQuery(location.search, dates.today()), [location.search, dates]);
  const key = `${query.granularity}|${query.basis}|${query.from}|${query.to}`;
  const report = useApi(() => client.report(query), key);
  const upcoming = useApi(() => client.upcomingPayouts(), "upcoming");

  const update = (changes: Partial<ReportQuery>) => {
    const next = { ...query, ...changes };
    const params: Record<string, string> = { granularity: next.granularity };
    if (next.basis !== "payment") params.basis = next.basis;
    if (next.from) params.from = next.from;
    if (next.to) params.to = next.to;
    navigate(settlementsUrl("report", params), { replace: true });
  };

  const data = report.state.data;
  const nothingImported = data && data.rows.length === 0 && Object.values(data.totals).every((totals) => !totals || totals.count === 0);

  return (
    <Layout>
      <Layout.Section>
        <BlockStack gap="400">
          <Card>
            <BlockStack gap="300">
              <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300" alignItems="end">
                <BlockStack gap="100">
                  <Text as="span" variant="bodyMd">
                    {s.granularity}
                  </Text>
                  <ButtonGroup variant="segmented" fullWidth>
                    {GRANULARITIES.map((granularity) => (
                      <Button
                        key={granularity}
                        pressed={query.granularity === granularity}
                        onClick={() => update({ granularity, from: null, to: query.to })}
                      >
                        {s.granularities[granularity]}
                      </Button>
                    ))}
                  </ButtonGroup>
                </BlockStack>
                <Select
                  id="report-basis"
                  label={s.basis}
                  options={[
                    { label: s.bases.payment, value: "payment" },
                    { label: s.bases.payout, value: "payout" },
                  ]}
                  value={query.basis}
                  onChange={(value) => update({ basis: value === "payout" ? "payout" : "payment" })}
                />
                <TextField
                  id="report-from"
                  label={s.from}
                  type="date"
                  value={query.from ?? ""}
                  max={query.to ?? undefined}
                  onChange={(value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && update({ from: value })}
                  autoComplete="off"
                />
                <TextField
                  id="report-to"
                  label={s.to}
                  type="date"
                  value={query.to ?? ""}
                  min={query.from ?? undefined}
                  onChange={(value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && update({ to: value })}
                  autoComplete="off"
                />
              </InlineGrid>
              <InlineStack align="end">
                <Button icon={ExportIcon} url={client.reportCsvUrl(query)} download>
                  {s.exportCsv}
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
          <ApiErrorBanner error={report.state.error} title={t.errors.loadTitle} onRetry={report.reload} />
          {!data ? (
            report.state.status === "loading" ? (
              <Card>
                <SkeletonBodyText lines={8} />
              </Card>
            ) : null
          ) : nothingImported ? (
            <Card>
              <EmptyState
                heading={s.emptyTitle}
                image={EMPTY_PAYMENTS}
                action={{ content: s.emptyAction, url: settlementsUrl("import") }}
              >
                <p>{s.emptyText}</p>
              </EmptyState>
            </Card>
          ) : (
            <ReportBody report={data} />
          )}
        </BlockStack>
      </Layout.Section>
      <Layout.Section variant="oneThird">
        <UpcomingPayoutsCard payouts={upcoming.state.data} loading={upcoming.state.status === "loading"} error={upcoming.state.error} onRetry={upcoming.reload} />
      </Layout.Section>
    </Layout>
  );
}

function ReportBody({ report }: { report: SettlementReport }) {
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

function UpcomingPayoutsCard(props: { payouts: UpcomingPayouts | null; loading: boolean; error: ApiError | null; onRetry(): void }) {
  const { t, dates } = useI18n();
  const s = t.settlements.report;
  const client = useReconciliationClient();
  const payouts = props.payouts?.rows ?? null;
  const overdue = Object.entries(props.payouts?.overdue ?? {}).filter(([, entry]) => entry.count > 0) as Array<[Currency, { count: number; grossMinor: number }]>;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {s.upcomingTitle}
        </Text>
        <ApiErrorBanner error={props.error} title={t.errors.loadTitle} onRetry={props.onRetry} />
        {overdue.length > 0 ? (
          <Banner tone="warning">
            <p>{overdue.map(([currency, entry]) => s.overdue(entry.count, formatMoney(entry.grossMinor, currency))).join(" · ")}</p>
          </Banner>
        ) : null}
        {!payouts ? (
          props.loading ? <SkeletonBodyText lines={4} /> : null
        ) : payouts.length === 0 ? (
          <Text as="p" tone="subdued">
            {s.upcomingEmpty}
          </Text>
        ) : (
          <ul style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: "var(--p-space-300)" }} data-testid="upcoming-payouts">
            {payouts.map((payout, index) => (
              <li key={`${payout.date}-${payout.currency}-${payout.channel ?? ""}-${index}`}>
                <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
                  <BlockStack gap="050">
                    <Text as="span" fontWeight="semibold">
                      {dates.calendarDate(payout.date)}
                    </Text>
                    <Text as="span" variant="bodySm" tone="subdued">
                      {[payout.channel ?? null, s.paymentsCount(payout.count)].filter(Boolean).join(" · ")}
                    </Text>
                    <Text as="span" variant="bodySm" tone="subdued">
                      {payout.expected ? s.upcomingExpected : s.upcomingFromFile}
                    </Text>
                  </BlockStack>
                  <BlockStack gap="050" inlineAlign="end">
                    <Text as="span" fontWeight="semibold" numeric>
                      {formatMoney(payout.netMinor, payout.currency)}
                    </Text>
                    {payout.netMinor !== payout.grossMinor ? (
                      <Text as="span" variant="bodySm" tone="subdued" numeric>
                        {`${s.gross}: ${formatMoney(payout.grossMinor, payout.currency)}`}
                      </Text>
                    ) : null}
                  </BlockStack>
                </InlineStack>
              </li>
            ))}
          </ul>
        )}
        <InlineStack>
          <Button variant="plain" icon={ExportIcon} url={client.upcomingCsvUrl()} download>
            {s.upcomingExport}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
