import { fileURLToPath } from "node:url";

import type { SecretBox } from "../adapters/crypto/secret-box";
import type { Database } from "../adapters/db/database";
import { PrismaAdminPayments } from "../adapters/db/prisma-admin-payments";
import { PrismaAdminRefunds } from "../adapters/db/prisma-admin-refunds";
import { PrismaAdminSessionStore } from "../adapters/db/prisma-admin-sessions";
import { PrismaAdminSettings } from "../adapters/db/prisma-admin-settings";
import { PrismaAdminSummary } from "../adapters/db/prisma-admin-summary";
import { PrismaDeadLetters } from "../adapters/db/prisma-dead-letters";
import { PrismaManualOrderLinks } from "../adapters/db/prisma-manual-order-links";
import { ShopifyAdminOrdersClient } from "../adapters/shopify/admin-orders-client";
import { ShopifyOAuth } from "../adapters/shopify/oauth-client";
import { ShopifyShopProfileReader } from "../adapters/shopify/oauth-shop-profile";
import type { AppConfig } from "../config/env";
import type { AdminHttpDeps } from "../http/admin/mount-admin";
import { type Clock, systemClock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import type { ShopRecord } from "../ports/payment-store";
import { ActivatePaymentsApp } from "../use-cases/activate-payments-app/activate-payments-app";
import { AdminSessions } from "../use-cases/admin-session/admin-sessions";
import { CompleteInstall } from "../use-cases/admin-session/complete-install";
import { ShopNames } from "../use-cases/admin-session/shop-names";
import { ConfigureShop } from "../use-cases/configure-shop/configure-shop";
import { ResendDeadLetter } from "../use-cases/dead-letters/resend-dead-letter";
import { LinkOrderByHand } from "../use-cases/link-order-by-hand/link-order-by-hand";
import { TestConnection } from "../use-cases/test-connection/test-connection";
import type { AppServices } from "./running-app";

/** Where `npm run build:web` writes the SPA, relative to this file (app/composition → web/dist). */
export const DEFAULT_WEB_DIST_DIR = fileURLToPath(new URL("../../web/dist", import.meta.url));

export interface AdminOptions {
  /** The SPA build to serve; defaults to web/dist. */
  webDistDir?: string;
  /** Wall time for admin sign-in lifetimes, as Shopify's own tokens use; defaults to the system clock. */
  authClock?: Clock;
  /** Tests: the fetch used for Shopify Admin API reads (shop profile). */
  fetch?: typeof fetch;
}

export interface AdminBuildContext {
  config: AppConfig;
  db: Database;
  /** Business time (the sandbox can move it): "today", verifiedAt, refund decisions. */
  clock: Clock;
  secrets: SecretBox;
  services: AppServices;
  logger: Logger;
  options: AdminOptions;
  /** Sandbox: gives a newly installed shop its own emulator services. */
  onShopInstalled?: (shop: ShopRecord) => Promise<void>;
}

/** The admin panel's adapters and use cases: OAuth, admin sessions, settings, and the read models of its pages. */
export function buildAdmin(ctx: AdminBuildContext): AdminHttpDeps {
  const { config, db, clock, secrets, services, options } = ctx;
  const logger = ctx.logger.child({ component: "admin" });
  const authClock = options.authClock ?? systemClock;
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
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const settings = new PrismaAdminSettings(db.prisma);
  const names = new ShopNames({ profiles, secrets, clock: authClock });
  const sessions = new AdminSessions({ sessions: new PrismaAdminSessionStore(db.prisma, db.driver), shops: settings, secrets, clock: authClock, logger });
  const deadLetters = new PrismaDeadLetters(db.prisma);

  return {
    mode: config.mode,
    appUrl: config.appUrl,
    https: config.appUrl.startsWith("https://"),
    webDistDir: options.webDistDir ?? DEFAULT_WEB_DIST_DIR,
    clock,
    authClock,
    logger,
    oauth,
    sessions,
    names,
    settings,
    summary: new PrismaAdminSummary(db.prisma),
    payments: new PrismaAdminPayments(db.prisma, db.engine, db.driver),
    refunds: new PrismaAdminRefunds(db.prisma),
    completeInstall: new CompleteInstall({
      shops: services.shopStore,
      settings,
      profiles,
      names,
      secrets,
      clock,
      logger,
      ...(ctx.onShopInstalled ? { afterInstall: ctx.onShopInstalled } : {}),
    }),
    configure: new ConfigureShop({ settings, shops: services.shopStore, secrets, clock, logger }),
    testConnection: new TestConnection({ settings, credentials: services.credentials, gateway: services.pagoefectivo, clock, logger }),
    activation: new ActivatePaymentsApp({ settings, shops: services.shopStore, shopify: services.shopifyPayments, secrets, clock, logger }),
    decideRefund: services.decideRefund,
    wakeWorker: () => services.worker.wake(),
    reconciliation: services.reconciliation,
    linkByHand: new LinkOrderByHand({
      store: new PrismaManualOrderLinks(db.prisma, secrets),
      orders: new ShopifyAdminOrdersClient({
        apiVersion: config.shopify.apiVersion,
        shopOrigin: simulatorOrigin ?? ((shop) => `https://${shop}`),
        logger,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
      clock,
    }),
    deadLetters,
    resendDeadLetter: new ResendDeadLetter({ deadLetters, clock, logger, wakeWorker: () => services.worker.wake() }),
  };
}
