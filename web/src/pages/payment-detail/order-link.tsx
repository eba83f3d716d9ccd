import { Badge, BlockStack, Button, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

import { orderLinkAnswer } from "../../../../app/contracts/admin-api";
import type { ApiError } from "../../api/admin-client";
import { useAdminClient } from "../../api/client-context";
import type { PaymentDetail } from "../../api/types";
import { apiErrorMessage } from "../../components/api-error-banner";
import { useToast } from "../../components/toast-context";
import { useI18n } from "../../i18n/i18n-context";

type Confidence = NonNullable<PaymentDetail["payment"]["linkConfidence"]>;

/**
 * The merchant's hand on the payment's order link (PUT / DELETE /api/payments/:id/order), offered where the
 * match is not certain: no order yet, or one linked by facts that only make it likely (high, medium).
 * An exact match (the transaction's own identifiers) is left alone; a link the merchant made can be undone.
 */
export function OrderLinkControls({ detail, onChanged }: { detail: PaymentDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const m = t.payment.orderLink;
  const client = useAdminClient();
  const toast = useToast();
  const { payment } = detail;
  const [open, setOpen] = useState(false);
  const [orderId, setOrderId] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const certain = payment.order !== null && payment.linkConfidence === "exact";
  if (certain) return null;

  const words = (failure: ApiError) => (failure.kind === "server" ? m.errors[failure.code]?.() : undefined) ?? apiErrorMessage(failure, t);
  const link = async () => {
    setBusy(true);
    setError(null);
    const result = await client.send("PUT", `/api/payments/${encodeURIComponent(payment.id)}/order`, orderLinkAnswer, { orderId: orderId.trim() });
    setBusy(false);
    if (!result.ok) return setError(words(result.error));
    setOpen(false);
    setOrderId("");
    toast(m.linked(result.value.order?.name ?? ""));
    onChanged();
  };
  const unlink = async () => {
    setBusy(true);
    const result = await client.send("DELETE", `/api/payments/${encodeURIComponent(payment.id)}/order`, orderLinkAnswer);
    setBusy(false);
    if (!result.ok) return toast(words(result.error), { error: true });
    toast(m.unlinked);
    onChanged();
  };

  return (
    <BlockStack gap="200">
      {payment.order === null && (payment.linkConfidence === "merchant" || payment.state === "paid") ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {payment.linkConfidence === "merchant" ? m.unlinkedByMerchant : m.noMatch}
        </Text>
      ) : null}
      {open ? (
        <div data-testid="order-link-form">
          <BlockStack gap="200">
            <TextField
              label={m.orderIdLabel}
              helpText={m.orderIdHelp}
              value={orderId}
              onChange={(value) => {
                setOrderId(value);
                setError(null);
              }}
              autoComplete="off"
              error={error ?? undefined}
              id="order-link-id"
            />
            <InlineStack gap="200">
              <Button variant="primary" onClick={() => void link()} loading={busy} disabled={orderId.trim() === ""}>
                {m.confirm}
              </Button>
              <Button onClick={() => setOpen(false)} disabled={busy}>
                {m.cancel}
              </Button>
            </InlineStack>
          </BlockStack>
        </div>
      ) : (
        <InlineStack gap="200">
          <Button onClick={() => setOpen(true)}>{payment.order === null ? m.link : m.change}</Button>
          {payment.order !== null ? (
            <Button tone="critical" onClick={() => void unlink()} loading={busy}>
              {m.unlink}
            </Button>
          ) : null}
        </InlineStack>
      )}
    </BlockStack>
  );
}

/** How the order was linked, next to its name. */
export function LinkConfidenceBadge({ confidence }: { confidence: Confidence | null }) {
  const { t } = useI18n();
  if (confidence === null) return null;
  const tone = confidence === "exact" || confidence === "merchant" ? "info" : "attention";
  return (
    <span data-testid="order-link-confidence" data-confidence={confidence}>
      <Badge tone={tone}>{t.payment.orderLink.confidence[confidence]}</Badge>
    </span>
  );
}
