import { Badge, BlockStack, Button, Card, FormLayout, InlineStack, Layout, SkeletonBodyText, Text, TextField } from "@shopify/polaris";
import { DeleteIcon, PlusIcon } from "@shopify/polaris-icons";
import { useEffect, useState } from "react";

import { useAdminClient } from "../../api/client-context";
import { queryKeys } from "../../api/query-keys";
import { useReconciliationClient } from "../../api/reconciliation-context";
import type { PayoutTerms } from "../../api/reconciliation-types";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { useToast } from "../../components/toast-context";
import { useApi } from "../../hooks/use-api";
import { useMutation } from "../../hooks/use-mutation";
import { useI18n } from "../../i18n/i18n-context";
import { paths } from "../../router/routes";
import { FeeScheduleCard } from "./fee-schedule-card";

/** Tarifas y abonos: the fee schedule, the payout cycle per channel, and where the legal name and RUC live. */
export function FeesTab() {
  return (
    <Layout>
      <Layout.Section>
        <BlockStack gap="400">
          <FeeScheduleCard />
          <PayoutCycleCard />
        </BlockStack>
      </Layout.Section>
      <Layout.Section variant="oneThird">
        <LegalCard />
      </Layout.Section>
    </Layout>
  );
}

interface ChannelDraft {
  key: number;
  name: string;
  days: string;
}

const wholeDays = (text: string): number | null => (/^\d{1,2}$/.test(text.trim()) && Number(text) <= 30 ? Number(text) : null);

function PayoutCycleCard() {
  const { t } = useI18n();
  const f = t.settlements.fees;
  const client = useReconciliationClient();
  const toast = useToast();
  const terms = useApi(() => client.payoutTerms(), queryKeys.payoutTerms);
  const save = useMutation();
  const [defaultDays, setDefaultDays] = useState("");
  const [channels, setChannels] = useState<ChannelDraft[]>([]);
  const [cutoff, setCutoff] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const loaded = terms.state.data;

  useEffect(() => {
    if (!loaded) return;
    setDefaultDays(String(loaded.defaultDays));
    setChannels(Object.entries(loaded.daysByChannel).map(([name, days], index) => ({ key: index, name, days: String(days) })));
    setCutoff(loaded.cutoffHour === null ? "" : String(loaded.cutoffHour));
  }, [loaded]);

  const cutoffHour = cutoff.trim() === "" ? null : /^\d{1,2}$/.test(cutoff.trim()) && Number(cutoff) <= 23 ? Number(cutoff) : undefined;
  const defaultError = submitted && wholeDays(defaultDays) === null ? f.daysError : undefined;
  const cutoffError = submitted && cutoffHour === undefined ? f.cutoffError : undefined;
  const channelErrors = channels.map((channel) => ({
    name: submitted && !channel.name.trim() ? f.channelNameError : undefined,
    days: submitted && wholeDays(channel.days) === null ? f.daysError : undefined,
  }));

  const submit = async () => {
    setSubmitted(true);
    const base = wholeDays(defaultDays);
    if (!loaded || base === null || cutoffHour === undefined) return;
    if (channels.some((channel) => !channel.name.trim() || wholeDays(channel.days) === null)) return;
    const next: Omit<PayoutTerms, "configured"> = {
      daysByChannel: Object.fromEntries(channels.map((channel) => [channel.name.trim(), wholeDays(channel.days) ?? 0])),
      defaultDays: base,
      cutoffHour,
      extraClosedDays: loaded.extraClosedDays,
      settlementCurrencies: loaded.settlementCurrencies,
    };
    const result = await save.run(() => client.savePayoutTerms(next));
    if (result?.ok) {
      setSubmitted(false);
      terms.setData(result.value);
      toast(f.payoutSaved);
    }
  };

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="start" gap="200">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {f.payoutTitle}
            </Text>
            <Text as="p" tone="subdued">
              {f.payoutHelp}
            </Text>
          </BlockStack>
          {loaded && !loaded.configured ? <Badge tone="info">{f.notConfigured}</Badge> : null}
        </InlineStack>
        <ApiErrorBanner error={terms.state.error} title={t.errors.loadTitle} onRetry={terms.reload} />
        <ApiErrorBanner error={save.error} onDismiss={save.clearError} />
        {!loaded ? (
          terms.state.status === "loading" ? <SkeletonBodyText lines={3} /> : null
        ) : (
          <div data-testid="payout-cycle">
            <FormLayout>
              <FormLayout.Group condensed>
                <TextField
                  id="payout-default-days"
                  label={f.defaultDays}
                  value={defaultDays}
                  onChange={setDefaultDays}
                  autoComplete="off"
                  inputMode="numeric"
                  prefix="T+"
                  error={defaultError}
                />
                <TextField
                  id="payout-cutoff"
                  label={f.cutoffHour}
                  value={cutoff}
                  onChange={setCutoff}
                  autoComplete="off"
                  inputMode="numeric"
                  suffix="h"
                  helpText={f.cutoffHelp}
                  error={cutoffError}
                />
              </FormLayout.Group>
              {channels.map((channel, index) => (
                <InlineStack key={channel.key} gap="300" blockAlign="end" wrap={false}>
                  <div style={{ flex: 2 }}>
                    <TextField
                      id={`payout-channel-${index}`}
                      label={f.channelName}
                      labelHidden={index > 0}
                      value={channel.name}
                      onChange={(name) => setChannels(channels.map((item) => (item.key === channel.key ? { ...item, name } : item)))}
                      autoComplete="off"
                      maxLength={60}
                      error={channelErrors[index]?.name}
                    />
                  </div>
                  <div style={{ flex: 1 }}>
                    <TextField
                      id={`payout-channel-days-${index}`}
                      label={f.channelDays}
                      labelHidden={index > 0}
                      value={channel.days}
                      onChange={(days) => setChannels(channels.map((item) => (item.key === channel.key ? { ...item, days } : item)))}
                      autoComplete="off"
                      inputMode="numeric"
                      prefix="T+"
                      error={channelErrors[index]?.days}
                    />
                  </div>
                  <Button
                    icon={DeleteIcon}
                    variant="tertiary"
                    accessibilityLabel={`${f.remove} ${channel.name}`}
                    onClick={() => setChannels(channels.filter((item) => item.key !== channel.key))}
                  />
                </InlineStack>
              ))}
              <InlineStack align="space-between" gap="200">
                <Button
                  icon={PlusIcon}
                  variant="plain"
                  onClick={() => setChannels([...channels, { key: Math.max(0, ...channels.map((c) => c.key + 1)), name: "", days: defaultDays || "1" }])}
                >
                  {f.addChannel}
                </Button>
                <Button variant="primary" onClick={() => void submit()} loading={save.busy}>
                  {t.common.save}
                </Button>
              </InlineStack>
            </FormLayout>
          </div>
        )}
      </BlockStack>
    </Card>
  );
}

function LegalCard() {
  const { t } = useI18n();
  const f = t.settlements.fees;
  const admin = useAdminClient();
  const settings = useApi(() => admin.settings(), queryKeys.settings);
  const data = settings.state.data;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {f.legalTitle}
        </Text>
        <Text as="p" tone="subdued">
          {f.legalText}
        </Text>
        {data ? (
          data.legalName && data.ruc ? (
            <Text as="p" fontWeight="semibold">
              <span data-testid="legal-identity">{f.legalValues(data.legalName, data.ruc)}</span>
            </Text>
          ) : (
            <Text as="p" tone="caution">
              {f.legalMissing}
            </Text>
          )
        ) : settings.state.status === "loading" ? (
          <SkeletonBodyText lines={1} />
        ) : null}
        <InlineStack>
          <Button url={paths.settings}>{f.goToSettings}</Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
