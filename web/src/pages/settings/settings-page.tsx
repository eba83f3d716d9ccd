import { BlockStack, Layout, Page } from "@shopify/polaris";
import { type ReactNode, useEffect, useRef } from "react";

import { useAdminClient } from "../../api/client-context";
import { queryKeys } from "../../api/query-keys";
import type { Environment, Settings } from "../../api/types";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { PageSkeleton } from "../../components/page-skeleton";
import { useApi } from "../../hooks/use-api";
import { useDocumentTitle } from "../../hooks/use-document-title";
import { useI18n } from "../../i18n/i18n-context";
import { useRouter } from "../../router/router";
import { ActivationCard } from "./activation-card";
import { CredentialsCard } from "./credentials-card";
import { NotificationUrlCard } from "./notification-url-card";
import { PaymentOptionsCard } from "./payment-options-card";

const ENVIRONMENTS: Environment[] = ["sandbox", "production"];

export function SettingsPage() {
  const { t } = useI18n();
  const client = useAdminClient();
  const { location } = useRouter();
  const settings = useApi(client.settings, queryKeys.settings);
  const setup = useApi(client.setup, queryKeys.setup);
  useDocumentTitle(t.settings.title);

  // Links from the home checklist (#credentials, #notification-url, #activation) land on their section.
  const scrolledTo = useRef<string | null>(null);
  const loaded = settings.state.data !== null;
  useEffect(() => {
    const target = location.hash.slice(1);
    if (!loaded || !target || scrolledTo.current === target) return;
    scrolledTo.current = target;
    const section = document.getElementById(target);
    // Clear of the fixed top bar (56px) plus a little air.
    if (section) window.scrollTo({ top: section.getBoundingClientRect().top + window.scrollY - 72 });
  }, [loaded, location.hash]);

  const data = settings.state.data;
  if (!data) {
    if (settings.state.status === "error") {
      return (
        <Page title={t.settings.title}>
          <ApiErrorBanner error={settings.state.error} title={t.errors.loadTitle} onRetry={settings.reload} />
        </Page>
      );
    }
    return <PageSkeleton title={t.settings.title} />;
  }

  const saved = (next: Settings) => {
    settings.setData(next);
    setup.reload();
  };

  return (
    <Page title={t.settings.title}>
      <Layout>
        <Section id="credentials" title={t.settings.credentialsTitle} description={t.settings.credentialsDescription}>
          <BlockStack gap="400">
            {ENVIRONMENTS.map((environment) => (
              <CredentialsCard
                key={environment}
                environment={environment}
                credential={data.credentials[environment]}
                onSaved={saved}
                onTested={() => {
                  settings.reload();
                  setup.reload();
                }}
              />
            ))}
          </BlockStack>
        </Section>
        <Section id="notification-url" title={t.settings.notificationTitle} description={t.settings.notificationDescription}>
          <NotificationUrlCard notificationUrl={data.notificationUrl} confirmedAt={data.notificationUrlConfirmedAt} onConfirmed={saved} />
        </Section>
        <Section id="payment-options" title={t.settings.paymentsTitle} description={t.settings.paymentsDescription}>
          <PaymentOptionsCard settings={data} onSaved={saved} />
        </Section>
        <Section id="activation" title={t.settings.activationTitle} description={t.settings.activationDescription}>
          <ActivationCard settings={data} steps={setup.state.data?.steps ?? null} onChanged={saved} />
        </Section>
      </Layout>
    </Page>
  );
}

function Section(props: { id: string; title: string; description: string; children: ReactNode }) {
  return (
    <Layout.AnnotatedSection id={props.id} title={props.title} description={props.description}>
      {props.children}
    </Layout.AnnotatedSection>
  );
}
