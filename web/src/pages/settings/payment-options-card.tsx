import { BlockStack, Button, Card, Form, FormLayout, InlineStack, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";

import { useAdminClient } from "../../api/client-context";
import type { Settings, SettingsUpdate } from "../../api/types";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { useToast } from "../../components/toast-context";
import { useMutation } from "../../hooks/use-mutation";
import { useI18n } from "../../i18n/i18n-context";
import { hasErrors, type OptionValues, parseHours, validateOptionValues } from "./validation";

function valuesOf(settings: Settings): OptionValues {
  return {
    cipLifetimeHours: String(settings.cipLifetimeHours),
    paymentConcept: settings.paymentConcept ?? "",
    legalName: settings.legalName ?? "",
    ruc: settings.ruc ?? "",
  };
}

/** CIP lifetime, payment concept and the merchant's legal identity (printed on exports). */
export function PaymentOptionsCard(props: { settings: Settings; onSaved(settings: Settings): void }) {
  const { t } = useI18n();
  const client = useAdminClient();
  const toast = useToast();
  const save = useMutation();
  const initial = valuesOf(props.settings);
  const initialKey = JSON.stringify(initial);
  const [values, setValues] = useState<OptionValues>(initial);
  const [showAllErrors, setShowAllErrors] = useState(false);

  useEffect(() => {
    setValues(JSON.parse(initialKey) as OptionValues);
    setShowAllErrors(false);
  }, [initialKey]);

  const changed = (Object.keys(values) as Array<keyof OptionValues>).some((field) => values[field] !== initial[field]);
  const errors = validateOptionValues(values, t.settings);
  const serverErrors = Object.fromEntries(
    save.error?.kind === "server" ? save.error.fieldErrors.map((fieldError) => [fieldError.field, fieldError.message]) : [],
  ) as Partial<Record<keyof OptionValues, string>>;
  const shownError = (field: keyof OptionValues) =>
    serverErrors[field] ?? (showAllErrors || values[field] !== initial[field] ? errors[field] : undefined);

  const set = (field: keyof OptionValues) => (value: string) => {
    setValues((current) => ({ ...current, [field]: field === "ruc" ? value.replace(/\s/g, "") : value }));
    if (save.error) save.clearError();
  };

  const submit = async () => {
    setShowAllErrors(true);
    if (hasErrors(errors) || !changed) return;
    const update: SettingsUpdate = {};
    if (values.cipLifetimeHours !== initial.cipLifetimeHours) update.cipLifetimeHours = parseHours(values.cipLifetimeHours) as number;
    if (values.paymentConcept !== initial.paymentConcept) update.paymentConcept = values.paymentConcept.trim() || null;
    if (values.legalName !== initial.legalName) update.legalName = values.legalName.trim() || null;
    if (values.ruc !== initial.ruc) update.ruc = values.ruc.trim() || null;
    const result = await save.run(() => client.saveSettings(update));
    if (result?.ok) {
      toast(t.settings.saved);
      props.onSaved(result.value);
    }
  };

  const fieldErrorsOnly = save.error?.kind === "server" && save.error.fieldErrors.length > 0;
  return (
    <Card>
      <div data-testid="payment-options">
        <Form onSubmit={() => void submit()}>
          <BlockStack gap="400">
            {save.error && !fieldErrorsOnly ? <ApiErrorBanner error={save.error} onDismiss={save.clearError} /> : null}
            <FormLayout>
              <TextField
                id="cipLifetimeHours"
                label={t.settings.cipLifetime}
                value={values.cipLifetimeHours}
                onChange={set("cipLifetimeHours")}
                inputMode="numeric"
                autoComplete="off"
                suffix={t.settings.hours}
                helpText={t.settings.cipLifetimeHelp}
                error={shownError("cipLifetimeHours")}
              />
              <TextField
                id="paymentConcept"
                label={t.settings.paymentConcept}
                value={values.paymentConcept}
                onChange={set("paymentConcept")}
                autoComplete="off"
                maxLength={50}
                showCharacterCount
                helpText={t.settings.paymentConceptHelp}
                error={shownError("paymentConcept")}
              />
              <FormLayout.Group>
                <TextField
                  id="legalName"
                  label={t.settings.legalName}
                  value={values.legalName}
                  onChange={set("legalName")}
                  autoComplete="organization"
                  maxLength={120}
                  error={shownError("legalName")}
                />
                <TextField
                  id="ruc"
                  label={t.settings.ruc}
                  value={values.ruc}
                  onChange={set("ruc")}
                  autoComplete="off"
                  inputMode="numeric"
                  maxLength={11}
                  helpText={t.settings.rucHelp}
                  error={shownError("ruc")}
                />
              </FormLayout.Group>
            </FormLayout>
            <InlineStack align="end">
              <Button variant="primary" submit loading={save.busy} disabled={!changed}>
                {t.common.save}
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
      </div>
    </Card>
  );
}
