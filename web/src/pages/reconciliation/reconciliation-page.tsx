import { Banner, BlockStack, Button, Card, InlineStack, Layout, Page, SkeletonBodyText, Text } from "@shopify/polaris";
import { ExportIcon, RefreshIcon } from "@shopify/polaris-icons";
import { useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";

import { queryKeys } from "../../api/query-keys";
import { useReconciliationClient } from "../../api/reconciliation-context";
import type { ReconciliationStatus } from "../../api/reconciliation-types";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { useToast } from "../../components/toast-context";
import { useApi } from "../../hooks/use-api";
import { useDocumentTitle } from "../../hooks/use-document-title";
import { useI18n } from "../../i18n/i18n-context";
import { useRouter } from "../../router/router";
import { paths } from "../../router/routes";
import { ExceptionKindBadge } from "./exception-kind-badge";
import { ExceptionModal } from "./exception-modal";
import { type ExceptionsView, exceptionsViewSearch, parseExceptionsView } from "./exception-query";
import { ExceptionsTable } from "./exceptions-table";
import styles from "./reconciliation.module.css";
import { useReconciliationRun } from "./use-reconciliation-run";

export function ReconciliationPage() {
  const { t } = useI18n();
  const r = t.reconciliation;
  const client = useReconciliationClient();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { location, navigate } = useRouter();
  const view = useMemo(() => parseExceptionsView(location.search), [location.search]);
  const status = useApi(() => client.status(), queryKeys.reconciliationStatus);
  const list = useApi(() => client.exceptions(view.query), queryKeys.exceptionList(view.query));
  useDocumentTitle(r.title);

  const run = useReconciliationRun((finished) => {
    // A finished run changes the summary (and the nav badge), every exception list and the run itself.
    void queryClient.invalidateQueries({ queryKey: queryKeys.reconciliation });
    if (finished.status === "failed") toast(r.runFailed(finished.error ?? ""), { error: true });
    else toast(r.runDone);
  });

  const go = (next: ExceptionsView, options: { replace?: boolean } = {}) => navigate(`${paths.reconciliation}${exceptionsViewSearch(next)}`, options);
  const openException = (id: string | null) => go({ ...view, exceptionId: id });
  const filterKind = (kind: string) => go({ tab: "open", query: { ...view.query, status: "open", kind: [kind], page: 1 }, exceptionId: null });
  const running = run.active !== null || Boolean(status.state.data?.activeRun);

  return (
    <Page
      title={r.title}
      subtitle={r.subtitle}
      primaryAction={{
        content: running ? r.running : r.runNow,
        icon: RefreshIcon,
        onAction: run.start,
        loading: run.active !== null,
        disabled: running,
      }}
      secondaryActions={
        <Button icon={ExportIcon} url={client.exceptionsCsvUrl(view.query)} download>
          {r.exportCsv}
        </Button>
      }
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ApiErrorBanner error={run.error} onDismiss={run.clearError} />
            <GlanceCard
              status={status.state.data}
              loading={status.state.status === "loading" && !status.state.data}
              running={running}
              onKind={filterKind}
            />
            <ApiErrorBanner error={status.state.error} title={t.errors.loadTitle} onRetry={status.reload} />
            <ExceptionsTable
              view={view}
              list={list}
              onView={(next) => go(next)}
              onOpen={(id) => openException(id)}
            />
          </BlockStack>
        </Layout.Section>
      </Layout>
      {view.exceptionId ? (
        <ExceptionModal
          key={view.exceptionId}
          id={view.exceptionId}
          initial={list.state.data?.items.find((item) => item.id === view.exceptionId) ?? null}
          onClose={() => openException(null)}
          onResolved={() => toast(r.resolved)}
        />
      ) : null}
    </Page>
  );
}

function GlanceCard(props: { status: ReconciliationStatus | null; loading: boolean; running: boolean; onKind(kind: string): void }) {
  const { t, dates } = useI18n();
  const r = t.reconciliation;
  const { status } = props;
  const kinds = status ? Object.entries(status.openByKind).filter(([, count]) => count > 0).sort((a, b) => b[1] - a[1]) : [];
  const lines = status ? Object.entries(status.lineStatus).filter(([, count]) => count > 0) : [];
  const last = status?.lastRun ?? null;

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            {r.glanceTitle}
          </Text>
          {status ? (
            <Text as="span" variant="headingMd" tone={status.openTotal > 0 ? "critical" : "success"}>
              <span data-testid="open-total">{r.openTotal(status.openTotal)}</span>
            </Text>
          ) : null}
        </InlineStack>
        {props.loading || !status ? (
          <SkeletonBodyText lines={3} />
        ) : (
          <>
            {kinds.length === 0 ? (
              <Banner tone="success">
                <p>{r.allClear}</p>
              </Banner>
            ) : (
              <div className={styles.kinds} data-testid="open-by-kind">
                {kinds.map(([kind, count]) => (
                  <button key={kind} type="button" className={styles.kindLink} onClick={() => props.onKind(kind)} data-kind={kind}>
                    <ExceptionKindBadge kind={kind} count={count} />
                  </button>
                ))}
              </div>
            )}
            {lines.length > 0 ? (
              <BlockStack gap="100">
                <Text as="h3" variant="headingSm">
                  {r.lineStatusTitle}
                </Text>
                <Text as="p" tone="subdued">
                  {lines.map(([key, count]) => `${r.lineStatuses[key] ?? key}: ${count}`).join(" · ")}
                </Text>
              </BlockStack>
            ) : null}
            <BlockStack gap="050">
              <Text as="p">
                <span data-testid="last-run">
                {props.running
                  ? r.runQueued
                  : last
                    ? `${r.lastRun(dates.dateTime(last.finishedAt ?? last.startedAt))}${r.triggers[last.trigger] ? ` (${r.triggers[last.trigger]})` : ""}`
                    : r.neverRun}
                </span>
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                {r.scheduleNote}
              </Text>
            </BlockStack>
          </>
        )}
      </BlockStack>
    </Card>
  );
}
