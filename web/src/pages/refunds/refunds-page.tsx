import { BlockStack, Card, EmptyState, IndexTable, type IndexTableProps, Page, Tabs, useBreakpoints } from "@shopify/polaris";
import { useMemo, useState } from "react";

import { useAdminClient } from "../../api/client-context";
import { queryKeys } from "../../api/query-keys";
import { REFUND_STATES, type RefundRow, type RefundState } from "../../api/types";
import { EMPTY_REFUNDS } from "../../assets/images";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { PageSkeleton } from "../../components/page-skeleton";
import { useToast } from "../../components/toast-context";
import { useApi } from "../../hooks/use-api";
import { useDocumentTitle } from "../../hooks/use-document-title";
import { useI18n } from "../../i18n/i18n-context";
import { useRouter } from "../../router/router";
import { paths } from "../../router/routes";
import { RecordRefundModal } from "./record-refund-modal";
import { RefundRows } from "./refund-rows";
import { RejectRefundModal } from "./reject-refund-modal";

const PAGE_SIZE = 25;

type Dialog = { kind: "record" | "reject"; refund: RefundRow } | null;

export function RefundsPage() {
  const { t } = useI18n();
  const client = useAdminClient();
  const toast = useToast();
  const { location, navigate } = useRouter();
  const { smDown } = useBreakpoints();
  const { tab, page } = useMemo(() => parseRefundsSearch(location.search), [location.search]);
  const list = useApi(() => client.refunds(tab, page, PAGE_SIZE), queryKeys.refundList(tab, page, PAGE_SIZE));
  const [dialog, setDialog] = useState<Dialog>(null);
  useDocumentTitle(t.refunds.title);

  const go = (nextTab: RefundState, nextPage = 1) => {
    const params = new URLSearchParams();
    if (nextTab !== "awaiting_merchant") params.set("tab", nextTab);
    if (nextPage > 1) params.set("page", String(nextPage));
    const search = params.toString();
    navigate(`${paths.refunds}${search ? `?${search}` : ""}`);
  };

  const decided = (message: string) => {
    setDialog(null);
    toast(message);
  };

  const tabs = REFUND_STATES.map((state) => ({ id: `refunds-${state}`, content: t.refunds.tabs[state], panelID: `refunds-${state}-panel` }));
  const data = list.state.data;

  return (
    <Page title={t.refunds.title} subtitle={t.refunds.subtitle}>
      <BlockStack gap="400">
        <ApiErrorBanner error={list.state.error} title={t.errors.loadTitle} onRetry={list.reload} />
        {!data && list.state.status === "loading" ? (
          <PageSkeleton />
        ) : (
          <Card padding="0">
            <Tabs tabs={tabs} selected={REFUND_STATES.indexOf(tab)} onSelect={(index) => go(REFUND_STATES[index] ?? "awaiting_merchant")} />
            {data && data.total === 0 && list.state.status === "ok" ? (
              <EmptyState heading={t.refunds.empty[tab].title} image={EMPTY_REFUNDS}>
                <p>{t.refunds.empty[tab].text}</p>
              </EmptyState>
            ) : data ? (
              <IndexTable
                resourceName={{ singular: t.refunds.resourceSingular, plural: t.refunds.resourcePlural }}
                itemCount={data.items.length}
                selectable={false}
                condensed={smDown}
                loading={list.state.status === "loading"}
                headings={headingsFor(tab, t)}
                pagination={{
                  hasPrevious: page > 1,
                  hasNext: page * PAGE_SIZE < data.total,
                  onPrevious: () => go(tab, page - 1),
                  onNext: () => go(tab, page + 1),
                  label: t.payments.pageLabel((page - 1) * PAGE_SIZE + 1, Math.min(data.total, page * PAGE_SIZE), data.total),
                }}
              >
                <RefundRows
                  rows={data.items}
                  tab={tab}
                  condensed={smDown}
                  onRecord={(refund) => setDialog({ kind: "record", refund })}
                  onReject={(refund) => setDialog({ kind: "reject", refund })}
                />
              </IndexTable>
            ) : null}
          </Card>
        )}
      </BlockStack>
      {dialog?.kind === "record" ? (
        <RecordRefundModal refund={dialog.refund} onClose={() => setDialog(null)} onDone={() => decided(t.refunds.recorded)} />
      ) : null}
      {dialog?.kind === "reject" ? (
        <RejectRefundModal refund={dialog.refund} onClose={() => setDialog(null)} onDone={() => decided(t.refunds.rejected)} />
      ) : null}
    </Page>
  );
}

function parseRefundsSearch(search: string): { tab: RefundState; page: number } {
  const params = new URLSearchParams(search);
  const tab = params.get("tab");
  const page = Number(params.get("page"));
  return {
    tab: (REFUND_STATES as readonly string[]).includes(tab ?? "") ? (tab as RefundState) : "awaiting_merchant",
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

function headingsFor(tab: RefundState, t: ReturnType<typeof useI18n>["t"]): IndexTableProps["headings"] {
  const c = t.refunds.columns;
  const first = { title: c.requested };
  const common = [{ title: c.order }, { title: c.customer }, { title: c.cip }, { title: c.amount, alignment: "end" as const }];
  switch (tab) {
    case "awaiting_merchant":
      return [first, ...common, { title: c.actions, alignment: "end" }];
    case "resolved":
      return [first, ...common, { title: c.method }, { title: c.reference }, { title: c.refundedOn }];
    case "rejected":
      return [first, ...common, { title: c.reason }];
  }
}
