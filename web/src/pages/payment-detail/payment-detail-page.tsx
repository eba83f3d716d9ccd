import { Badge, BlockStack, Box, Button, Card, EmptyState, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { ExternalIcon, FileIcon } from "@shopify/polaris-icons";

import { useAdminClient } from "../../api/client-context";
import { queryKeys } from "../../api/query-keys";
import { useReconciliationClient } from "../../api/reconciliation-context";
import type { PaymentDetail } from "../../api/types";
import { EMPTY_PAYMENTS } from "../../assets/images";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { PageSkeleton } from "../../components/page-skeleton";
import { PaymentStateBadge, TestBadge } from "../../components/state-badges";
import { formatMoney } from "../../format/money";
import { useApi } from "../../hooks/use-api";
import { useDocumentTitle } from "../../hooks/use-document-title";
import { useI18n } from "../../i18n/i18n-context";
import { paths } from "../../router/routes";
import { lastPaymentsSearch } from "../payments/last-payments-search";
import { FactList } from "./fact-list";
import { LinkConfidenceBadge, OrderLinkControls } from "./order-link";
import { PaymentExceptions } from "./payment-exceptions";
import { PaymentRefunds } from "./payment-refunds";
import { Timeline } from "./timeline";

export function PaymentDetailPage({ id }: { id: string }) {
  const { t } = useI18n();
  const client = useAdminClient();
  const recon = useReconciliationClient();
  const detail = useApi(() => client.payment(id), queryKeys.payment(id));
  const data = detail.state.data;
  const name = data ? (data.payment.orderName ?? (data.payment.cip ? `CIP ${data.payment.cip}` : data.payment.id)) : id;
  useDocumentTitle(t.payment.title(name));
  const backAction = { content: t.payment.backLabel, url: `${paths.payments}${lastPaymentsSearch()}` };

  if (!data) {
    if (detail.state.status === "error") {
      const missing = detail.state.error.kind === "server" && detail.state.error.status === 404;
      return (
        <Page backAction={backAction} title={t.payment.backLabel}>
          {missing ? (
            <Card>
              <EmptyState heading={t.payment.notFoundTitle} image={EMPTY_PAYMENTS} action={{ content: t.payment.backLabel, url: paths.payments }}>
                <p>{t.payment.notFoundText}</p>
              </EmptyState>
            </Card>
          ) : (
            <ApiErrorBanner error={detail.state.error} title={t.errors.loadTitle} onRetry={detail.reload} />
          )}
        </Page>
      );
    }
    return <PageSkeleton backAction withSidebar />;
  }

  const { payment } = data;
  return (
    <Page
      backAction={backAction}
      title={name}
      titleMetadata={
        <InlineStack gap="100">
          <PaymentStateBadge state={payment.state} />
          {payment.test ? <TestBadge /> : null}
        </InlineStack>
      }
      subtitle={formatMoney(payment.amountMinor, payment.currency)}
      secondaryActions={
        // A plain download link: the server streams the JSON bundle (notifications, timeline, order) as an attachment.
        <Button icon={FileIcon} url={recon.evidenceUrl(payment.id)} download>
          {t.payment.evidence}
        </Button>
      }
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Summary detail={data} />
            <Timeline entries={data.timeline} />
            <PaymentRefunds refunds={data.refunds} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <CipCard detail={data} />
            <OrderCard detail={data} onChanged={detail.reload} />
            <PaymentExceptions paymentId={payment.id} />
            <BuyerCard detail={data} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Summary({ detail }: { detail: PaymentDetail }) {
  const { t, dates } = useI18n();
  const p = detail.payment;
  const paidDiffers = p.paidAmountMinor !== null && p.paidAmountMinor !== p.amountMinor;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t.payment.summary}
        </Text>
        <FactList
          facts={[
            { label: t.payment.amount, value: <span data-testid="payment-amount">{formatMoney(p.amountMinor, p.currency)}</span> },
            paidDiffers && p.paidAmountMinor !== null
              ? { label: t.payment.paidAmount, value: <Text as="span" tone="critical">{formatMoney(p.paidAmountMinor, p.currency)}</Text> }
              : null,
            { label: t.payment.createdAt, value: dates.dateTime(p.createdAt) },
            p.paidAt ? { label: t.payment.paidAt, value: dates.dateTime(p.paidAt) } : null,
            p.cipExpiresAt && p.state !== "paid" ? { label: t.payment.cipExpiresAt, value: dates.dateTime(p.cipExpiresAt) } : null,
            p.shopifyState ? { label: t.payment.shopifyState, value: t.shopifyStates[p.shopifyState] ?? p.shopifyState } : null,
            p.rejectionCode ? { label: t.payment.rejectionReason, value: <RejectionReason code={p.rejectionCode} reason={p.rejectionReason} /> } : null,
            { label: t.payment.sessionId, value: <Text as="span" variant="bodySm" breakWord>{p.id}</Text> },
          ]}
        />
      </BlockStack>
    </Card>
  );
}

/** The rejection in the panel's words; the app's English sentence only as the technical detail of an unlisted one. */
function RejectionReason({ code, reason }: { code: string; reason: string | null }) {
  const { t } = useI18n();
  return (
    <span data-testid="payment-rejection" data-code={code}>
      {t.rejectionReasons[code] ?? t.rejectionReasons.other}
      {code === "other" && reason ? (
        <details>
          <summary>{t.common.technicalDetail}</summary>
          <code lang="en">{reason}</code>
        </details>
      ) : null}
    </span>
  );
}

function CipCard({ detail }: { detail: PaymentDetail }) {
  const { t } = useI18n();
  const p = detail.payment;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t.payment.cipTitle}
        </Text>
        {p.cip ? (
          <Box background="bg-surface-secondary" padding="300" borderRadius="200">
            <Text as="p" variant="headingLg" alignment="center">
              <span data-testid="payment-cip" style={{ fontFamily: "var(--p-font-family-mono)", letterSpacing: "0.06em" }}>
                {p.cip}
              </span>
            </Text>
          </Box>
        ) : (
          <Text as="p" tone="subdued">
            {t.payment.noCip}
          </Text>
        )}
        {p.cipUrl ? (
          <InlineStack>
            <Button url={p.cipUrl} external icon={ExternalIcon} variant="plain">
              {t.payment.voucher}
            </Button>
          </InlineStack>
        ) : null}
        {p.operationNumber || p.paidVia ? (
          <FactList
            facts={[
              p.operationNumber ? { label: t.payment.operationNumber, value: p.operationNumber } : null,
              p.paidVia ? { label: t.payment.paidVia, value: t.payment.paidVias[p.paidVia] ?? p.paidVia } : null,
            ]}
          />
        ) : null}
      </BlockStack>
    </Card>
  );
}

function OrderCard({ detail, onChanged }: { detail: PaymentDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const order = detail.payment.order;
  // Shopify's displayFinancialStatus is upper case ("PAID"); the dictionary is keyed in lower case.
  const status = order?.financialStatus.toLowerCase() ?? "";
  return (
    <div data-testid="order-card">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t.payment.orderTitle}
          </Text>
          {order ? (
            <InlineStack gap="200" blockAlign="center">
              <Text as="span" fontWeight="semibold">
                <span data-testid="payment-order">{order.name}</span>
              </Text>
              <span data-testid="payment-order-status">
                <Badge tone={status === "paid" ? "success" : status === "pending" ? "attention" : undefined}>
                  {t.financialStatuses[status] ?? order.financialStatus}
                </Badge>
              </span>
              <LinkConfidenceBadge confidence={detail.payment.linkConfidence} />
            </InlineStack>
          ) : detail.payment.linkConfidence === "merchant" ? null : (
            <Text as="p" tone="subdued">
              {t.payment.noOrder}
            </Text>
          )}
          <OrderLinkControls detail={detail} onChanged={onChanged} />
        </BlockStack>
      </Card>
    </div>
  );
}

function BuyerCard({ detail }: { detail: PaymentDetail }) {
  const { t } = useI18n();
  const { buyer } = detail.payment;
  const hasAny = buyer.name || buyer.email || buyer.phone;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t.payment.buyerTitle}
        </Text>
        {hasAny ? (
          <BlockStack gap="100">
            {buyer.name ? <Text as="p">{buyer.name}</Text> : null}
            {buyer.email ? (
              <Link url={`mailto:${buyer.email}`} removeUnderline>
                {buyer.email}
              </Link>
            ) : null}
            {buyer.phone ? <Text as="p">{buyer.phone}</Text> : null}
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            {t.payment.noBuyer}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
