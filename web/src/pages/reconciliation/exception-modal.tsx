import { Banner, BlockStack, Box, Button, Form, InlineStack, Modal, SkeletonBodyText, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

import { queryKeys } from "../../api/query-keys";
import { useReconciliationClient } from "../../api/reconciliation-context";
import type { ReconciliationException } from "../../api/reconciliation-types";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { useApi } from "../../hooks/use-api";
import { useMutation } from "../../hooks/use-mutation";
import { useI18n } from "../../i18n/i18n-context";
import { paths } from "../../router/routes";
import { FactList } from "../payment-detail/fact-list";
import { evidenceFacts } from "./evidence-values";
import { ExceptionKindBadge, ExceptionStatusBadge } from "./exception-kind-badge";
import styles from "./reconciliation.module.css";

/**
 * One exception: what was found (evidence), what to do (in the panel's language), its history, and, while
 * open, a note to resolve it with. Loaded by id so a link with ?exception=<id> opens it too; the row's
 * data shows meanwhile.
 */
export function ExceptionModal(props: { id: string; initial: ReconciliationException | null; onClose(): void; onResolved(): void }) {
  const { t, locale } = useI18n();
  const client = useReconciliationClient();
  const detail = useApi(() => client.exception(props.id), queryKeys.exception(props.id));
  // Every exception list (this payment's too) and the summary with its nav badge.
  const resolve = useMutation({ invalidates: [queryKeys.exceptions, queryKeys.reconciliationStatus] });
  const [note, setNote] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const r = t.reconciliation;

  const exception = detail.state.data ?? props.initial;
  const open = exception?.status === "open";
  const noteError =
    submitted && !note.trim()
      ? r.resolveNoteRequired
      : resolve.error?.kind === "server"
        ? resolve.error.fieldErrors.find((error) => error.field === "note")?.message
        : undefined;

  const submit = async () => {
    setSubmitted(true);
    if (!note.trim() || !exception) return;
    const result = await resolve.run(() => client.resolve(exception.id, note.trim()));
    if (result?.ok) {
      detail.setData(result.value);
      props.onResolved();
    }
  };

  return (
    <Modal
      open
      size="large"
      onClose={props.onClose}
      title={exception ? (r.kinds[exception.kind] ?? exception.kind) : r.exceptionsTitle}
      {...(open ? { primaryAction: { content: r.resolve, onAction: () => void submit(), loading: resolve.busy } } : {})}
      secondaryActions={[{ content: t.common.close, onAction: props.onClose, disabled: resolve.busy }]}
    >
      {!exception ? (
        <Modal.Section>
          {detail.state.status === "error" ? (
            <ApiErrorBanner error={detail.state.error} title={t.errors.loadTitle} onRetry={detail.reload} />
          ) : (
            <SkeletonBodyText lines={6} />
          )}
        </Modal.Section>
      ) : (
        <>
          <Modal.Section>
            <BlockStack gap="400">
              <InlineStack gap="200" blockAlign="center">
                <ExceptionKindBadge kind={exception.kind} />
                <ExceptionStatusBadge status={exception.status} />
                {exception.cip ? (
                  <Text as="span" fontWeight="semibold">
                    <span className={styles.mono} data-testid="exception-cip">
                      {r.detailCip(exception.cip)}
                    </span>
                  </Text>
                ) : null}
                {exception.paymentSessionId ? (
                  <Button variant="plain" url={paths.payment(exception.paymentSessionId)}>
                    {r.viewPayment}
                  </Button>
                ) : null}
              </InlineStack>
              <Banner tone={open ? "warning" : "info"} title={r.suggestedTitle}>
                <p data-testid="exception-suggestion">{exception.suggestedAction[locale] || exception.suggestedAction.es}</p>
              </Banner>
              <ExceptionFacts exception={exception} />
            </BlockStack>
          </Modal.Section>
          <Modal.Section>
            <Evidence exception={exception} />
          </Modal.Section>
          {exception.history.length > 0 ? (
            <Modal.Section>
              <History exception={exception} />
            </Modal.Section>
          ) : null}
          {open ? (
            <Modal.Section>
              <Form onSubmit={() => void submit()}>
                <BlockStack gap="300">
                  {resolve.error && !noteError ? <ApiErrorBanner error={resolve.error} onDismiss={resolve.clearError} /> : null}
                  <TextField
                    id="resolve-note"
                    label={r.resolveNote}
                    helpText={r.resolveNoteHelp}
                    value={note}
                    onChange={setNote}
                    autoComplete="off"
                    multiline={3}
                    maxLength={1000}
                    error={noteError}
                  />
                </BlockStack>
              </Form>
            </Modal.Section>
          ) : null}
        </>
      )}
    </Modal>
  );
}

function ExceptionFacts({ exception }: { exception: ReconciliationException }) {
  const { t, dates } = useI18n();
  const r = t.reconciliation;
  return (
    <FactList
      facts={[
        { label: r.detectedAt, value: exception.detectedAt ? dates.dateTime(exception.detectedAt) : t.common.none },
        exception.source ? { label: r.source, value: r.sources[exception.source] ?? exception.source } : null,
        exception.orderName ? { label: r.columns.order, value: exception.orderName } : null,
        exception.orderName && exception.orderFinancialStatus
          ? {
              label: r.evidenceKeys.orderFinancialStatus ?? r.columns.order,
              value: (
                <span data-testid="exception-order-status">
                  {t.financialStatuses[exception.orderFinancialStatus.toLowerCase()] ?? exception.orderFinancialStatus}
                </span>
              ),
            }
          : null,
        exception.resolvedAt ? { label: r.resolvedAt, value: dates.dateTime(exception.resolvedAt) } : null,
        exception.resolvedBy ? { label: r.resolvedBy, value: exception.resolvedBy } : null,
        exception.resolutionNote
          ? { label: r.resolutionNote, value: <span data-testid="exception-resolution-note">{exception.resolutionNote}</span> }
          : null,
      ]}
    />
  );
}

function Evidence({ exception }: { exception: ReconciliationException }) {
  const { t, dates } = useI18n();
  const facts = evidenceFacts(exception.evidence, t, dates);
  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        {t.reconciliation.evidenceTitle}
      </Text>
      {facts.length === 0 ? (
        <Text as="p" tone="subdued">
          {t.reconciliation.noEvidence}
        </Text>
      ) : (
        <Box background="bg-surface-secondary" padding="300" borderRadius="200">
          <dl className={styles.evidence} data-testid="exception-evidence">
            {facts.map((fact) => (
              <div key={fact.key}>
                <dt>{fact.label}</dt>
                <dd>
                  {fact.paymentId ? (
                    <Button variant="plain" url={paths.payment(fact.paymentId)}>
                      {fact.text}
                    </Button>
                  ) : fact.text.includes("\n") ? (
                    <pre className={styles.json}>{fact.text}</pre>
                  ) : (
                    fact.text
                  )}
                </dd>
              </div>
            ))}
          </dl>
        </Box>
      )}
    </BlockStack>
  );
}

function History({ exception }: { exception: ReconciliationException }) {
  const { t, dates } = useI18n();
  const r = t.reconciliation;
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {r.historyTitle}
      </Text>
      <ol className={styles.history} data-testid="exception-history">
        {exception.history.map((entry, index) => (
          <li key={`${entry.at}-${index}`}>
            <Text as="p" fontWeight="medium">
              {r.historyActions[entry.action] ?? entry.action}
              {entry.by ? ` ${r.by(entry.by)}` : ""}
            </Text>
            <Text as="p" variant="bodySm" tone="subdued">
              {entry.at ? dates.dateTime(entry.at) : ""}
            </Text>
            {entry.note ? <Text as="p">{entry.note}</Text> : null}
          </li>
        ))}
      </ol>
    </BlockStack>
  );
}
