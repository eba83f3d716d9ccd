import { Badge, type BadgeProps } from "@shopify/polaris";

import type { PaymentState, RefundState } from "../api/types";
import { useI18n } from "../i18n/i18n-context";

const PAYMENT_TONE: Record<PaymentState, { tone?: BadgeProps["tone"]; progress?: BadgeProps["progress"] }> = {
  awaiting_phone: { tone: "info", progress: "incomplete" },
  pending: { tone: "attention", progress: "partiallyComplete" },
  paid: { tone: "success", progress: "complete" },
  expired: {},
  rejected: { tone: "critical" },
  cancelled: {},
};

const REFUND_TONE: Record<RefundState, { tone?: BadgeProps["tone"]; progress?: BadgeProps["progress"] }> = {
  awaiting_merchant: { tone: "attention", progress: "incomplete" },
  resolved: { tone: "success", progress: "complete" },
  rejected: { tone: "critical" },
};

export function PaymentStateBadge({ state }: { state: PaymentState }) {
  const { t } = useI18n();
  return <Badge {...PAYMENT_TONE[state]}>{t.paymentStates[state] ?? state}</Badge>;
}

export function RefundStateBadge({ state }: { state: RefundState }) {
  const { t } = useI18n();
  return <Badge {...REFUND_TONE[state]}>{t.refundStates[state] ?? state}</Badge>;
}

export function TestBadge() {
  const { t } = useI18n();
  return <Badge tone="info">{t.common.test}</Badge>;
}
