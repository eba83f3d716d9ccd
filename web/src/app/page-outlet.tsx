import { Card, EmptyState, Page } from "@shopify/polaris";
import { type ComponentType, lazy, Suspense } from "react";
import { type RouteObject, useParams, useRoutes } from "react-router";

import { EMPTY_PAYMENTS } from "../assets/images";
import { PageSkeleton } from "../components/page-skeleton";
import { useDocumentTitle } from "../hooks/use-document-title";
import { useI18n } from "../i18n/i18n-context";
import { type PageName, paths, ROUTE_PATTERNS } from "../router/routes";

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

const PAGES: Record<Exclude<PageName, "payment">, ComponentType> = {
  home: HomePage,
  settings: SettingsPage,
  payments: PaymentsPage,
  refunds: RefundsPage,
  reconciliation: ReconciliationPage,
  settlements: SettlementsPage,
  deadLetters: DeadLettersPage,
};

/** react-router's routes, one per entry of the route table (router/routes.ts), plus "/" and a page for the rest. */
const ROUTES: RouteObject[] = [
  ...(Object.entries(ROUTE_PATTERNS) as Array<[PageName, string]>).map(([name, path]) => ({ path, caseSensitive: true, element: pageElement(name) })),
  { path: "/", element: <HomePage /> },
  { path: "*", element: <NotFoundPage /> },
];

function pageElement(name: PageName) {
  if (name === "payment") return <PaymentRoute />;
  const Component = PAGES[name];
  return <Component />;
}

export function PageOutlet() {
  return <Suspense fallback={<PageSkeleton />}>{useRoutes(ROUTES)}</Suspense>;
}

/** A payment's page, remounted for each payment so nothing of the previous one stays on screen. */
function PaymentRoute() {
  const id = useParams().id ?? "";
  return <PaymentDetailPage key={id} id={id} />;
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
