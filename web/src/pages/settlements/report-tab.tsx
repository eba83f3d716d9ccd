import { BlockStack, Button, ButtonGroup, Card, EmptyState, InlineGrid, InlineStack, Layout, Select, SkeletonBodyText, Text, TextField } from "@shopify/polaris";
import { ExportIcon } from "@shopify/polaris-icons";
import { useMemo } from "react";

import { queryKeys } from "../../api/query-keys";
import { UPCOMING_DAYS } from "../../api/reconciliation-client";
import { useReconciliationClient } from "../../api/reconciliation-context";
import { GRANULARITIES, type ReportQuery } from "../../api/reconciliation-types";
import { EMPTY_PAYMENTS } from "../../assets/images";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { useApi } from "../../hooks/use-api";
import { useI18n } from "../../i18n/i18n-context";
import { useRouter } from "../../router/router";
import { ReportBody } from "./report-body";
import { parseReportQuery } from "./report-periods";
import { settlementsUrl } from "./settlements-url";
import { UpcomingPayoutsCard } from "./upcoming-payouts-card";

/** Liquidaciones › Reporte: the filters, the report's figures and, beside them, the payouts to come. */
export function ReportTab() {
  const { t, dates } = useI18n();
  const s = t.settlements.report;
  const client = useReconciliationClient();
  const { location, navigate } = useRouter();
  const query = useMemo(() => parseReportQuery(location.search, dates.today()), [location.search, dates]);
  const report = useApi(() => client.report(query), queryKeys.report(query));
  const upcoming = useApi(() => client.upcomingPayouts(), queryKeys.upcomingPayouts(UPCOMING_DAYS));

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
