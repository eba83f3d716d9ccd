import { BlockStack, Button, IndexTable, InlineStack, Link, Text } from "@shopify/polaris";

import type { RefundRow, RefundState } from "../../api/types";
import { RefundStateBadge } from "../../components/state-badges";
import { formatMoney } from "../../format/money";
import { useI18n } from "../../i18n/i18n-context";
import { paths } from "../../router/routes";
import { CustomerContact } from "./customer-contact";

export function RefundRows(props: {
  rows: RefundRow[];
  tab: RefundState;
  condensed: boolean;
  onRecord(refund: RefundRow): void;
  onReject(refund: RefundRow): void;
}) {
  const { t, dates } = useI18n();
  const { tab } = props;

  return (
    <>
      {props.rows.map((refund, index) => {
        const order = (
          <Link url={paths.payment(refund.paymentSessionId)} removeUnderline>
            {refund.orderName ?? t.refunds.viewPayment}
          </Link>
        );
        const amount = (
          <Text as="span" numeric alignment="end" fontWeight="semibold">
            {formatMoney(refund.amountMinor, refund.currency)}
          </Text>
        );
        const actions = (
          <InlineStack gap="200" align="end" wrap={false}>
            <Button size="slim" onClick={() => props.onReject(refund)}>
              {t.refunds.reject}
            </Button>
            <Button size="slim" variant="primary" onClick={() => props.onRecord(refund)}>
              {t.refunds.record}
            </Button>
          </InlineStack>
        );
        const decision =
          tab === "resolved"
            ? [refund.method ? t.refundMethods[refund.method] : null, refund.reference, refund.refundedOn ? dates.calendarDate(refund.refundedOn) : null]
                .filter(Boolean)
                .join(" · ")
            : tab === "rejected"
              ? (refund.rejectReason ?? "")
              : "";

        if (props.condensed) {
          return (
            <IndexTable.Row id={refund.id} key={refund.id} position={index}>
              <div style={{ padding: "var(--p-space-300) var(--p-space-400)" }} data-testid="refund-row" data-refund-id={refund.id}>
                <BlockStack gap="200">
                  <InlineStack align="space-between" gap="200" wrap={false}>
                    {order}
                    {amount}
                  </InlineStack>
                  <CustomerContact customer={refund.customer} inline />
                  <Text as="span" variant="bodySm" tone="subdued">
                    {dates.dateTime(refund.createdAt)}
                    {refund.cip ? ` · CIP ${refund.cip}` : ""}
                  </Text>
                  {decision ? <Text as="span" variant="bodySm">{decision}</Text> : null}
                  {tab === "awaiting_merchant" ? actions : <RefundStateBadge state={refund.state} />}
                </BlockStack>
              </div>
            </IndexTable.Row>
          );
        }

        return (
          <IndexTable.Row id={refund.id} key={refund.id} position={index}>
            <IndexTable.Cell>
              <span data-testid="refund-row" data-refund-id={refund.id}>
                {dates.dateTime(refund.createdAt)}
              </span>
            </IndexTable.Cell>
            <IndexTable.Cell>{order}</IndexTable.Cell>
            <IndexTable.Cell>
              <CustomerContact customer={refund.customer} />
            </IndexTable.Cell>
            <IndexTable.Cell>
              <span style={{ fontFamily: "var(--p-font-family-mono)" }}>{refund.cip ?? t.common.none}</span>
            </IndexTable.Cell>
            <IndexTable.Cell>{amount}</IndexTable.Cell>
            {tab === "awaiting_merchant" ? <IndexTable.Cell>{actions}</IndexTable.Cell> : null}
            {tab === "resolved" ? (
              <>
                <IndexTable.Cell>{refund.method ? t.refundMethods[refund.method] : t.common.none}</IndexTable.Cell>
                <IndexTable.Cell>{refund.reference ?? t.common.none}</IndexTable.Cell>
                <IndexTable.Cell>{refund.refundedOn ? dates.calendarDate(refund.refundedOn) : t.common.none}</IndexTable.Cell>
              </>
            ) : null}
            {tab === "rejected" ? (
              <IndexTable.Cell>
                <Text as="span" breakWord>
                  {refund.rejectReason ?? t.common.none}
                </Text>
              </IndexTable.Cell>
            ) : null}
          </IndexTable.Row>
        );
      })}
    </>
  );
}
