import { Badge, Banner, BlockStack, Button, Card, FormLayout, InlineStack, Select, Text } from "@shopify/polaris";

import type { FilePreview, PreviewParsedRow, SettlementField } from "../../api/reconciliation-types";
import { REQUIRED_FIELDS, SETTLEMENT_FIELDS } from "../../api/reconciliation-types";
import { formatMoney } from "../../format/money";
import { useI18n } from "../../i18n/i18n-context";
import { type MappingDraft, mappingProblems } from "./column-mapping";
import styles from "./settlements.module.css";

/**
 * The first rows of the uploaded file as they are, the column mapping form (a Select per field, its
 * options the file's headers, pre-filled with the saved or suggested mapping) and, once checked against
 * the server, how each row would import.
 */
export function FilePreviewCard(props: {
  fileName: string;
  preview: FilePreview;
  draft: MappingDraft;
  showProblems: boolean;
  checking: boolean;
  importing: boolean;
  onChange(draft: MappingDraft): void;
  onCheck(): void;
  onImport(): void;
  onCancel(): void;
}) {
  const { t, dates } = useI18n();
  const s = t.settlements.import;
  const { preview, draft } = props;
  const problems = mappingProblems(draft);
  const options = [{ label: s.notMapped, value: "" }, ...preview.headers.filter((header) => header.trim() !== "").map((header) => ({ label: header, value: header }))];
  const problemText = (field: SettlementField | "defaultCurrency") => {
    if (!props.showProblems) return undefined;
    switch (problems[field]) {
      case "required":
        return s.fieldRequired;
      case "duplicate":
        return s.duplicateColumn;
      case "currency":
        return s.defaultCurrencyRequired;
      default:
        return undefined;
    }
  };
  const setColumn = (field: SettlementField, header: string) => props.onChange({ ...draft, columns: { ...draft.columns, [field]: header } });

  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <Text as="h2" variant="headingMd">
              {s.previewTitle(props.fileName)}
            </Text>
            <Text as="span" tone="subdued">
              {s.previewRows(preview.rows.length)}
            </Text>
          </InlineStack>
          {preview.alreadyImported ? (
            <Banner tone="info">
              <p data-testid="already-imported">{s.alreadyImported(dates.dateTime(preview.alreadyImported.createdAt))}</p>
            </Banner>
          ) : null}
          <div className={styles.scroll} data-testid="file-preview">
            <table className={styles.previewTable}>
              <thead>
                <tr>
                  <th>#</th>
                  {preview.headers.map((header, index) => (
                    <th key={`${header}-${index}`}>{header}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row) => (
                  <tr key={row.lineNumber}>
                    <td className={styles.lineNumber}>{row.lineNumber}</td>
                    {preview.headers.map((_, index) => (
                      <td key={index}>{row.cells[index] ?? ""}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {s.mappingTitle}
            </Text>
            <Text as="p" tone="subdued">
              {s.mappingHelp}
            </Text>
          </BlockStack>
          <div data-testid="mapping-form">
            <FormLayout>
              <div className={styles.mappingGrid}>
                {SETTLEMENT_FIELDS.map((field) => (
                  <Select
                    key={field}
                    id={`mapping-${field}`}
                    label={s.fields[field] ?? field}
                    options={options}
                    value={draft.columns[field]}
                    onChange={(value) => setColumn(field, value)}
                    error={problemText(field)}
                    {...(REQUIRED_FIELDS.includes(field) ? { requiredIndicator: true } : {})}
                  />
                ))}
                <Select
                  id="mapping-defaultCurrency"
                  label={s.defaultCurrency}
                  options={[
                    { label: t.common.none, value: "" },
                    { label: "PEN (S/)", value: "PEN" },
                    { label: "USD (US$)", value: "USD" },
                  ]}
                  value={draft.defaultCurrency}
                  onChange={(value) => props.onChange({ ...draft, defaultCurrency: value === "PEN" || value === "USD" ? value : "" })}
                  error={problemText("defaultCurrency")}
                />
              </div>
            </FormLayout>
          </div>
          {preview.parsed && preview.parsed.length > 0 ? <ParsedRows rows={preview.parsed} /> : null}
          <InlineStack align="end" gap="200">
            <Button onClick={props.onCancel} disabled={props.importing}>
              {s.cancel}
            </Button>
            <Button onClick={props.onCheck} loading={props.checking} disabled={props.importing}>
              {s.checkMapping}
            </Button>
            <Button variant="primary" onClick={props.onImport} loading={props.importing} disabled={props.checking}>
              {s.importButton}
            </Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </BlockStack>
  );
}

function ParsedRows({ rows }: { rows: PreviewParsedRow[] }) {
  const { t, dates } = useI18n();
  const s = t.settlements.import;
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {s.parsedTitle}
      </Text>
      <div className={styles.scroll} data-testid="parsed-rows">
        <table className={styles.previewTable}>
          <thead>
            <tr>
              <th>#</th>
              <th />
              <th>{s.fields.cip}</th>
              <th>{s.fields.amount}</th>
              <th>{s.fields.paymentDate}</th>
              <th>{s.fields.channel}</th>
              <th>{s.fields.commission}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) =>
              row.ok ? (
                <tr key={`${row.lineNumber}-${index}`}>
                  <td className={styles.lineNumber}>{row.lineNumber}</td>
                  <td>
                    <Badge tone="success">{s.rowOk}</Badge>
                  </td>
                  <td>{row.cip}</td>
                  <td>{formatMoney(row.amountMinor, row.currency)}</td>
                  <td>{row.paymentDate ? dates.dateTime(row.paymentDate) : t.common.none}</td>
                  <td>{row.channel ?? t.common.none}</td>
                  <td>{row.commissionMinor === null ? t.common.none : formatMoney(row.commissionMinor, row.currency)}</td>
                </tr>
              ) : (
                <tr key={`${row.lineNumber}-${index}`}>
                  <td className={styles.lineNumber}>{row.lineNumber || ""}</td>
                  <td>
                    <Badge tone="critical">{s.rowBad}</Badge>
                  </td>
                  <td colSpan={5}>{row.reason}</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    </BlockStack>
  );
}
