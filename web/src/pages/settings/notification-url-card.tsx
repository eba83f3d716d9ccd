import { BlockStack, Button, Card, Icon, InlineStack, Text, TextField } from "@shopify/polaris";
import { CheckCircleIcon, ClipboardIcon } from "@shopify/polaris-icons";

import { useAdminClient } from "../../api/client-context";
import type { Settings } from "../../api/types";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { useToast } from "../../components/toast-context";
import { useMutation } from "../../hooks/use-mutation";
import { useI18n } from "../../i18n/i18n-context";

const FIELD_ID = "notification-url-field";

/** The shop's webhook address for cip.paid, to copy into PagoEfectivo's portal, and the "done" tick. */
export function NotificationUrlCard(props: { notificationUrl: string; confirmedAt: string | null; onConfirmed(settings: Settings): void }) {
  const { t, dates } = useI18n();
  const client = useAdminClient();
  const toast = useToast();
  const confirm = useMutation();

  const copy = async () => {
    const copied = await copyText(props.notificationUrl, FIELD_ID);
    toast(copied ? t.settings.urlCopied : t.settings.copyFailed, { error: !copied });
  };

  const markConfirmed = async () => {
    const result = await confirm.run(() => client.confirmNotificationUrl());
    if (result?.ok) {
      toast(t.settings.urlConfirmedToast);
      props.onConfirmed(result.value);
    }
  };

  return (
    <Card>
      <BlockStack gap="400">
        <TextField
          id={FIELD_ID}
          label={t.settings.notificationUrl}
          value={props.notificationUrl}
          readOnly
          autoComplete="off"
          selectTextOnFocus
          monospaced
          connectedRight={
            <Button icon={ClipboardIcon} onClick={() => void copy()}>
              {t.settings.copyUrl}
            </Button>
          }
        />
        <ApiErrorBanner error={confirm.error} onDismiss={confirm.clearError} />
        {props.confirmedAt ? (
          <InlineStack gap="200" blockAlign="center" wrap={false}>
            <span>
              <Icon source={CheckCircleIcon} tone="success" />
            </span>
            <Text as="p" tone="success" fontWeight="medium">
              {t.settings.urlConfirmed(dates.dateTime(props.confirmedAt))}
            </Text>
          </InlineStack>
        ) : (
          <InlineStack align="space-between" blockAlign="center" gap="300">
            <Text as="p" tone="subdued">
              {t.settings.urlNotConfirmed}
            </Text>
            <Button variant="primary" onClick={() => void markConfirmed()} loading={confirm.busy}>
              {t.settings.confirmUrl}
            </Button>
          </InlineStack>
        )}
      </BlockStack>
    </Card>
  );
}

/** Clipboard API when allowed; otherwise the old select-and-copy on the visible field. */
async function copyText(text: string, fieldId: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const field = document.getElementById(fieldId);
    if (!(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)) return false;
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }
}
