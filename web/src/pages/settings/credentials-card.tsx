import { Badge, Banner, BlockStack, Button, Card, Form, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";

import { useAdminClient } from "../../api/client-context";
import type { ConnectionTest, Credential, Environment, Settings } from "../../api/types";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { useToast } from "../../components/toast-context";
import { useMutation } from "../../hooks/use-mutation";
import { useI18n } from "../../i18n/i18n-context";
import { type CredentialValues, hasErrors, parseIdService, validateCredentialValues } from "./validation";

function initialValues(credential: Credential | null): CredentialValues {
  return { accessKey: credential?.accessKey ?? "", secretKey: "", idService: credential ? String(credential.idService) : "" };
}

/** One environment's PagoEfectivo keys: save, then test against PagoEfectivo's authorization endpoint. */
export function CredentialsCard(props: {
  environment: Environment;
  credential: Credential | null;
  onSaved(settings: Settings): void;
  onTested(): void;
}) {
  const { environment, credential } = props;
  const { t, dates } = useI18n();
  const client = useAdminClient();
  const toast = useToast();
  const save = useMutation();
  const test = useMutation();
  const [values, setValues] = useState<CredentialValues>(() => initialValues(credential));
  const [showAllErrors, setShowAllErrors] = useState(false);
  const [testResult, setTestResult] = useState<ConnectionTest | null>(null);

  // A different saved credential becomes the form's new starting point; edits survive unrelated reloads.
  const savedKey = credential ? `${credential.accessKey}|${credential.idService}` : "";
  useEffect(() => {
    setValues(initialValues(credential));
    setShowAllErrors(false);
  }, [savedKey]);

  const initial = initialValues(credential);
  const changed = values.accessKey !== initial.accessKey || values.secretKey !== "" || values.idService !== initial.idService;
  const errors = validateCredentialValues(values, credential?.hasSecretKey ?? false, t.settings);
  const serverErrors = Object.fromEntries(
    save.error?.kind === "server" ? save.error.fieldErrors.map((fieldError) => [fieldError.field, fieldError.message]) : [],
  ) as Partial<Record<keyof CredentialValues, string>>;
  const shownError = (field: keyof CredentialValues) =>
    serverErrors[field] ?? (showAllErrors || values[field] !== initial[field] ? errors[field] : undefined);
  const id = (field: string) => `${environment}-${field}`;

  const set = (field: keyof CredentialValues) => (value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    if (save.error) save.clearError();
  };

  const submit = async () => {
    setShowAllErrors(true);
    if (hasErrors(errors) || !changed) return;
    const idService = parseIdService(values.idService) as number;
    const result = await save.run(() =>
      client.saveCredentials(environment, {
        accessKey: values.accessKey.trim(),
        idService,
        ...(values.secretKey ? { secretKey: values.secretKey } : {}),
      }),
    );
    if (result?.ok) {
      setValues(initialValues(result.value.credentials[environment]));
      setShowAllErrors(false);
      setTestResult(null);
      toast(t.settings.credentialsSaved);
      props.onSaved(result.value);
    }
  };

  const runTest = async () => {
    setTestResult(null);
    const result = await test.run(() => client.testConnection(environment));
    if (result?.ok) {
      setTestResult(result.value);
      props.onTested();
    }
  };

  const fieldErrorsOnly = save.error?.kind === "server" && save.error.fieldErrors.length > 0;
  const status = statusBadge(credential, t.settings);

  return (
    <Card>
      <div data-testid={`credentials-${environment}`}>
        <Form onSubmit={() => void submit()}>
          <BlockStack gap="400">
            <BlockStack gap="100">
              <InlineStack align="space-between" blockAlign="center" gap="200">
                <Text as="h3" variant="headingMd">
                  {t.settings.environments[environment]}
                </Text>
                <Badge tone={status.tone}>{status.label}</Badge>
              </InlineStack>
              <Text as="p" variant="bodySm" tone="subdued">
                {t.settings.environmentHelp[environment]}
              </Text>
            </BlockStack>
            {save.error && !fieldErrorsOnly ? <ApiErrorBanner error={save.error} onDismiss={save.clearError} /> : null}
            <FormLayout>
              <FormLayout.Group>
                <TextField
                  id={id("accessKey")}
                  label={t.settings.accessKey}
                  value={values.accessKey}
                  onChange={set("accessKey")}
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={40}
                  error={shownError("accessKey")}
                />
                <TextField
                  id={id("idService")}
                  label={t.settings.idService}
                  value={values.idService}
                  onChange={set("idService")}
                  autoComplete="off"
                  inputMode="numeric"
                  error={shownError("idService")}
                />
              </FormLayout.Group>
              <TextField
                id={id("secretKey")}
                label={t.settings.secretKey}
                type="password"
                value={values.secretKey}
                onChange={set("secretKey")}
                autoComplete="new-password"
                placeholder={credential?.hasSecretKey ? t.settings.secretSaved : undefined}
                helpText={credential?.hasSecretKey ? t.settings.secretHelpSaved : t.settings.secretHelpNew}
                error={shownError("secretKey")}
              />
            </FormLayout>
            <ConnectionStatus credential={credential} testResult={testResult} changed={changed} />
            {testResult?.ok === true ? (
              <Banner tone="success" title={t.settings.testOkTitle} onDismiss={() => setTestResult(null)}>
                <Text as="p">{t.settings.testOkText(dates.dateTime(testResult.tokenExpires))}</Text>
              </Banner>
            ) : null}
            {testResult?.ok === false ? (
              <Banner tone="critical" title={t.settings.testFailedTitle} onDismiss={() => setTestResult(null)}>
                <Text as="p">{failureText(testResult.reason, t.settings)}</Text>
              </Banner>
            ) : null}
            <ApiErrorBanner error={test.error} title={t.settings.testFailedTitle} onDismiss={test.clearError} />
            <InlineStack align="end" gap="200">
              <Button onClick={() => void runTest()} loading={test.busy} disabled={!credential || changed || save.busy}>
                {t.settings.testConnection}
              </Button>
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

function ConnectionStatus(props: { credential: Credential | null; testResult: ConnectionTest | null; changed: boolean }) {
  const { t, dates } = useI18n();
  const { credential, testResult, changed } = props;
  if (changed && credential) {
    return (
      <Text as="p" variant="bodySm" tone="subdued">
        {t.settings.testSaveFirst}
      </Text>
    );
  }
  if (!credential || testResult) return null;
  if (credential.lastTestError) {
    return (
      <Text as="p" variant="bodySm" tone="critical">
        {t.settings.lastTestError(failureText(null, t.settings))}
      </Text>
    );
  }
  if (credential.verifiedAt) {
    return (
      <Text as="p" variant="bodySm" tone="subdued">
        {t.settings.verifiedAt(dates.dateTime(credential.verifiedAt))}
      </Text>
    );
  }
  return null;
}

/** The panel's own words for a known failure kind, else what the server said. */
/** The failure in the panel's language: the kind's own sentence, else one for every other kind (never the server's English). */
function failureText(reason: string | null, t: ReturnType<typeof useI18n>["t"]["settings"]): string {
  return (reason ? t.connectionFailures[reason] : undefined) ?? t.connectionFailures.other ?? "";
}

function statusBadge(
  credential: Credential | null,
  t: ReturnType<typeof useI18n>["t"]["settings"],
): { tone: "success" | "critical" | "attention" | undefined; label: string } {
  if (!credential) return { tone: undefined, label: t.notConfigured };
  if (credential.lastTestError) return { tone: "critical", label: t.testFailedBadge };
  if (credential.verifiedAt) return { tone: "success", label: t.verified };
  return { tone: "attention", label: t.notVerified };
}
