import { Badge, type BadgeProps, BlockStack, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

import type { ApiError } from "../../api/admin-client";
import { valueOf } from "../../api/query-client";
import { queryKeys } from "../../api/query-keys";
import { useReconciliationClient } from "../../api/reconciliation-context";
import type { ImportStatus, SettlementImport } from "../../api/reconciliation-types";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { apiErrorOf } from "../../hooks/use-api";
import { useI18n } from "../../i18n/i18n-context";

const POLL_MS = 700;

export function isFinished(status: ImportStatus): boolean {
  return status === "done" || status === "failed";
}

/** How far along: the server's figure, else bytes read of the file; reconciling counts as almost done. */
export function importPercent(record: SettlementImport): number {
  if (record.status === "done" || record.status === "failed") return 100;
  if (record.status === "queued") return 0;
  const fraction = record.progress;
  const percent = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return record.status === "reconciling" ? Math.max(percent, 95) : Math.min(percent, 94);
}

const STATUS_TONE: Record<ImportStatus, BadgeProps["tone"]> = {
  queued: "info",
  importing: "attention",
  reconciling: "attention",
  done: "success",
  failed: "critical",
};

/**
 * An import's state, honestly: a file that finished with no good row is not a green "Importado", and
 * one with bad rows says so.
 */
export function ImportStatusBadge({ record }: { record: Pick<SettlementImport, "status" | "goodRows" | "badRows" | "duplicateRows"> }) {
  const { t } = useI18n();
  const s = t.settlements.import;
  const { status } = record;
  if (status === "done" && record.goodRows === 0 && record.duplicateRows === 0) return <Badge tone="critical">{s.noGoodRowsBadge}</Badge>;
  if (status === "done" && record.badRows > 0) return <Badge tone="warning">{s.withErrorsBadge}</Badge>;
  return <Badge tone={STATUS_TONE[status]}>{s.statuses[status] ?? status}</Badge>;
}

/**
 * Follows an import until it is done or failed: its status query polls every POLL_MS (TanStack Query's
 * refetchInterval) and stops once the record is finished; `onFinished` gets the final record, once.
 */
export function useImportPolling(initial: SettlementImport, onFinished: (record: SettlementImport) => void) {
  const client = useReconciliationClient();
  const finished = useRef(onFinished);
  finished.current = onFinished;
  const status = useQuery({
    queryKey: queryKeys.importStatus(initial.id),
    queryFn: () => valueOf(client.importStatus(initial.id)),
    initialData: initial,
    initialDataUpdatedAt: 0,
    enabled: !isFinished(initial.status),
    refetchInterval: (query) => (query.state.data && isFinished(query.state.data.status) ? false : POLL_MS),
    refetchIntervalInBackground: true,
    // Polling is the retry: one failed poll shows its error until the next one answers.
    retry: false,
  });
  const record = status.data;

  const told = useRef<string | null>(null);
  useEffect(() => {
    if (!isFinished(record.status) || told.current === record.id) return;
    told.current = record.id;
    finished.current(record);
  }, [record]);

  return { record, error: status.error ? apiErrorOf(status.error) : null };
}

/** The progress bar of a running import. */
export function ImportProgressCard({ record, error }: { record: SettlementImport; error: ApiError | null }) {
  const { t } = useI18n();
  const s = t.settlements.import;
  const percent = importPercent(record);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            {s.progressTitle}
          </Text>
          <ImportStatusBadge record={record} />
        </InlineStack>
        <Text as="p" tone="subdued">
          {record.fileName}
        </Text>
        <div data-testid="import-progress" data-percent={percent}>
          <ProgressBar progress={percent} tone="primary" size="medium" ariaLabelledBy="import-progress-label" />
        </div>
        <InlineStack align="space-between">
          <Text as="span" variant="bodySm" tone="subdued">
            <span id="import-progress-label">{s.progressLabel(percent)}</span>
          </Text>
          <Text as="span" variant="bodySm" tone="subdued">
            {s.rowsSoFar(record.totalRows)}
          </Text>
        </InlineStack>
        <ApiErrorBanner error={error} />
      </BlockStack>
    </Card>
  );
}
