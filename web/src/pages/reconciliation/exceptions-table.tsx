import {
  BlockStack,
  Button,
  Card,
  ChoiceList,
  EmptySearchResult,
  EmptyState,
  IndexFilters,
  IndexFiltersMode,
  IndexTable,
  type IndexTableProps,
  InlineStack,
  Text,
  useBreakpoints,
  useSetIndexFiltersMode,
} from "@shopify/polaris";

import { EXCEPTION_KINDS, type ExceptionList, type ReconciliationException } from "../../api/reconciliation-types";
import { EMPTY_PAYMENTS } from "../../assets/images";
import { ApiErrorBanner } from "../../components/api-error-banner";
import type { ApiResource } from "../../hooks/use-api";
import { useI18n } from "../../i18n/i18n-context";
import { exceptionAmount } from "./evidence-values";
import { ExceptionKindBadge, ExceptionStatusBadge } from "./exception-kind-badge";
import type { ExceptionsView } from "./exception-query";
import styles from "./reconciliation.module.css";

const TABS = ["open", "resolved", "all"] as const;

/** The exceptions list: a tab per status, a kind filter, one row per exception; a row opens its detail. */
export function ExceptionsTable(props: {
  view: ExceptionsView;
  list: ApiResource<ExceptionList>;
  onView(view: ExceptionsView): void;
  onOpen(id: string): void;
}) {
  const { t } = useI18n();
  const r = t.reconciliation;
  const { view, list } = props;
  const { smDown } = useBreakpoints();
  const filtered = view.query.kind.length > 0;
  const { mode, setMode } = useSetIndexFiltersMode(filtered ? IndexFiltersMode.Filtering : IndexFiltersMode.Default);
  const data = list.state.data;
  const loading = list.state.status === "loading";

  const update = (changes: Partial<ExceptionsView["query"]>, tab = view.tab) =>
    props.onView({ tab, query: { ...view.query, page: 1, ...changes }, exceptionId: null });
  const setKinds = (kind: string[]) => update({ kind });

  const kindChoices = EXCEPTION_KINDS.map((kind) => ({ label: r.kinds[kind] ?? kind, value: kind }));
  const filters = [
    {
      key: "kind",
      label: r.filters.kind,
      shortcut: true,
      pinned: true,
      filter: <ChoiceList title={r.filters.kind} titleHidden allowMultiple choices={kindChoices} selected={view.query.kind} onChange={setKinds} />,
    },
  ];
  const applied = filtered
    ? [{ key: "kind", label: r.appliedKind(view.query.kind.map((kind) => r.kinds[kind] ?? kind).join(", ")), onRemove: () => setKinds([]) }]
    : [];

  const headings: IndexTableProps["headings"] = [
    { title: r.columns.detected },
    { title: r.columns.kind },
    { title: r.columns.cip },
    { title: r.columns.order },
    { title: r.columns.status },
    { title: r.columns.amount, alignment: "end" },
  ];
  const page = data?.page ?? view.query.page;
  const pageSize = data?.pageSize || view.query.pageSize;
  const total = data?.total ?? 0;
  const emptyOpen = data && total === 0 && view.tab === "open" && !filtered && list.state.status === "ok";

  return (
    <Card padding="0">
      <BlockStack>
        <Text as="h2" variant="headingMd" visuallyHidden>
          {r.exceptionsTitle}
        </Text>
        <IndexFilters
          tabs={TABS.map((tab) => ({ id: `exceptions-${tab}`, content: r.tabs[tab] }))}
          selected={TABS.indexOf(view.tab)}
          onSelect={(index) => {
            const tab = TABS[index] ?? "open";
            update({ status: tab === "all" ? null : tab }, tab);
          }}
          canCreateNewView={false}
          hideQueryField
          queryValue=""
          onQueryChange={() => undefined}
          onQueryClear={() => undefined}
          filters={filters}
          appliedFilters={applied}
          onClearAll={() => setKinds([])}
          mode={mode}
          setMode={setMode}
          loading={loading}
          cancelAction={{ onAction: () => setKinds([]) }}
        />
        {list.state.status === "error" ? (
          <div style={{ padding: "var(--p-space-400)" }}>
            <ApiErrorBanner error={list.state.error} title={t.errors.loadTitle} onRetry={list.reload} />
          </div>
        ) : null}
        {emptyOpen ? (
          <EmptyState heading={r.emptyOpenTitle} image={EMPTY_PAYMENTS}>
            <p>{r.emptyOpenText}</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: r.resourceSingular, plural: r.resourcePlural }}
            itemCount={data?.items.length ?? 0}
            selectable={false}
            condensed={smDown}
            loading={loading}
            headings={headings}
            emptyState={<EmptySearchResult title={r.emptyFilteredTitle} description={r.emptyFilteredText} withIllustration />}
            pagination={{
              hasPrevious: page > 1,
              hasNext: page * pageSize < total,
              onPrevious: () => update({ page: page - 1 }),
              onNext: () => update({ page: page + 1 }),
              label: total === 0 ? "" : t.payments.pageLabel((page - 1) * pageSize + 1, Math.min(total, page * pageSize), total),
            }}
          >
            {(data?.items ?? []).map((item, index) => (
              <ExceptionRow key={item.id} item={item} index={index} condensed={smDown} onOpen={props.onOpen} />
            ))}
          </IndexTable>
        )}
      </BlockStack>
    </Card>
  );
}

function ExceptionRow(props: { item: ReconciliationException; index: number; condensed: boolean; onOpen(id: string): void }) {
  const { t, dates } = useI18n();
  const { item } = props;
  const amount = exceptionAmount(item.evidence);
  const open = (
    <Button variant="plain" onClick={() => props.onOpen(item.id)} dataPrimaryLink>
      {t.reconciliation.kinds[item.kind] ?? item.kind}
    </Button>
  );
  const cip = item.cip ? <span className={styles.mono}>{item.cip}</span> : t.common.none;
  if (props.condensed) {
    return (
      <IndexTable.Row id={item.id} position={props.index} onClick={() => props.onOpen(item.id)}>
        <div style={{ padding: "var(--p-space-300) var(--p-space-400)" }} data-testid="exception-row" data-kind={item.kind}>
          <BlockStack gap="100">
            <InlineStack align="space-between" gap="200" wrap={false}>
              {open}
              <Text as="span" numeric>
                {amount ?? ""}
              </Text>
            </InlineStack>
            <Text as="span" variant="bodySm" tone="subdued">
              {dates.dateTime(item.detectedAt)} · CIP {cip}
            </Text>
            <InlineStack gap="100">
              <ExceptionStatusBadge status={item.status} />
            </InlineStack>
          </BlockStack>
        </div>
      </IndexTable.Row>
    );
  }
  return (
    <IndexTable.Row id={item.id} position={props.index} onClick={() => props.onOpen(item.id)}>
      <IndexTable.Cell>
        <span data-testid="exception-row" data-kind={item.kind} data-exception-id={item.id}>
          {item.detectedAt ? dates.dateTime(item.detectedAt) : t.common.none}
        </span>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <ExceptionKindBadge kind={item.kind} />
      </IndexTable.Cell>
      <IndexTable.Cell>{cip}</IndexTable.Cell>
      <IndexTable.Cell>{item.orderName ?? t.common.none}</IndexTable.Cell>
      <IndexTable.Cell>
        <ExceptionStatusBadge status={item.status} />
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" numeric alignment="end">
          {amount ?? t.common.none}
        </Text>
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}
