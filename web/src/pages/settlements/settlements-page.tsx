import { Card, Page, Tabs } from "@shopify/polaris";
import { lazy, Suspense } from "react";

import { PageSkeleton } from "../../components/page-skeleton";
import { useDocumentTitle } from "../../hooks/use-document-title";
import { useI18n } from "../../i18n/i18n-context";
import { useRouter } from "../../router/router";
import { FeesTab } from "./fees-tab";
import { ImportTab } from "./import-tab";
import { SETTLEMENT_TABS, settlementsUrl,type SettlementTab } from "./settlements-url";

// The charts library is the heaviest part of the page: loaded only when the report shows.
const ReportTab = lazy(() => import("./report-tab").then((m) => ({ default: m.ReportTab })));
const InsightsTab = lazy(() => import("../insights/insights-tab").then((m) => ({ default: m.InsightsTab })));

/** Liquidaciones: the report (default), the payments insight, the import of portal files, and the fee schedule and payout cycle. */
export function SettlementsPage() {
  const { t } = useI18n();
  const s = t.settlements;
  const { location, navigate } = useRouter();
  const requested = new URLSearchParams(location.search).get("tab");
  const tab: SettlementTab = (SETTLEMENT_TABS as readonly string[]).includes(requested ?? "") ? (requested as SettlementTab) : "report";
  useDocumentTitle(`${s.tabs[tab]} · ${s.title}`);

  const tabs = SETTLEMENT_TABS.map((id) => ({ id: `settlements-${id}`, content: s.tabs[id], panelID: `settlements-${id}-panel` }));
  return (
    <Page title={s.title} subtitle={s.subtitle}>
      <Card padding="0">
        <Tabs tabs={tabs} selected={SETTLEMENT_TABS.indexOf(tab)} onSelect={(index) => navigate(settlementsUrl(SETTLEMENT_TABS[index] ?? "report"))} />
      </Card>
      <div style={{ marginTop: "var(--p-space-400)" }} id={`settlements-${tab}-panel`}>
        {tab === "report" ? (
          <Suspense fallback={<PageSkeleton />}>
            <ReportTab />
          </Suspense>
        ) : tab === "insights" ? (
          <Suspense fallback={<PageSkeleton />}>
            <InsightsTab />
          </Suspense>
        ) : tab === "import" ? (
          <ImportTab />
        ) : (
          <FeesTab />
        )}
      </div>
    </Page>
  );
}
