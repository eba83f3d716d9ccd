import { BlockStack, Form, Modal, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

import { useAdminClient } from "../../api/client-context";
import { queryKeys } from "../../api/query-keys";
import type { RefundRow } from "../../api/types";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { formatMoney } from "../../format/money";
import { useMutation } from "../../hooks/use-mutation";
import { useI18n } from "../../i18n/i18n-context";
import { refundSubject } from "./refund-subject";

/** Refuses the refund: Shopify is told it failed, with the merchant's reason. */
export function RejectRefundModal(props: { refund: RefundRow; onClose(): void; onDone(): void }) {
  const { refund } = props;
  const { t } = useI18n();
  const client = useAdminClient();
  // The refund's lists, the nav badge and its payment's detail.
  const reject = useMutation({ invalidates: [queryKeys.refunds, queryKeys.payments] });
  const [reason, setReason] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const amount = formatMoney(refund.amountMinor, refund.currency);
  const order = refundSubject(refund, t);
  const serverFieldError = reject.error?.kind === "server" ? reject.error.fieldErrors.find((error) => error.field === "reason")?.message : undefined;

  const submit = async () => {
    setSubmitted(true);
    if (!reason.trim()) return;
    const result = await reject.run(() => client.rejectRefund(refund.id, reason.trim()));
    if (result?.ok) props.onDone();
  };

  return (
    <Modal
      open
      onClose={props.onClose}
      title={t.refunds.rejectTitle}
      primaryAction={{ content: t.refunds.rejectSubmit, destructive: true, onAction: () => void submit(), loading: reject.busy }}
      secondaryActions={[{ content: t.common.cancel, onAction: props.onClose, disabled: reject.busy }]}
    >
      <Modal.Section>
        <Form onSubmit={() => void submit()}>
          <BlockStack gap="400">
            <Text as="p">{t.refunds.rejectIntro(amount, order)}</Text>
            {reject.error && !serverFieldError ? <ApiErrorBanner error={reject.error} onDismiss={reject.clearError} /> : null}
            <TextField
              id="refund-reject-reason"
              label={t.refunds.reason}
              value={reason}
              onChange={setReason}
              autoComplete="off"
              multiline={3}
              maxLength={500}
              error={(submitted && !reason.trim() ? t.refunds.reasonRequired : undefined) ?? serverFieldError}
            />
          </BlockStack>
        </Form>
      </Modal.Section>
    </Modal>
  );
}
