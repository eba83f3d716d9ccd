import { BlockStack, Card, IndexTable, type IndexTableProps, Text, useBreakpoints } from "@shopify/polaris";

import type { ImportList } from "../../api/reconciliation-types";
import { ApiErrorBanner } from "../../components/api-error-banner";
import type { ApiResource } from "../../hooks/use-api";
import { useI18n } from "../../i18n/i18n-context";
import { ImportStatusBadge } from "./import-progress";

/** The shop's imports, newest first: when, which file, how it went, and which payment days it covered. */
export function ImportsHistory({ list }: { list: ApiResource<ImportList> }) {
  const { t, dates } = useI18n();
  const s = t.settlements.import;
  const { smDown } = useBreakpoints();
  const data = list.state.data;
  const c = s.historyColumns;
  const headings: IndexTableProps["headings"] = [
    { title: c.date },
    { title: c.file },
    { title: c.status },
    { title: c.rows, alignment: "end" },
    { title: c.bad, alignment: "end" },
    { title: c.coverage },
  ];
  const day = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? dates.calendarDate(iso) : dates.date(iso));

  return (
    <Card padding="0">
      <BlockStack>
        <div style={{ padding: "var(--p-space-400) var(--p-space-400) var(--p-space-200)" }}>
          <Text as="h2" variant="headingMd">
            {s.historyTitle}
          </Text>
        </div>
        <ApiErrorBanner error={list.state.error} title={t.errors.loadTitle} onRetry={list.reload} />
        {data && data.items.length === 0 ? (
          <div style={{ padding: "0 var(--p-space-400) var(--p-space-400)" }}>
            <Text as="p" tone="subdued">
              {s.historyEmpty}
            </Text>
          </div>
        ) : (
          <IndexTable
            resourceName={{ singular: s.historyTitle, plural: s.historyTitle }}
            itemCount={data?.items.length ?? 0}
            selectable={false}
            condensed={smDown}
            loading={list.state.status === "loading"}
            headings={headings}
          >
            {(data?.items ?? []).map((item, index) => (
              <IndexTable.Row id={item.id} key={item.id} position={index}>
                <IndexTable.Cell>
                  <span data-testid="import-row" data-status={item.status}>
                    {item.createdAt ? dates.dateTime(item.createdAt) : t.common.none}
                  </span>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" fontWeight="medium" truncate>
                    {item.fileName}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <ImportStatusBadge record={item} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" numeric alignment="end">
                    {item.goodRows}/{item.totalRows}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" numeric alignment="end" {...(item.badRows > 0 ? { tone: "critical" as const } : {})}>
                    {item.badRows}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {item.coverageFrom && item.coverageTo ? s.coverage(day(item.coverageFrom), day(item.coverageTo)) : t.common.none}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </BlockStack>
    </Card>
  );
}

