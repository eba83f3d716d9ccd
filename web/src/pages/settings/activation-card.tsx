import { Badge, BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";

import { useAdminClient } from "../../api/client-context";
import type { Settings, SetupSteps } from "../../api/types";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { useToast } from "../../components/toast-context";
import { useMutation } from "../../hooks/use-mutation";
import { useI18n } from "../../i18n/i18n-context";

/** paymentsAppConfigure(ready: true/false) through the API; Shopify's refusal is shown as it came. */
export function ActivationCard(props: { settings: Settings; steps: SetupSteps | null; onChanged(settings: Settings): void }) {
  const { settings, steps } = props;
  const { t } = useI18n();
  const client = useAdminClient();
  const toast = useToast();
  const change = useMutation();
  const [handle, setHandle] = useState(settings.externalHandle ?? "");

  useEffect(() => setHandle(settings.externalHandle ?? ""), [settings.externalHandle]);

  const handleError = handle.trim().length > 100 ? t.settings.externalHandleError : undefined;
  // Activating needs saved credentials that passed a connection test: until then the button is off
  // (the server refuses too), and the line beside it says what is missing.
  const saved = [settings.credentials.sandbox, settings.credentials.production].filter((c) => c !== null);
  const hasCredentials = saved.length > 0 || steps?.credentials === true;
  const tested = saved.some((c) => c.verifiedAt !== null) || steps?.connectionTested === true;
  const blocked = !(hasCredentials && tested);

  const activate = async () => {
    if (handleError) return;
    const result = await change.run(() => client.activate(handle.trim() || null));
    if (result?.ok) {
      toast(t.settings.activated);
      props.onChanged(result.value);
    }
  };
  const deactivate = async () => {
    const result = await change.run(() => client.deactivate());
    if (result?.ok) {
      toast(t.settings.deactivated);
      props.onChanged(result.value);
    }
  };

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="p">{settings.ready ? t.settings.activeText : t.settings.inactiveText}</Text>
          <span data-testid="activation-state">
            <Badge tone={settings.ready ? "success" : undefined} progress={settings.ready ? "complete" : "incomplete"}>
              {settings.ready ? t.settings.active : t.settings.inactive}
            </Badge>
          </span>
        </InlineStack>
        <ApiErrorBanner error={change.error} title={t.settings.activationFailed} onDismiss={change.clearError} />
        <TextField
          id="externalHandle"
          label={t.settings.externalHandle}
          value={handle}
          onChange={setHandle}
          autoComplete="off"
          maxLength={100}
          disabled={settings.ready}
          helpText={t.settings.externalHandleHelp}
          error={handleError}
        />
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="p" variant="bodySm" tone="subdued">
            {!settings.ready && blocked ? t.settings.activateBlocked : ""}
          </Text>
          {settings.ready ? (
            <Button tone="critical" onClick={() => void deactivate()} loading={change.busy}>
              {t.settings.deactivate}
            </Button>
          ) : (
            <Button variant="primary" onClick={() => void activate()} loading={change.busy} disabled={blocked}>
              {t.settings.activate}
            </Button>
          )}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
