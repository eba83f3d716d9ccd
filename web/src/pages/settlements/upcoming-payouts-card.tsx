import { Banner, BlockStack, Button, Card, InlineStack, SkeletonBodyText, Text } from "@shopify/polaris";
import { ExportIcon } from "@shopify/polaris-icons";

import type { ApiError } from "../../api/admin-client";
import { useReconciliationClient } from "../../api/reconciliation-context";
import type { UpcomingPayouts } from "../../api/reconciliation-types";
import type { Currency } from "../../api/types";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { formatMoney } from "../../format/money";
import { useI18n } from "../../i18n/i18n-context";

/** The payouts to come (from imported files, or expected by the payout cycle) and what is overdue. */
export function UpcomingPayoutsCard(props: { payouts: UpcomingPayouts | null; loading: boolean; error: ApiError | null; onRetry(): void }) {
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
