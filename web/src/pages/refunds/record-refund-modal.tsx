import { BlockStack, Form, FormLayout, Modal, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

import { useAdminClient } from "../../api/client-context";
import { queryKeys } from "../../api/query-keys";
import { REFUND_METHODS, type RefundMethod, type RefundRow } from "../../api/types";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { formatMoney } from "../../format/money";
import { useMutation } from "../../hooks/use-mutation";
import { useI18n } from "../../i18n/i18n-context";
import { CustomerContact } from "./customer-contact";
import { refundSubject } from "./refund-subject";

/** How the merchant returned the money outside PagoEfectivo; the API then resolves Shopify's refund session. */
export function RecordRefundModal(props: { refund: RefundRow; onClose(): void; onDone(): void }) {
  const { refund } = props;
  const { t, dates } = useI18n();
  const client = useAdminClient();
  // The refund's lists, the nav badge and its payment's detail.
  const record = useMutation({ invalidates: [queryKeys.refunds, queryKeys.payments] });
  const [method, setMethod] = useState<RefundMethod>("bank_transfer");
  const [reference, setReference] = useState("");
  const [refundedOn, setRefundedOn] = useState(() => dates.today());
  const [note, setNote] = useState("");
  const [submitted, setSubmitted] = useState(false);

  const amount = formatMoney(refund.amountMinor, refund.currency);
  const order = refundSubject(refund, t);
  // The server's field messages are English: a field it flags gets the panel's own sentence.
  const flagged = new Set(record.error?.kind === "server" ? record.error.fieldErrors.map((error) => error.field) : []);
  const today = dates.today();
  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(refundedOn);
  const referenceError = submitted && !reference.trim() ? t.refunds.referenceRequired : flagged.has("reference") ? t.refunds.referenceInvalid : undefined;
  const dateError =
    submitted && !validDate
      ? t.refunds.dateRequired
      : validDate && refundedOn > today
        ? (t.errorCodes.refund_date_in_future?.({ refundedOn, today }) ?? t.refunds.dateRequired)
        : flagged.has("refundedOn")
          ? t.refunds.dateRequired
          : undefined;

  const submit = async () => {
    setSubmitted(true);
    if (!reference.trim() || !validDate || refundedOn > today) return;
    const result = await record.run(() =>
      client.recordRefund(refund.id, {
        method,
        reference: reference.trim(),
        refundedOn,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    );
    if (result?.ok) props.onDone();
  };

  return (
    <Modal
      open
      onClose={props.onClose}
      title={t.refunds.recordTitle(amount)}
      primaryAction={{ content: t.refunds.record, onAction: () => void submit(), loading: record.busy }}
      secondaryActions={[{ content: t.common.cancel, onAction: props.onClose, disabled: record.busy }]}
    >
      <Modal.Section>
        <Form onSubmit={() => void submit()}>
          <BlockStack gap="400">
            <Text as="p">{t.refunds.recordIntro(amount, order)}</Text>
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                {t.refunds.columns.customer}
              </Text>
              <CustomerContact customer={refund.customer} />
            </BlockStack>
            {record.error && !(record.error.kind === "server" && record.error.fieldErrors.length > 0) ? (
              <ApiErrorBanner error={record.error} onDismiss={record.clearError} />
            ) : null}
            <FormLayout>
              <Select
                id="refund-method"
                label={t.refunds.method}
                options={REFUND_METHODS.map((value) => ({ label: t.refundMethods[value], value }))}
                value={method}
                onChange={(value) => setMethod(value as RefundMethod)}
                error={flagged.has("method") ? t.errorCodes.bad_request?.({}) : undefined}
              />
              <FormLayout.Group>
                <TextField
                  id="refund-reference"
                  label={t.refunds.reference}
                  value={reference}
                  onChange={setReference}
                  autoComplete="off"
                  maxLength={200}
                  helpText={t.refunds.referenceHelp}
                  error={referenceError}
                />
                <TextField
                  id="refund-date"
                  label={t.refunds.refundedOn}
                  type="date"
                  value={refundedOn}
                  max={dates.today()}
                  onChange={setRefundedOn}
                  autoComplete="off"
                  error={dateError}
                />
              </FormLayout.Group>
              <TextField
                id="refund-note"
                label={t.refunds.note}
                value={note}
                onChange={setNote}
                autoComplete="off"
                multiline={3}
                maxLength={500}
                error={flagged.has("note") ? t.errorCodes.bad_request?.({}) : undefined}
              />
            </FormLayout>
          </BlockStack>
        </Form>
      </Modal.Section>
    </Modal>
  );
}
