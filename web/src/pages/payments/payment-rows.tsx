import { BlockStack, IndexTable, InlineStack, Link, Text } from "@shopify/polaris";

import type { PaymentRow } from "../../api/types";
import { PaymentStateBadge, TestBadge } from "../../components/state-badges";
import { formatMoney } from "../../format/money";
import { useI18n } from "../../i18n/i18n-context";
import { paths } from "../../router/routes";

/** The table's rows; on phones (condensed) one stacked cell per payment. */
export function PaymentRows({ rows, condensed }: { rows: PaymentRow[]; condensed: boolean }) {
  const { t, dates } = useI18n();
  return (
    <>
      {rows.map((row, index) => {
        const name = (
          <Link dataPrimaryLink url={paths.payment(row.id)} monochrome removeUnderline>
            {row.orderName ? (
              <Text as="span" fontWeight="semibold">
                {row.orderName}
              </Text>
            ) : (
              <Text as="span" tone="subdued">
                {t.payments.noOrder}
              </Text>
            )}
          </Link>
        );
        const amount = (
          <Text as="span" numeric alignment="end">
            {formatMoney(row.amountMinor, row.currency)}
          </Text>
        );
        if (condensed) {
          return (
            <IndexTable.Row id={row.id} key={row.id} position={index}>
              <div style={{ padding: "var(--p-space-300) var(--p-space-400)" }} data-testid="payment-row" data-payment-id={row.id}>
                <BlockStack gap="100">
                  <InlineStack align="space-between" gap="200" wrap={false}>
                    {name}
                    {amount}
                  </InlineStack>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {dates.dateTime(row.createdAt)}
                    {row.cip ? ` · CIP ${row.cip}` : ""}
                  </Text>
                  <InlineStack gap="100">
                    <PaymentStateBadge state={row.state} />
                    {row.test ? <TestBadge /> : null}
                  </InlineStack>
                </BlockStack>
              </div>
            </IndexTable.Row>
          );
        }
        return (
          <IndexTable.Row id={row.id} key={row.id} position={index}>
            <IndexTable.Cell>
              <span data-testid="payment-row" data-payment-id={row.id}>
                <InlineStack gap="200" blockAlign="center" wrap={false}>
                  {name}
                  {row.test ? <TestBadge /> : null}
                </InlineStack>
              </span>
            </IndexTable.Cell>
            <IndexTable.Cell>{dates.dateTime(row.createdAt)}</IndexTable.Cell>
            <IndexTable.Cell>{row.email ?? t.common.none}</IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" fontWeight="medium">
                <span style={{ fontFamily: "var(--p-font-family-mono)" }}>{row.cip ?? t.common.none}</span>
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <PaymentStateBadge state={row.state} />
            </IndexTable.Cell>
            <IndexTable.Cell>{amount}</IndexTable.Cell>
          </IndexTable.Row>
        );
      })}
    </>
  );
}
