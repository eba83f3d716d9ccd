import {
  Button,
  Card,
  ChoiceList,
  EmptySearchResult,
  EmptyState,
  IndexFilters,
  IndexFiltersMode,
  type IndexFiltersProps,
  IndexTable,
  type IndexTableProps,
  Page,
  useBreakpoints,
  useSetIndexFiltersMode,
} from "@shopify/polaris";
import { ExportIcon } from "@shopify/polaris-icons";
import { useEffect, useMemo, useState } from "react";

import { useAdminClient } from "../../api/client-context";
import { hasPaymentFilters, parsePaymentQuery, paymentQuerySearch } from "../../api/payment-query";
import { queryKeys } from "../../api/query-keys";
import { type Currency, PAYMENT_STATES, type PaymentQuery, type PaymentSort, type PaymentState } from "../../api/types";
import { EMPTY_PAYMENTS } from "../../assets/images";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { PageSkeleton } from "../../components/page-skeleton";
import { useApi } from "../../hooks/use-api";
import { useDocumentTitle } from "../../hooks/use-document-title";
import { useI18n } from "../../i18n/i18n-context";
import { useRouter } from "../../router/router";
import { paths } from "../../router/routes";
import { DateRangeFilter } from "./date-range-filter";
import { rememberPaymentsSearch } from "./last-payments-search";
import { PaymentRows } from "./payment-rows";

/** Column index → the API's sort key; null: not sortable. Must follow the headings' order. */
const SORT_BY_COLUMN: Array<PaymentSort | null> = [null, "createdAt", null, null, "state", "amount"];
const SEARCH_DELAY_MS = 350;

export function PaymentsPage() {
  const { t, locale } = useI18n();
  const client = useAdminClient();
  const { location, navigate } = useRouter();
  const { smDown } = useBreakpoints();
  const query = useMemo(() => parsePaymentQuery(location.search), [location.search]);
  const search = paymentQuerySearch(query);
  const list = useApi(() => client.payments(query), queryKeys.paymentList(query));
  const filtered = hasPaymentFilters(query);
  const { mode, setMode } = useSetIndexFiltersMode(filtered ? IndexFiltersMode.Filtering : IndexFiltersMode.Default);
  useDocumentTitle(t.payments.title);

  useEffect(() => rememberPaymentsSearch(search), [search]);

  const update = (changes: Partial<PaymentQuery>, options: { replace?: boolean } = {}) => {
    navigate(`${paths.payments}${paymentQuerySearch({ ...query, page: 1, ...changes })}`, options);
  };

  // The search box updates the address (and the list) once typing pauses.
  const [searchText, setSearchText] = useState(query.q);
  useEffect(() => setSearchText(query.q), [query.q]);
  useEffect(() => {
    if (searchText.trim() === query.q.trim()) return;
    const timer = window.setTimeout(() => update({ q: searchText }, { replace: true }), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
    // `update` is rebuilt each render from the same query; the text is what matters here.
  }, [searchText, query.q]);

  const data = list.state.data;
  if (!data) {
    if (list.state.status === "error") {
      return (
        <Page title={t.payments.title}>
          <ApiErrorBanner error={list.state.error} title={t.errors.loadTitle} onRetry={list.reload} />
        </Page>
      );
    }
    return <PageSkeleton title={t.payments.title} />;
  }

  const exportButton = (
    <Button icon={ExportIcon} url={client.paymentsExportUrl(query, locale)} download>
      {t.payments.export}
    </Button>
  );

  if (data.total === 0 && !filtered && list.state.status === "ok") {
    return (
      <Page title={t.payments.title}>
        <Card>
          <EmptyState heading={t.payments.emptyTitle} image={EMPTY_PAYMENTS}>
            <p>{t.payments.emptyText}</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }

  const clearAll = () => {
    setSearchText("");
    if (filtered) update({ state: [], from: null, to: null, currency: null, test: null, q: "" });
  };
  const filters = paymentFilters(query, update, t);
  const sortColumn = SORT_BY_COLUMN.indexOf(query.sort);
  const first = data.total === 0 ? 0 : (data.page - 1) * data.pageSize + 1;
  const last = Math.min(data.total, data.page * data.pageSize);
  const headings: IndexTableProps["headings"] = [
    { title: t.payments.columns.order },
    { title: t.payments.columns.date },
    { title: t.payments.columns.customer },
    { title: t.payments.columns.cip },
    { title: t.payments.columns.state },
    { title: t.payments.columns.amount, alignment: "end" },
  ];

  return (
    <Page title={t.payments.title} primaryAction={exportButton}>
      <ApiErrorBanner error={list.state.error} onRetry={list.reload} />
      <Card padding="0">
        <IndexFilters
          tabs={[{ id: "all", content: t.payments.allTab }]}
          selected={0}
          onSelect={() => undefined}
          canCreateNewView={false}
          queryValue={searchText}
          queryPlaceholder={t.payments.searchPlaceholder}
          onQueryChange={setSearchText}
          onQueryClear={() => {
            setSearchText("");
            update({ q: "" }, { replace: true });
          }}
          filters={filters.filters}
          appliedFilters={filters.applied}
          onClearAll={clearAll}
          mode={mode}
          setMode={setMode}
          loading={list.state.status === "loading"}
          cancelAction={{ onAction: clearAll }}
        />
        <IndexTable
          resourceName={{ singular: t.payments.resourceSingular, plural: t.payments.resourcePlural }}
          itemCount={data.items.length}
          selectable={false}
          condensed={smDown}
          loading={list.state.status === "loading"}
          headings={headings}
          sortable={SORT_BY_COLUMN.map((key) => key !== null)}
          sortColumnIndex={sortColumn}
          sortDirection={query.direction === "asc" ? "ascending" : "descending"}
          defaultSortDirection="descending"
          sortToggleLabels={{ 1: t.payments.sortLabels.date, 4: t.payments.sortLabels.state, 5: t.payments.sortLabels.amount }}
          onSort={(index, direction) => {
            const sort = SORT_BY_COLUMN[index];
            if (sort) update({ sort, direction: direction === "ascending" ? "asc" : "desc" });
          }}
          emptyState={<EmptySearchResult title={t.payments.noResultsTitle} description={t.payments.noResultsText} withIllustration />}
          pagination={{
            hasPrevious: data.page > 1,
            hasNext: data.page * data.pageSize < data.total,
            onPrevious: () => update({ page: data.page - 1 }),
            onNext: () => update({ page: data.page + 1 }),
            label: `${t.payments.pageLabel(first, last, data.total)}${data.totalIsLowerBound ? "+" : ""}`,
          }}
        >
          <PaymentRows rows={data.items} condensed={smDown} />
        </IndexTable>
      </Card>
    </Page>
  );
}

type Messages = ReturnType<typeof useI18n>["t"];

function paymentFilters(
  query: PaymentQuery,
  update: (changes: Partial<PaymentQuery>) => void,
  t: Messages,
): { filters: IndexFiltersProps["filters"]; applied: NonNullable<IndexFiltersProps["appliedFilters"]> } {
  const f = t.payments.filters;
  const filters: IndexFiltersProps["filters"] = [
    {
      key: "state",
      label: f.state,
      shortcut: true,
      pinned: true,
      filter: (
        <ChoiceList
          title={f.state}
          titleHidden
          allowMultiple
          choices={PAYMENT_STATES.map((state) => ({ label: t.paymentStates[state], value: state }))}
          selected={query.state}
          onChange={(selected) => update({ state: selected as PaymentState[] })}
        />
      ),
    },
    {
      key: "date",
      label: f.date,
      shortcut: true,
      pinned: true,
      filter: <DateRangeFilter from={query.from} to={query.to} onChange={(from, to) => update({ from, to })} />,
    },
    {
      key: "currency",
      label: f.currency,
      filter: (
        <ChoiceList
          title={f.currency}
          titleHidden
          choices={[
            { label: "PEN (S/)", value: "PEN" },
            { label: "USD (US$)", value: "USD" },
          ]}
          selected={query.currency ? [query.currency] : []}
          onChange={(selected) => update({ currency: (selected[0] as Currency | undefined) ?? null })}
        />
      ),
    },
    {
      key: "test",
      label: f.mode,
      filter: (
        <ChoiceList
          title={f.mode}
          titleHidden
          choices={[
            { label: f.live, value: "false" },
            { label: f.test, value: "true" },
          ]}
          selected={query.test === null ? [] : [String(query.test)]}
          onChange={(selected) => update({ test: selected[0] === "true" ? true : selected[0] === "false" ? false : null })}
        />
      ),
    },
  ];

  const applied: NonNullable<IndexFiltersProps["appliedFilters"]> = [];
  if (query.state.length > 0) {
    applied.push({
      key: "state",
      label: t.payments.applied.state(query.state.map((state) => t.paymentStates[state]).join(", ")),
      onRemove: () => update({ state: [] }),
    });
  }
  if (query.from || query.to) {
    applied.push({ key: "date", label: t.payments.applied.date(query.from, query.to), onRemove: () => update({ from: null, to: null }) });
  }
  if (query.currency) {
    applied.push({ key: "currency", label: t.payments.applied.currency(query.currency), onRemove: () => update({ currency: null }) });
  }
  if (query.test !== null) {
    applied.push({ key: "test", label: t.payments.applied.mode(query.test ? f.test : f.live), onRemove: () => update({ test: null }) });
  }
  return { filters, applied };
}
