import { BlockStack, Link, Text } from "@shopify/polaris";

import type { RefundRow } from "../../api/types";
import { useI18n } from "../../i18n/i18n-context";

/** The buyer to pay back (by Yape, Plin or transfer): name, e-mail and phone, each one a link where it helps. */
export function CustomerContact({ customer, inline = false }: { customer: RefundRow["customer"]; inline?: boolean }) {
  const { t } = useI18n();
  const parts = [
    customer.name ? (
      <Text as="span" key="name" fontWeight={inline ? "regular" : "medium"}>
        {customer.name}
      </Text>
    ) : null,
    customer.email ? (
      <Link key="email" url={`mailto:${customer.email}`} removeUnderline>
        {customer.email}
      </Link>
    ) : null,
    customer.phone ? (
      <Link key="phone" url={`tel:${customer.phone}`} removeUnderline>
        {customer.phone}
      </Link>
    ) : null,
  ].filter((part) => part !== null);
  if (parts.length === 0) return <Text as="span" tone="subdued">{t.refunds.noCustomer}</Text>;
  return (
    <div data-testid="refund-customer">
      {inline ? (
        <Text as="span" variant="bodySm">
          {parts.flatMap((part, index) => (index === 0 ? [part] : [" · ", part]))}
        </Text>
      ) : (
        <BlockStack gap="050">{parts}</BlockStack>
      )}
    </div>
  );
}
