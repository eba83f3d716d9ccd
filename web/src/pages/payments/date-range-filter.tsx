import { BlockStack, TextField } from "@shopify/polaris";

import { useI18n } from "../../i18n/i18n-context";

/** From/to calendar days (the shop's time zone on the server side); the browser's date picker. */
export function DateRangeFilter(props: { from: string | null; to: string | null; onChange(from: string | null, to: string | null): void }) {
  const { t } = useI18n();
  const valid = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null);
  return (
    <BlockStack gap="200">
      <TextField
        label={t.payments.filters.from}
        type="date"
        value={props.from ?? ""}
        max={props.to ?? undefined}
        onChange={(value) => props.onChange(valid(value), props.to)}
        autoComplete="off"
      />
      <TextField
        label={t.payments.filters.to}
        type="date"
        value={props.to ?? ""}
        min={props.from ?? undefined}
        onChange={(value) => props.onChange(props.from, valid(value))}
        autoComplete="off"
      />
    </BlockStack>
  );
}
