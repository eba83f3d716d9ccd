import { Card, EmptyState, Page } from "@shopify/polaris";
import { lazy, Suspense } from "react";

import { EMPTY_PAYMENTS } from "../assets/images";
import { PageSkeleton } from "../components/page-skeleton";
import { useDocumentTitle } from "../hooks/use-document-title";
import { useI18n } from "../i18n/i18n-context";
import { useRouter } from "../router/router";
import { matchRoute, paths, type Route } from "../router/routes";

// One chunk per page: the first screen downloads only Polaris and the page it shows.
const HomePage = lazy(() => import("../pages/home-page").then((m) => ({ default: m.HomePage })));
const SettingsPage = lazy(() => import("../pages/settings/settings-page").then((m) => ({ default: m.SettingsPage })));
const PaymentsPage = lazy(() => import("../pages/payments/payments-page").then((m) => ({ default: m.PaymentsPage })));
const PaymentDetailPage = lazy(() => import("../pages/payment-detail/payment-detail-page").then((m) => ({ default: m.PaymentDetailPage })));
const RefundsPage = lazy(() => import("../pages/refunds/refunds-page").then((m) => ({ default: m.RefundsPage })));
const ReconciliationPage = lazy(() =>
  import("../pages/reconciliation/reconciliation-page").then((m) => ({ default: m.ReconciliationPage })),
);
const SettlementsPage = lazy(() => import("../pages/settlements/settlements-page").then((m) => ({ default: m.SettlementsPage })));
const DeadLettersPage = lazy(() => import("../pages/dead-letters/dead-letters-page").then((m) => ({ default: m.DeadLettersPage })));

export function PageOutlet() {
  const { location } = useRouter();
  const route = matchRoute(location.pathname);
  return (
    <Suspense fallback={<PageSkeleton />}>
      <RoutePage route={route} />
    </Suspense>
  );
}

function RoutePage({ route }: { route: Route }) {
  switch (route.name) {
    case "home":
      return <HomePage />;
    case "settings":
      return <SettingsPage />;
    case "payments":
      return <PaymentsPage />;
    case "payment":
      return <PaymentDetailPage key={route.id} id={route.id} />;
    case "refunds":
      return <RefundsPage />;
    case "reconciliation":
      return <ReconciliationPage />;
    case "settlements":
      return <SettlementsPage />;
    case "deadLetters":
      return <DeadLettersPage />;
    case "notFound":
      return <NotFoundPage />;
  }
}

function NotFoundPage() {
  const { t } = useI18n();
  useDocumentTitle(t.notFound.title);
  return (
    <Page>
      <Card>
        <EmptyState heading={t.notFound.title} image={EMPTY_PAYMENTS} action={{ content: t.notFound.action, url: paths.home }}>
          <p>{t.notFound.text}</p>
        </EmptyState>
      </Card>
    </Page>
  );
}
