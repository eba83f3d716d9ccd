import { Banner, BlockStack, Button, Card, EmptyState, IndexTable, InlineStack, Link, Page, Text, useBreakpoints } from "@shopify/polaris";
import { useState } from "react";

import { type DeadLetterAnswer, deadLetterListAnswer, resentDeadLetterAnswer } from "../../../../app/contracts/admin-api";
import { useAdminClient } from "../../api/client-context";
import { queryKeys } from "../../api/query-keys";
import { EMPTY_PAYMENTS } from "../../assets/images";
import { ApiErrorBanner, apiErrorMessage } from "../../components/api-error-banner";
import { PageSkeleton } from "../../components/page-skeleton";
import { useToast } from "../../components/toast-context";
import { useApi } from "../../hooks/use-api";
import { useDocumentTitle } from "../../hooks/use-document-title";
import { useMutation } from "../../hooks/use-mutation";
import { useI18n } from "../../i18n/i18n-context";
import { paths } from "../../router/routes";
import { DEAD_LETTER_MESSAGES } from "./dead-letters-messages";

const PAGE_SIZE = 25;

/** GET /api/dead-letters (docs/admin-api.md). */
export type DeadLetterRow = DeadLetterAnswer;

/** Deliveries the outbox gave up on, with their last error, and a button to send each again. */
export function DeadLettersPage() {
  const { locale, dates, t } = useI18n();
  const m = DEAD_LETTER_MESSAGES[locale];
  const client = useAdminClient();
  const toast = useToast();
  const { smDown } = useBreakpoints();
  const [page, setPage] = useState(1);
  const list = useApi(
    () => client.send("GET", `/api/dead-letters?page=${page}&pageSize=${PAGE_SIZE}`, deadLetterListAnswer),
    queryKeys.deadLetterList(page, PAGE_SIZE),
  );
  const resend = useMutation({ invalidates: [queryKeys.deadLetters] });
  const [sending, setSending] = useState<string | null>(null);
  useDocumentTitle(m.title);

  const sendAgain = async (id: string) => {
    setSending(id);
    const result = await resend.run(() => client.send("POST", `/api/dead-letters/${encodeURIComponent(id)}/resend`, resentDeadLetterAnswer));
    setSending(null);
    if (result?.ok) {
      toast(m.resent);
    }
  };

  const data = list.state.data;
  return (
    <Page title={m.title} subtitle={m.subtitle}>
      <BlockStack gap="400">
        <ApiErrorBanner error={list.state.error} title={m.loadFailed} onRetry={list.reload} />
        {resend.error ? (
          <Banner tone="critical" title={m.resendFailed} onDismiss={resend.clearError}>
            <p>{apiErrorMessage(resend.error, t)}</p>
          </Banner>
        ) : null}
        {!data && list.state.status === "loading" ? (
          <PageSkeleton />
        ) : data && data.total === 0 ? (
          <Card>
            <EmptyState heading={m.emptyTitle} image={EMPTY_PAYMENTS}>
              <p>{m.emptyText}</p>
            </EmptyState>
          </Card>
        ) : data ? (
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: m.resourceSingular, plural: m.resourcePlural }}
              itemCount={data.items.length}
              selectable={false}
              condensed={smDown}
              loading={list.state.status === "loading"}
              headings={[
                { title: m.headings.kind },
                { title: m.headings.subject },
                { title: m.headings.attempts, alignment: "end" },
                { title: m.headings.failedAt },
                { title: m.headings.lastError },
                { title: m.headings.action },
              ]}
              pagination={{
                hasPrevious: page > 1,
                hasNext: page * PAGE_SIZE < data.total,
                onPrevious: () => setPage(page - 1),
                onNext: () => setPage(page + 1),
                label: m.pageLabel((page - 1) * PAGE_SIZE + 1, Math.min(data.total, page * PAGE_SIZE), data.total),
              }}
            >
              {data.items.map((row, index) => {
                const kind = (
                  <Text as="span" fontWeight="semibold">
                    {m.kinds[row.kind] ?? row.kind}
                  </Text>
                );
                const subject = row.paymentSessionId ? (
                  <Text as="span" breakWord>
                    <Link url={paths.payment(row.paymentSessionId)}>{row.paymentSessionId}</Link>
                  </Text>
                ) : (
                  "—"
                );
                const reason = (
                  <div style={{ maxWidth: "28rem", whiteSpace: "normal", wordBreak: "break-word" }}>
                    <Text as="span" tone="critical" variant="bodySm">
                      <span data-testid="dead-letter-reason" data-reason={row.reason}>
                        {m.reasons[row.reason] ?? m.reasons.other}
                      </span>
                    </Text>
                    {row.lastError ? (
                      <details>
                        <summary>
                          <Text as="span" variant="bodySm" tone="subdued">
                            {m.technicalDetail}
                          </Text>
                        </summary>
                        <Text as="span" variant="bodySm" tone="subdued">
                          <code lang="en">{row.lastError}</code>
                        </Text>
                      </details>
                    ) : null}
                  </div>
                );
                const action = (
                  <Button onClick={() => void sendAgain(row.id)} loading={sending === row.id} disabled={sending !== null && sending !== row.id}>
                    {m.resend}
                  </Button>
                );
                if (smDown) {
                  // One stacked cell on a phone, as the other lists do: six columns do not fit.
                  return (
                    <IndexTable.Row id={row.id} key={row.id} position={index}>
                      <div style={{ padding: "var(--p-space-300) var(--p-space-400)" }}>
                        <BlockStack gap="200">
                          {kind}
                          {subject}
                          <Text as="span" variant="bodySm" tone="subdued">
                            {m.attemptsAt(row.attempts, row.failedAt ? dates.dateTime(row.failedAt) : "—")}
                          </Text>
                          {reason}
                          <InlineStack align="end">{action}</InlineStack>
                        </BlockStack>
                      </div>
                    </IndexTable.Row>
                  );
                }
                return (
                  <IndexTable.Row id={row.id} key={row.id} position={index}>
                    <IndexTable.Cell>{kind}</IndexTable.Cell>
                    <IndexTable.Cell>{subject}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {row.attempts}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{row.failedAt ? dates.dateTime(row.failedAt) : "—"}</IndexTable.Cell>
                    <IndexTable.Cell>{reason}</IndexTable.Cell>
                    <IndexTable.Cell>{action}</IndexTable.Cell>
                  </IndexTable.Row>
                );
              })}
            </IndexTable>
          </Card>
        ) : null}
      </BlockStack>
    </Page>
  );
}
