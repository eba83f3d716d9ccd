import type { Express } from "express";

import type { ReconciliationServices } from "../../composition/reconciliation-services";
import type { AppMode } from "../../config/env";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { AdminPaymentsReader } from "../../ports/admin-read-models";
import type { AdminRefundsReader } from "../../ports/admin-read-models";
import type { AdminSummaryReader } from "../../ports/admin-read-models";
import type { AdminSettingsStore } from "../../ports/admin-settings";
import type { ShopifyOAuthFlow } from "../../ports/shopify-oauth";
import type { ActivatePaymentsApp } from "../../use-cases/activate-payments-app/activate-payments-app";
import type { AdminSessions } from "../../use-cases/admin-session/admin-sessions";
import type { CompleteInstall } from "../../use-cases/admin-session/complete-install";
import type { ShopNames } from "../../use-cases/admin-session/shop-names";
import type { ConfigureShop } from "../../use-cases/configure-shop/configure-shop";
import type { DecideRefund } from "../../use-cases/decide-refund/decide-refund";
import type { TestConnection } from "../../use-cases/test-connection/test-connection";
import { apiRouter } from "./api-router";
import { authRoutes } from "./auth-routes";
import { paymentsApiRoutes } from "./payments-api-routes";
import { reconciliationRoutes } from "./reconciliation-routes";
import { refundsApiRoutes } from "./refunds-api-routes";
import { adminSecurityHeaders } from "./security-headers";
import { sessionApiRoutes } from "./session-api-routes";
import { settingsApiRoutes } from "./settings-api-routes";
import { spaRoutes } from "./spa-routes";

/** What the admin panel's routes call; built once in app/composition/build-admin.ts. */
export interface AdminHttpDeps {
  mode: AppMode;
  appUrl: string;
  /** Secure cookies and HSTS when the app is served over https. */
  https: boolean;
  /** The Vite build of web/ (index.html + assets/). */
  webDistDir: string;
  /** Business time (the sandbox can move it). */
  clock: Clock;
  /** Wall time for sign-in lifetimes. */
  authClock: Clock;
  logger: Logger;
  oauth: ShopifyOAuthFlow;
  sessions: AdminSessions;
  names: ShopNames;
  settings: AdminSettingsStore;
  summary: AdminSummaryReader;
  payments: AdminPaymentsReader;
  refunds: AdminRefundsReader;
  completeInstall: CompleteInstall;
  configure: ConfigureShop;
  testConnection: TestConnection;
  activation: ActivatePaymentsApp;
  decideRefund: DecideRefund;
  wakeWorker: () => void;
  reconciliation: ReconciliationServices;
}

/** Mounts the admin panel: OAuth under /auth, the JSON API under /api, the SPA under /admin. */
export function mountAdmin(app: Express, deps: AdminHttpDeps): void {
  const { sessions, settings, clock, logger, https } = deps;
  app.use(["/auth", "/api", "/admin"], adminSecurityHeaders({ https }));
  app.use(
    "/auth",
    authRoutes({ oauth: deps.oauth, completeInstall: deps.completeInstall, sessions, shops: settings, authClock: deps.authClock, secureCookies: https, logger }),
  );
  app.use(
    "/api",
    apiRouter({
      sessions,
      routes: [
        sessionApiRoutes({ settings, summary: deps.summary, names: deps.names, mode: deps.mode, appUrl: deps.appUrl, clock }),
        settingsApiRoutes({ settings, configure: deps.configure, testConnection: deps.testConnection, activation: deps.activation, appUrl: deps.appUrl }),
        paymentsApiRoutes({ payments: deps.payments, clock, logger }),
        refundsApiRoutes({ refunds: deps.refunds, decideRefund: deps.decideRefund, wakeWorker: deps.wakeWorker }),
        reconciliationRoutes({ reconciliation: deps.reconciliation, clock, logger }),
      ],
    }),
  );
  app.use("/admin", spaRoutes({ distDir: deps.webDistDir, sessions, oauth: deps.oauth }));
}
