import { Badge, type BadgeProps } from "@shopify/polaris";

import type { ExceptionStatus } from "../../api/reconciliation-types";
import { useI18n } from "../../i18n/i18n-context";

/** Money at risk is critical; things to look into are warnings; bookkeeping gaps are attention. */
const KIND_TONE: Record<string, BadgeProps["tone"]> = {
  paid_without_order: "critical",
  amount_mismatch: "critical",
  currency_mismatch: "critical",
  paid_twice: "critical",
  payment_reversed: "critical",
  settlement_amount_mismatch: "critical",
  missing_from_settlement: "critical",
  order_pending_but_paid: "warning",
  paid_after_expiry: "warning",
  settlement_unknown_cip: "warning",
  settlement_duplicate: "warning",
  commission_mismatch: "warning",
  notification_unknown_cip: "warning",
  notification_missing: "attention",
};

export function kindTone(kind: string): BadgeProps["tone"] {
  return KIND_TONE[kind] ?? "attention";
}

export function ExceptionKindBadge({ kind, count }: { kind: string; count?: number }) {
  const { t } = useI18n();
  const label = t.reconciliation.kinds[kind] ?? kind;
  return <Badge tone={kindTone(kind)}>{count === undefined ? label : `${label}: ${count}`}</Badge>;
}

export function ExceptionStatusBadge({ status }: { status: ExceptionStatus }) {
  const { t } = useI18n();
  return status === "resolved" ? (
    <Badge tone="success" progress="complete">
      {t.reconciliation.statuses.resolved}
    </Badge>
  ) : (
    <Badge tone="attention" progress="incomplete">
      {t.reconciliation.statuses.open}
    </Badge>
  );
}
