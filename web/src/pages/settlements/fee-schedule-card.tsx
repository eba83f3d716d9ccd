import { BlockStack, Button, Card, DataTable, Form, FormLayout, InlineStack, Select, SkeletonBodyText, Text, TextField } from "@shopify/polaris";
import { DeleteIcon, PlusIcon } from "@shopify/polaris-icons";
import { useState } from "react";

import { parseDecimalAmount } from "../../../../app/domain/money";
import { queryKeys } from "../../api/query-keys";
import { useReconciliationClient } from "../../api/reconciliation-context";
import type { FeeEntry, NewFeeEntry } from "../../api/reconciliation-types";
import type { Currency } from "../../api/types";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { useToast } from "../../components/toast-context";
import { formatMoney } from "../../format/money";
import { useApi } from "../../hooks/use-api";
import { useMutation } from "../../hooks/use-mutation";
import { useI18n } from "../../i18n/i18n-context";

/** "2.89" → 289 basis points, by digits (no floats); null unless 0..100 with at most two decimals. */
export function percentToBps(text: string): number | null {
  const parsed = parseDecimalAmount(text.trim().replace(",", "."), "PEN");
  if (!parsed.ok || parsed.value.amountMinor > 10_000) return null;
  return parsed.value.amountMinor;
}

/** 289 → "2.89 %" */
export function bpsLabel(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const fraction = String(bps % 100).padStart(2, "0");
  return `${whole}.${fraction} %`;
}

/** The fee schedule: one row per currency, channel and effective date; add and remove rows. */
export function FeeScheduleCard() {
  const { t, dates } = useI18n();
  const f = t.settlements.fees;
  const client = useReconciliationClient();
  const toast = useToast();
  const fees = useApi(() => client.fees(), queryKeys.fees);
  const remove = useMutation({ invalidates: [queryKeys.fees] });
  const [adding, setAdding] = useState(false);
  const entries = fees.state.data;

  const removeEntry = async (entry: FeeEntry) => {
    const result = await remove.run(() => client.removeFee(entry.id));
    if (result?.ok) {
      toast(f.removed);
    }
  };

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="start" gap="200">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {f.scheduleTitle}
            </Text>
            <Text as="p" tone="subdued">
              {f.scheduleHelp}
            </Text>
          </BlockStack>
          {!adding ? (
            <Button icon={PlusIcon} onClick={() => setAdding(true)}>
              {f.add}
            </Button>
          ) : null}
        </InlineStack>
        <ApiErrorBanner error={fees.state.error} title={t.errors.loadTitle} onRetry={fees.reload} />
        <ApiErrorBanner error={remove.error} onDismiss={remove.clearError} />
        {!entries ? (
          fees.state.status === "loading" ? <SkeletonBodyText lines={3} /> : null
        ) : entries.length === 0 ? (
          <Text as="p" tone="subdued">
            {f.emptySchedule}
          </Text>
        ) : (
          <div data-testid="fee-schedule">
            <DataTable
              columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "text", "text"]}
              headings={[f.columns.currency, f.columns.channel, f.columns.percent, f.columns.fixed, f.columns.tax, f.columns.from, f.columns.actions]}
              rows={entries.map((entry) => [
                entry.currency,
                entry.channel === "*" ? f.anyChannel : entry.channel,
                bpsLabel(entry.percentBps),
                formatMoney(entry.fixedMinor, entry.currency),
                entry.taxBps ? bpsLabel(entry.taxBps) : t.common.none,
                entry.effectiveFrom ? dates.calendarDate(entry.effectiveFrom) : t.common.none,
                <Button
                  key={entry.id}
                  variant="plain"
                  tone="critical"
                  icon={DeleteIcon}
                  accessibilityLabel={`${f.remove} ${entry.currency} ${entry.channel}`}
                  onClick={() => void removeEntry(entry)}
                  disabled={remove.busy}
                />,
              ])}
            />
          </div>
        )}
        {adding ? (
          <AddFeeForm
            onCancel={() => setAdding(false)}
            onAdded={() => {
              setAdding(false);
              toast(f.added);
            }}
          />
        ) : null}
      </BlockStack>
    </Card>
  );
}

function AddFeeForm(props: { onCancel(): void; onAdded(): void }) {
  const { t, dates } = useI18n();
  const f = t.settlements.fees;
  const client = useReconciliationClient();
  const add = useMutation({ invalidates: [queryKeys.fees] });
  const [currency, setCurrency] = useState<Currency>("PEN");
  const [channel, setChannel] = useState("");
  const [percent, setPercent] = useState("");
  const [fixed, setFixed] = useState("0.00");
  const [tax, setTax] = useState("");
  const [effectiveFrom, setEffectiveFrom] = useState(() => dates.today());
  const [submitted, setSubmitted] = useState(false);

  const percentBps = percentToBps(percent);
  const fixedParsed = parseDecimalAmount(fixed.trim().replace(",", ".") || "0", currency);
  const taxBps = tax.trim() ? percentToBps(tax) : null;
  const serverErrors = Object.fromEntries(add.error?.kind === "server" ? add.error.fieldErrors.map((e) => [e.field, e.message]) : []) as Record<
    string,
    string | undefined
  >;
  const errors = {
    percent: submitted && percentBps === null ? f.percentError : serverErrors.percentBps,
    fixed: submitted && !fixedParsed.ok ? f.fixedError : serverErrors.fixedMinor,
    tax: submitted && tax.trim() && taxBps === null ? f.percentError : serverErrors.taxBps,
    date: submitted && !/^\d{4}-\d{2}-\d{2}$/.test(effectiveFrom) ? f.dateError : serverErrors.effectiveFrom,
  };

  const submit = async () => {
    setSubmitted(true);
    if (percentBps === null || !fixedParsed.ok || (tax.trim() && taxBps === null) || !/^\d{4}-\d{2}-\d{2}$/.test(effectiveFrom)) return;
    const entry: NewFeeEntry = {
      currency,
      channel: channel.trim() || "*",
      percentBps,
      fixedMinor: fixedParsed.value.amountMinor,
      taxBps,
      effectiveFrom,
    };
    const result = await add.run(() => client.addFee(entry));
    if (result?.ok) props.onAdded();
  };

  return (
    <Form onSubmit={() => void submit()}>
      <BlockStack gap="300">
        <Text as="h3" variant="headingSm">
          {f.addTitle}
        </Text>
        {add.error && !(add.error.kind === "server" && add.error.fieldErrors.length > 0) ? (
          <ApiErrorBanner error={add.error} onDismiss={add.clearError} />
        ) : null}
        <FormLayout>
          <FormLayout.Group condensed>
            <Select
              id="fee-currency"
              label={f.currency}
              options={[
                { label: "PEN (S/)", value: "PEN" },
                { label: "USD (US$)", value: "USD" },
              ]}
              value={currency}
              onChange={(value) => setCurrency(value === "USD" ? "USD" : "PEN")}
            />
            <TextField id="fee-channel" label={f.channel} value={channel} onChange={setChannel} autoComplete="off" placeholder={f.anyChannel} helpText={f.channelHelp} maxLength={60} />
          </FormLayout.Group>
          <FormLayout.Group condensed>
            <TextField id="fee-percent" label={f.percent} value={percent} onChange={setPercent} autoComplete="off" inputMode="decimal" suffix="%" error={errors.percent} />
            <TextField
              id="fee-fixed"
              label={f.fixed}
              value={fixed}
              onChange={setFixed}
              autoComplete="off"
              inputMode="decimal"
              prefix={currency === "PEN" ? "S/" : "US$"}
              error={errors.fixed}
            />
            <TextField id="fee-tax" label={f.tax} value={tax} onChange={setTax} autoComplete="off" inputMode="decimal" suffix="%" helpText={f.taxHelp} error={errors.tax} />
            <TextField id="fee-from" label={f.effectiveFrom} type="date" value={effectiveFrom} onChange={setEffectiveFrom} autoComplete="off" error={errors.date} />
          </FormLayout.Group>
        </FormLayout>
        <InlineStack align="end" gap="200">
          <Button onClick={props.onCancel} disabled={add.busy}>
            {t.common.cancel}
          </Button>
          <Button variant="primary" submit loading={add.busy}>
            {f.add}
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}
