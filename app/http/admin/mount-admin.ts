import type { Express } from "express";

import type { SecretBox } from "../../adapters/crypto/secret-box";
import type { Database } from "../../adapters/db/database";
import { PrismaAdminPayments } from "../../adapters/db/prisma-admin-payments";
import { PrismaAdminRefunds } from "../../adapters/db/prisma-admin-refunds";
import { PrismaAdminSessionStore } from "../../adapters/db/prisma-admin-sessions";
import { PrismaAdminSettings } from "../../adapters/db/prisma-admin-settings";
import { PrismaAdminSummary } from "../../adapters/db/prisma-admin-summary";
import { PrismaDeadLetters } from "../../adapters/db/prisma-dead-letters";
import { ShopifyOAuth } from "../../adapters/shopify/oauth-client";
import { ShopifyShopProfileReader } from "../../adapters/shopify/oauth-shop-profile";
import type { AppConfig } from "../../config/env";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { AppServices } from "../../server";
import { ActivatePaymentsApp } from "../../use-cases/activate-payments-app/activate-payments-app";
import { AdminSessions } from "../../use-cases/admin-session/admin-sessions";
import { CompleteInstall } from "../../use-cases/admin-session/complete-install";
import { ShopNames } from "../../use-cases/admin-session/shop-names";
import { ConfigureShop } from "../../use-cases/configure-shop/configure-shop";
import { ResendDeadLetter } from "../../use-cases/dead-letters/resend-dead-letter";
import { TestConnection } from "../../use-cases/test-connection/test-connection";
import { apiRouter } from "./api-router";
import { authRoutes } from "./auth-routes";
import { deadLetterRoutes } from "./dead-letter-routes";
import { paymentsApiRoutes } from "./payments-api-routes";
import { reconciliationRoutes } from "./reconciliation-routes";
import { refundsApiRoutes } from "./refunds-api-routes";
import { adminSecurityHeaders } from "./security-headers";
import { sessionApiRoutes } from "./session-api-routes";
import { settingsApiRoutes } from "./settings-api-routes";
import { spaRoutes } from "./spa-routes";

export interface AdminMountContext {
  config: AppConfig;
  db: Database;
  /** Business time (the sandbox can move it): "today", verifiedAt, refund decisions. */
  clock: Clock;
  /** Wall time for sign-in lifetimes, as Shopify's own tokens use. */
  authClock: Clock;
  secrets: SecretBox;
  services: AppServices;
  logger: Logger;
  /** The Vite build of web/ (index.html + assets/). */
  webDistDir: string;
  /** Only for tests: the fetch used for Admin API reads (shop profile). */
  fetch?: typeof fetch;
}

/** Wires the admin panel: OAuth under /auth, the JSON API under /api, the SPA under /admin. */
export function mountAdmin(app: Express, ctx: AdminMountContext): void {
  const { config, db, clock, secrets, services } = ctx;
  const logger = ctx.logger.child({ component: "admin" });
  const https = config.appUrl.startsWith("https://");
  // Sandbox: Shopify's hosts are the simulator, in this process or at SANDBOX_URL.
  const sandboxBase = config.mode === "sandbox" ? (config.sandbox.url ?? config.appUrl) : null;
  const simulatorOrigin = sandboxBase ? (shop: string) => `${sandboxBase}/sandbox/shopify/shops/${shop}` : null;

  const oauth = new ShopifyOAuth({
    apiKey: config.shopify.apiKey,
    apiSecret: config.shopify.apiSecret,
    scopes: config.shopify.scopes,
    appUrl: config.appUrl,
    apiVersion: config.shopify.apiVersion,
    shopOrigin: simulatorOrigin,
    logger,
  });
  const profiles = new ShopifyShopProfileReader({
    apiVersion: config.shopify.apiVersion,
    shopOrigin: simulatorOrigin ?? ((shop) => `https://${shop}`),
    logger,
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
  });
  const settings = new PrismaAdminSettings(db.prisma);
  const names = new ShopNames({ profiles, secrets, clock: ctx.authClock });
  const sessions = new AdminSessions({ sessions: new PrismaAdminSessionStore(db.prisma), shops: settings, secrets, clock: ctx.authClock, logger });
  const completeInstall = new CompleteInstall({ shops: services.shopStore, settings, profiles, names, secrets, clock, logger });
  const configure = new ConfigureShop({ settings, shops: services.shopStore, secrets, clock, logger });
  const testConnection = new TestConnection({ settings, credentials: services.credentials, gateway: services.pagoefectivo, clock, logger });
  const activation = new ActivatePaymentsApp({ settings, shops: services.shopStore, shopify: services.shopifyPayments, secrets, clock, logger });

  app.use(["/auth", "/api", "/admin"], adminSecurityHeaders({ https }));
  app.use(
    "/auth",
    authRoutes({ oauth, completeInstall, sessions, shops: settings, authClock: ctx.authClock, secureCookies: https, appUrl: config.appUrl, logger }),
  );
  app.use(
    "/api",
    apiRouter({
      sessions,
      appUrl: config.appUrl,
      routes: [
        sessionApiRoutes({ settings, summary: new PrismaAdminSummary(db.prisma), names, mode: config.mode, appUrl: config.appUrl, clock }),
        settingsApiRoutes({ settings, configure, testConnection, activation, appUrl: config.appUrl }),
        paymentsApiRoutes({ payments: new PrismaAdminPayments(db.prisma, db.engine), clock, logger }),
        refundsApiRoutes({ refunds: new PrismaAdminRefunds(db.prisma), decideRefund: services.decideRefund, wakeWorker: () => services.worker.wake() }),
        reconciliationRoutes(ctx),
        deadLetterApi(ctx, logger),
      ],
    }),
  );
  app.use("/admin", spaRoutes({ distDir: ctx.webDistDir, sessions, oauth }));
}

/** /api/dead-letters (issue #10): deliveries given up, and resending them. */
function deadLetterApi(ctx: AdminMountContext, logger: Logger) {
  const deadLetters = new PrismaDeadLetters(ctx.db.prisma);
  const resend = new ResendDeadLetter({ deadLetters, clock: ctx.clock, logger, wakeWorker: () => ctx.services.worker.wake() });
  return deadLetterRoutes({ deadLetters, resend });
}
