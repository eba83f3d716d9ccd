import { BlockStack, Card, InlineStack, Link, Text } from "@shopify/polaris";

import { queryKeys } from "../../api/query-keys";
import { useReconciliationClient } from "../../api/reconciliation-context";
import { useApi } from "../../hooks/use-api";
import { useI18n } from "../../i18n/i18n-context";
import { paths } from "../../router/routes";
import { ExceptionKindBadge, ExceptionStatusBadge } from "../reconciliation/exception-kind-badge";

/** What reconciliation found about this payment, each linking to its detail; nothing when all adds up. */
export function PaymentExceptions({ paymentId }: { paymentId: string }) {
  const { t, dates } = useI18n();
  const client = useReconciliationClient();
  const list = useApi(() => client.exceptionsOfPayment(paymentId), queryKeys.exceptionsOfPayment(paymentId));
  const items = list.state.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t.payment.exceptionsTitle}
        </Text>
        <BlockStack gap="200">
          {items.map((item) => (
            <div key={item.id} data-testid="payment-exception" data-kind={item.kind}>
              <BlockStack gap="100">
                <InlineStack gap="100" blockAlign="center">
                  <ExceptionKindBadge kind={item.kind} />
                  <ExceptionStatusBadge status={item.status} />
                </InlineStack>
                <Link url={`${paths.reconciliation}?status=all&exception=${encodeURIComponent(item.id)}`} removeUnderline>
                  {item.detectedAt ? dates.dateTime(item.detectedAt) : t.reconciliation.view}
                </Link>
              </BlockStack>
            </div>
          ))}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
