import { Banner, BlockStack, Box, Button, Card, DataTable, InlineGrid, InlineStack, SkeletonBodyText, Text, TextField } from "@shopify/polaris";
import { ExportIcon } from "@shopify/polaris-icons";
import { useMemo } from "react";

import type { PaymentInsightsAnswer } from "../../../../app/contracts/admin-api";
import { queryKeys } from "../../api/query-keys";
import type { InsightsPeriod } from "../../api/reconciliation-client";
import { useReconciliationClient } from "../../api/reconciliation-context";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { formatMoney } from "../../format/money";
import { useApi } from "../../hooks/use-api";
import { useI18n } from "../../i18n/i18n-context";
import { useRouter } from "../../router/router";
import { settlementsUrl } from "../settlements/settlements-url";
import { HoursChart, TimeToPayChart } from "./insights-charts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Análisis de pagos: of the shoppers who chose PagoEfectivo over a period, how many paid or let the code
 * expire, how long paying took, where (only where a settlement file says) and at what Lima hour. The
 * period lives in the address; without one the server picks its last 30 days by the app's clock.
 */
export function InsightsTab() {
  const { t } = useI18n();
  const s = t.settlements.insights;
  const client = useReconciliationClient();
  const { location, navigate } = useRouter();
  const period = useMemo<InsightsPeriod>(() => {
    const params = new URLSearchParams(location.search);
    const from = params.get("from");
    const to = params.get("to");
    return { from: from && DATE.test(from) ? from : null, to: to && DATE.test(to) ? to : null };
  }, [location.search]);
  const insights = useApi(() => client.insights(period), queryKeys.insights(period));
  const data = insights.state.data;
  const shown = { from: period.from ?? data?.from ?? "", to: period.to ?? data?.to ?? "" };

  const update = (changes: { from?: string; to?: string }) => {
    const next = { ...shown, ...changes };
    navigate(settlementsUrl("insights", { from: next.from, to: next.to }), { replace: true });
  };

  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <Text as="p" tone="subdued">
            {s.intro}
          </Text>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300" alignItems="end">
            <TextField id="insights-from" label={s.from} type="date" value={shown.from} max={shown.to || undefined} onChange={(value) => DATE.test(value) && update({ from: value })} autoComplete="off" />
            <TextField id="insights-to" label={s.to} type="date" value={shown.to} min={shown.from || undefined} onChange={(value) => DATE.test(value) && update({ to: value })} autoComplete="off" />
            <InlineStack align="end">
              <Button icon={ExportIcon} url={client.insightsCsvUrl(period)} download>
                {s.exportCsv}
              </Button>
            </InlineStack>
          </InlineGrid>
        </BlockStack>
      </Card>
      <ApiErrorBanner error={insights.state.error} title={t.errors.loadTitle} onRetry={insights.reload} />
      {!data ? (
        insights.state.status === "loading" ? (
          <Card>
            <SkeletonBodyText lines={8} />
          </Card>
        ) : null
      ) : (
        <InsightsBody data={data} />
      )}
    </BlockStack>
  );
}

function InsightsBody({ data }: { data: PaymentInsightsAnswer }) {
  const { t } = useI18n();
  const s = t.settlements.insights;
  const amounts = (["PEN", "USD"] as const).filter((currency) => data.paidMinor[currency] > 0).map((currency) => formatMoney(data.paidMinor[currency], currency));
  const median = data.timeToPay.medianMinutes;
  const p90 = data.timeToPay.p90Minutes;
  const unknown = data.channels.some((channel) => channel.channel === null);
  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            <span data-testid="insights-headline">{s.headline(data.chose, data.paid)}</span>
          </Text>
          <InlineGrid columns={{ xs: 2, md: 3, lg: 6 }} gap="300">
            <Metric label={s.chose} value={String(data.chose)} testId="insights-chose" />
            <Metric label={s.paid} value={String(data.paid)} note={s.share(data.paid, data.chose)} testId="insights-paid" />
            <Metric label={s.expired} value={String(data.expired)} note={s.share(data.expired, data.chose)} testId="insights-expired" />
            <Metric label={s.pending} value={String(data.pending)} note={s.share(data.pending, data.chose)} testId="insights-pending" />
            <Metric label={s.withoutCode} value={String(data.withoutCode)} note={s.share(data.withoutCode, data.chose)} testId="insights-without-code" />
            <Metric label={s.cancelled} value={String(data.cancelled)} note={s.share(data.cancelled, data.chose)} testId="insights-cancelled" />
          </InlineGrid>
          {amounts.length > 0 ? (
            <Text as="p">
              {`${s.paidAmount}: `}
              <span data-testid="insights-amount">{amounts.join(" · ")}</span>
            </Text>
          ) : null}
        </BlockStack>
      </Card>
      {data.chose === 0 ? null : (
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {s.timeTitle}
              </Text>
              {median === null || p90 === null ? (
                <Text as="p" tone="subdued">
                  {s.noPayments}
                </Text>
              ) : (
                <>
                  <BlockStack gap="100">
                    <Text as="p">
                      <span data-testid="insights-median">{s.median(s.duration(median))}</span>
                    </Text>
                    <Text as="p">{s.p90(s.duration(p90))}</Text>
                    {data.paidLate > 0 ? (
                      <Text as="p" tone="caution">
                        {s.paidLate(data.paidLate)}
                      </Text>
                    ) : null}
                  </BlockStack>
                  <TimeToPayChart buckets={data.timeToPay.buckets} />
                </>
              )}
            </BlockStack>
          </Card>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {s.channelsTitle}
              </Text>
              {data.paid === 0 ? (
                <Text as="p" tone="subdued">
                  {s.noPayments}
                </Text>
              ) : (
                <div data-testid="insights-channels">
                  <DataTable
                    columnContentTypes={["text", "numeric", "numeric"]}
                    headings={[s.channelColumns.channel, s.channelColumns.paid, s.channelColumns.share]}
                    rows={data.channels.map((channel) => [channel.channel ?? s.unknownChannel, channel.paid, s.share(channel.paid, data.paid)])}
                  />
                </div>
              )}
              {unknown ? (
                <Banner tone="info" action={{ content: s.channelImport, url: settlementsUrl("import") }}>
                  <p>{s.channelNote}</p>
                </Banner>
              ) : null}
            </BlockStack>
          </Card>
        </InlineGrid>
      )}
      {data.issued === 0 ? null : (
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {s.hoursTitle}
            </Text>
            <Text as="p" tone="subdued">
              {s.hoursHelp}
            </Text>
            <HoursChart hours={data.hours} />
          </BlockStack>
        </Card>
      )}
    </BlockStack>
  );
}

function Metric({ label, value, note, testId }: { label: string; value: string; note?: string; testId: string }) {
  return (
    <Box background="bg-surface-secondary" padding="300" borderRadius="200">
      <BlockStack gap="100">
        <Text as="span" variant="bodySm" tone="subdued">
          {label}
        </Text>
        <InlineStack gap="200" blockAlign="baseline">
          <Text as="span" variant="headingMd" numeric>
            <span data-testid={testId}>{value}</span>
          </Text>
          {note ? (
            <Text as="span" variant="bodySm" tone="subdued" numeric>
              {note}
            </Text>
          ) : null}
        </InlineStack>
      </BlockStack>
    </Box>
  );
}
