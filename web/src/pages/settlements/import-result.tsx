import { Banner, BlockStack, Box, Button, Card, DataTable, InlineGrid, InlineStack, Text } from "@shopify/polaris";

import type { SettlementImport } from "../../api/reconciliation-types";
import { useI18n } from "../../i18n/i18n-context";
import { paths } from "../../router/routes";
import { ImportStatusBadge } from "./import-progress";
import { settlementsUrl } from "./settlements-url";

/** What an import did: counts, bad rows with their line and reason, and where to go next. */
export function ImportResultCard(props: { record: SettlementImport; duplicate: boolean; onAnother(): void }) {
  const { t } = useI18n();
  const s = t.settlements.import;
  const { record } = props;
  const failed = record.status === "failed";
  // Finished, yet not one row could be read: almost always the wrong columns, or not a settlement file.
  const nothingRead = record.status === "done" && record.goodRows === 0 && record.duplicateRows === 0;
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            {s.resultTitle}
          </Text>
          <span data-testid="import-result-status">
            <ImportStatusBadge record={record} />
          </span>
        </InlineStack>
        <Text as="p" tone="subdued">
          {record.fileName}
        </Text>
        {props.duplicate ? (
          <Banner tone="info">
            <p data-testid="import-duplicate">{s.duplicateFile}</p>
          </Banner>
        ) : null}
        {failed ? (
          <Banner tone="critical">
            <p>{s.failedGeneric}</p>
          </Banner>
        ) : null}
        {nothingRead ? (
          <Banner tone="critical">
            <p data-testid="import-nothing-read">{s.noGoodRows}</p>
          </Banner>
        ) : null}
        <div data-testid="import-result">
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
            <Count label={s.counts.total} value={record.totalRows} testId="count-total" />
            <Count label={s.counts.good} value={record.goodRows} testId="count-good" tone="success" />
            <Count label={s.counts.bad} value={record.badRows} testId="count-bad" tone={record.badRows > 0 ? "critical" : undefined} />
            <Count label={s.counts.duplicate} value={record.duplicateRows} testId="count-duplicate" />
          </InlineGrid>
        </div>
        {record.errors.length > 0 ? (
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              {s.badRowsTitle}
            </Text>
            <div data-testid="bad-rows">
              <DataTable
                columnContentTypes={["numeric", "text"]}
                headings={[s.line, s.reason]}
                rows={record.errors.map((error) => [error.line, error.reason])}
                truncate={false}
              />
            </div>
            {record.badRows > record.errors.length ? (
              <Text as="p" variant="bodySm" tone="subdued">
                {s.badRowsMore(record.errors.length, record.badRows)}
              </Text>
            ) : null}
          </BlockStack>
        ) : null}
        <InlineStack gap="200">
          {!failed ? (
            <>
              <Button variant="primary" url={paths.reconciliation}>
                {s.viewExceptions}
              </Button>
              <Button url={settlementsUrl("report")}>{s.viewReport}</Button>
            </>
          ) : null}
          <Button onClick={props.onAnother}>{s.another}</Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function Count(props: { label: string; value: number; testId: string; tone?: "success" | "critical" }) {
  return (
    <Box background="bg-surface-secondary" padding="300" borderRadius="200">
      <BlockStack gap="100">
        <Text as="span" variant="bodySm" tone="subdued">
          {props.label}
        </Text>
        <Text as="span" variant="headingLg" numeric {...(props.tone ? { tone: props.tone } : {})}>
          <span data-testid={props.testId}>{props.value}</span>
        </Text>
      </BlockStack>
    </Box>
  );
}
