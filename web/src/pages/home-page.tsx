import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Divider,
  Icon,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  ProgressBar,
  SkeletonBodyText,
  SkeletonDisplayText,
  Text,
} from "@shopify/polaris";
import { CheckCircleIcon } from "@shopify/polaris-icons";

import { useAdminClient } from "../api/client-context";
import { DEFAULT_PAYMENT_QUERY,paymentQuerySearch } from "../api/payment-query";
import { queryKeys } from "../api/query-keys";
import type { PaymentState, SetupInfo, SetupSteps, TodaySummary } from "../api/types";
import { ApiErrorBanner } from "../components/api-error-banner";
import { useSession } from "../components/session-context";
import { formatMoney } from "../format/money";
import { useApi } from "../hooks/use-api";
import { useDocumentTitle } from "../hooks/use-document-title";
import { useI18n } from "../i18n/i18n-context";
import { paths } from "../router/routes";
import styles from "./home-page.module.css";

const STEP_ORDER: Array<keyof SetupSteps> = ["credentials", "connectionTested", "notificationUrlConfirmed", "activated"];
const STEP_ANCHOR: Record<keyof SetupSteps, string> = {
  credentials: "credentials",
  connectionTested: "credentials",
  notificationUrlConfirmed: "notification-url",
  activated: "activation",
};

export function HomePage() {
  const { t } = useI18n();
  const client = useAdminClient();
  const session = useSession();
  const setup = useApi(client.setup, queryKeys.setup);
  const summary = useApi(client.summaryToday, queryKeys.summaryToday);
  useDocumentTitle(t.home.title);

  return (
    <Page title={t.home.title}>
      <Layout>
        {session.mode === "sandbox" ? (
          <Layout.Section>
            <Banner tone="info">
              <Text as="p">{t.home.sandboxNotice}</Text>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          {setup.state.data ? (
            <SetupGuide setup={setup.state.data} />
          ) : setup.state.status === "error" ? (
            <ApiErrorBanner error={setup.state.error} title={t.errors.loadTitle} onRetry={setup.reload} />
          ) : (
            <Card>
              <BlockStack gap="400">
                <SkeletonDisplayText size="small" />
                <SkeletonBodyText lines={6} />
              </BlockStack>
            </Card>
          )}
        </Layout.Section>
        <Layout.Section>
          {summary.state.data ? (
            <TodayFigures summary={summary.state.data} />
          ) : summary.state.status === "error" ? (
            <ApiErrorBanner error={summary.state.error} title={t.errors.loadTitle} onRetry={summary.reload} />
          ) : (
            <Card>
              <BlockStack gap="400">
                <SkeletonDisplayText size="small" />
                <SkeletonBodyText lines={3} />
              </BlockStack>
            </Card>
          )}
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function SetupGuide({ setup }: { setup: SetupInfo }) {
  const { t } = useI18n();
  const done = STEP_ORDER.filter((step) => setup.steps[step]).length;
  if (done === STEP_ORDER.length) {
    return (
      <Banner tone="success" title={t.home.readyTitle}>
        <Text as="p">{t.home.readyText}</Text>
      </Banner>
    );
  }
  const next = STEP_ORDER.find((step) => !setup.steps[step]);
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t.home.setupTitle}
          </Text>
          <InlineStack gap="300" blockAlign="center" wrap={false}>
            <Text as="span" variant="bodySm" tone="subdued">
              {t.home.setupProgress(done, STEP_ORDER.length)}
            </Text>
            <div className={styles.progress}>
              <ProgressBar progress={(done / STEP_ORDER.length) * 100} size="small" tone="success" />
            </div>
          </InlineStack>
        </BlockStack>
        <Divider />
        <ol className={styles.steps} data-testid="setup-steps">
          {STEP_ORDER.map((step) => {
            const complete = setup.steps[step];
            const copy = t.home.steps[step];
            return (
              <li key={step} className={styles.step} data-step={step} data-complete={complete}>
                <div className={styles.stepIcon}>
                  {complete ? <Icon source={CheckCircleIcon} tone="success" /> : <span className={styles.emptyCircle} aria-hidden />}
                </div>
                <div className={styles.stepText}>
                  <Text as="h3" variant="headingSm" tone={complete ? "subdued" : undefined}>
                    {copy.title}
                  </Text>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {complete ? t.home.stepDone : copy.description}
                  </Text>
                </div>
                {complete ? null : (
                  <div className={styles.stepAction}>
                    <Button variant={step === next ? "primary" : "secondary"} url={`${paths.settings}#${STEP_ANCHOR[step]}`}>
                      {copy.action}
                    </Button>
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      </BlockStack>
    </Card>
  );
}

function TodayFigures({ summary }: { summary: TodaySummary }) {
  const { t, dates } = useI18n();
  const todayList = (states: PaymentState[]) =>
    `${paths.payments}${paymentQuerySearch({ ...DEFAULT_PAYMENT_QUERY, state: states, from: summary.date, to: summary.date })}`;
  const figures: Array<{ label: string; value: number; url: string; testId: string }> = [
    { label: t.home.sessions, value: summary.started, url: todayList([]), testId: "today-sessions" },
    { label: t.home.paid, value: summary.paid, url: todayList(["paid"]), testId: "today-paid" },
    { label: t.home.pending, value: summary.pending, url: todayList(["pending", "awaiting_phone"]), testId: "today-pending" },
    { label: t.home.expired, value: summary.expired, url: todayList(["expired"]), testId: "today-expired" },
    { label: t.home.other, value: summary.other, url: todayList(["rejected", "cancelled"]), testId: "today-other" },
  ];
  const totals = summary.totals.filter((total) => total.paidMinor !== 0 || total.pendingMinor !== 0);

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t.home.todayTitle(dates.calendarDate(summary.date))}
          </Text>
          <Button variant="plain" url={paths.payments}>
            {t.home.viewPayments}
          </Button>
        </InlineStack>
        <InlineGrid columns={{ xs: 2, md: 5 }} gap="400">
          {figures.map((figure) => (
            <Box key={figure.label} background="bg-surface-secondary" padding="300" borderRadius="200">
              <BlockStack gap="100">
                <Text as="span" variant="bodySm" tone="subdued">
                  {figure.label}
                </Text>
                <Link url={figure.url} removeUnderline monochrome>
                  <Text as="span" variant="headingXl" numeric>
                    <span data-testid={figure.testId}>{figure.value}</span>
                  </Text>
                </Link>
              </BlockStack>
            </Box>
          ))}
        </InlineGrid>
        <Divider />
        {totals.length === 0 ? (
          <Text as="p" tone="subdued">
            {t.home.noAmounts}
          </Text>
        ) : (
          <BlockStack gap="200">
            {totals.map((total) => (
              <InlineGrid key={total.currency} columns={2} gap="400">
                <BlockStack gap="050">
                  <Text as="span" variant="bodySm" tone="subdued">
                    {t.home.collected} · {total.currency}
                  </Text>
                  <Text as="span" variant="headingLg" numeric tone="success">
                    {formatMoney(total.paidMinor, total.currency)}
                  </Text>
                </BlockStack>
                <BlockStack gap="050">
                  <Text as="span" variant="bodySm" tone="subdued">
                    {t.home.toCollect} · {total.currency}
                  </Text>
                  <Text as="span" variant="headingLg" numeric>
                    {formatMoney(total.pendingMinor, total.currency)}
                  </Text>
                </BlockStack>
              </InlineGrid>
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
