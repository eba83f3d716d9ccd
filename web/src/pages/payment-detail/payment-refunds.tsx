import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";

import type { RefundRow } from "../../api/types";
import { RefundStateBadge } from "../../components/state-badges";
import { formatMoney } from "../../format/money";
import { useI18n } from "../../i18n/i18n-context";
import styles from "./payment-detail.module.css";

export function PaymentRefunds({ refunds }: { refunds: RefundRow[] }) {
  const { t, dates } = useI18n();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t.payment.refundsTitle}
        </Text>
        {refunds.length === 0 ? (
          <Text as="p" tone="subdued">
            {t.payment.noRefunds}
          </Text>
        ) : (
          <ul className={styles.refunds} data-testid="payment-refunds">
            {refunds.map((refund) => (
              <li key={refund.id}>
                <InlineStack align="space-between" blockAlign="start" gap="200">
                  <BlockStack gap="050">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="span" fontWeight="semibold" numeric>
                        {formatMoney(refund.amountMinor, refund.currency)}
                      </Text>
                      <RefundStateBadge state={refund.state} />
                    </InlineStack>
                    <Text as="span" variant="bodySm" tone="subdued">
                      {refund.state === "resolved" && refund.method
                        ? [t.refundMethods[refund.method], refund.reference, refund.refundedOn ? dates.calendarDate(refund.refundedOn) : null]
                            .filter(Boolean)
                            .join(" · ")
                        : refund.state === "rejected"
                          ? (refund.rejectReason ?? "")
                          : dates.dateTime(refund.createdAt)}
                    </Text>
                  </BlockStack>
                </InlineStack>
              </li>
            ))}
          </ul>
        )}
      </BlockStack>
    </Card>
  );
}
