import { createHmac, randomUUID } from "node:crypto";
import { hostname } from "node:os";

import { HmacSignatures } from "../adapters/crypto/hmac-signatures";
import type { SecretBox } from "../adapters/crypto/secret-box";
import type { Database } from "../adapters/db/database";
import { connectionLostLogger } from "../adapters/db/pg-connections";
import { PrismaOutboxRepository } from "../adapters/db/prisma-outbox-repository";
import { PrismaRefundStore } from "../adapters/db/prisma-refund-store";
import { PrismaSchedulerLease } from "../adapters/db/prisma-scheduler-lease";
import { PrismaShopDataStore } from "../adapters/db/prisma-shop-data-store";
import { PrismaShopStore } from "../adapters/db/prisma-shop-store";
import { PrismaWebhookOrderLinks } from "../adapters/db/prisma-webhook-order-links";
import { SqlNotificationStore } from "../adapters/db/sql/sql-notification-store";
import { SqlPaymentStore } from "../adapters/db/sql/sql-payment-store";
import { type ClosableBuyerPageReader, openBuyerPageReader } from "../adapters/db/sql-buyer-page-reader";
import { keepAliveFetch } from "../adapters/http-client/keep-alive-fetch";
import { PagoEfectivoClient } from "../adapters/pagoefectivo/pagoefectivo-client";
import { ShopifyAdminOrdersClient } from "../adapters/shopify/admin-orders-client";
import { ShopifyShopProfileReader } from "../adapters/shopify/oauth-shop-profile";
import { ShopifyPaymentsAppsClient } from "../adapters/shopify/payments-apps-client";
import type { AppConfig } from "../config/env";
import { BuyerPageResponder } from "../http/routes/buyer-page-responder";
import type { BuyerRouteDeps } from "../http/routes/buyer-routes";
import { createDeliveryHandlers } from "../jobs/delivery-handlers";
import { OutboxWorker } from "../jobs/outbox-worker";
import { PeriodicTask } from "../jobs/periodic-task";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { instrumentedCall, instrumentedFetch } from "../observability/instrumented-fetch";
import type { AppMetrics } from "../observability/metrics";
import { SecurityCounters } from "../observability/security-counters";
import { CancelOrder } from "../use-cases/cancel-order/cancel-order";
import { DecideRefund } from "../use-cases/decide-refund/decide-refund";
import { HandlePagoEfectivoNotification } from "../use-cases/handle-pagoefectivo-notification/handle-pagoefectivo-notification";
import { HandleShopifyWebhook } from "../use-cases/handle-shopify-webhook/handle-shopify-webhook";
import { IssueCip, issuingLeaseMs } from "../use-cases/issue-cip/issue-cip";
import { PollPendingCips } from "../use-cases/poll-pending-cips/poll-pending-cips";
import { ReceiveRefundSession } from "../use-cases/receive-refund-session/receive-refund-session";
import { CredentialsResolver } from "../use-cases/shared/credentials";
import { StartPaymentSession } from "../use-cases/start-payment-session/start-payment-session";
import { SubmitBuyerPhone } from "../use-cases/submit-buyer-phone/submit-buyer-phone";
import { ReconciliationServices } from "./reconciliation-services";
import type { AppServices } from "./running-app";

export interface BuildContext {
  config: AppConfig;
  db: Database;
  clock: Clock;
  logger: Logger;
  secrets: SecretBox;
  /** The encryption key; the buyer page's form secret is derived from it. */
  key: Buffer;
  /** Sandbox mode: where the emulator and simulator are (Shopify's and PagoEfectivo's hosts); null in production. */
  sandboxBaseUrl: string | null;
  metrics: AppMetrics;
  fetch?: typeof fetch;
}

/** Everything the HTTP layer calls, built once. */
export interface BuiltServices {
  services: AppServices;
  routes: {
    handleNotification: HandlePagoEfectivoNotification;
    handleShopifyWebhook: HandleShopifyWebhook;
    startPaymentSession: StartPaymentSession;
    receiveRefundSession: ReceiveRefundSession;
    buyer: BuyerRouteDeps & { responder: BuyerPageResponder };
    /** The buyer page's own read connection (closed with the app). */
    buyerPages: ClosableBuyerPageReader;
  };
}

export const buyerPath = (token: string) => `/pay/${token}`;

/**
 * The one place that chooses adapters: Prisma stores, the PagoEfectivo and Shopify clients, and every use
 * case, worker and scheduler built on them. The admin panel's own adapters are in build-admin.ts.
 */
export function buildServices(ctx: BuildContext): BuiltServices {
  const { config, db, clock, logger, secrets, sandboxBaseUrl } = ctx;
  const fetchOption = ctx.fetch ? { fetch: ctx.fetch } : {};
  const shopOrigin = sandboxBaseUrl ? (shop: string) => `${sandboxBaseUrl}/sandbox/shopify/shops/${shop}` : (shop: string) => `https://${shop}`;
  const buyerPageUrl = (token: string) => `${config.appUrl}${buyerPath(token)}`;
  const { metrics } = ctx;
  // Recorded on every delivery attempt and lease: must be unique among running instances.
  const instanceId = config.instance.id ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;

  const signatures = new HmacSignatures(config.shopify.apiSecret);
  const paymentStore = new SqlPaymentStore(db.prisma, db.driver);
  const refundStore = new PrismaRefundStore(db.prisma);
  const shopStore = new PrismaShopStore(db.prisma);
  const credentials = new CredentialsResolver(paymentStore, secrets, {
    baseUrl: (env) => (env === "production" ? config.pagoefectivo.prodUrl : config.pagoefectivo.preUrl),
  });
  // PagoEfectivo is called on the payment-session path: node:http with keep-alive rather than the global fetch (keep-alive-fetch.ts).
  const pagoefectivo = new PagoEfectivoClient({ clock, logger, timeoutMs: config.pagoefectivo.timeoutMs, fetch: instrumentedCall<{ readonly status: number; text(): Promise<string> }>("pagoefectivo", metrics, ctx.fetch ?? keepAliveFetch()) });
  const shopifyPayments = new ShopifyPaymentsAppsClient({
    apiVersion: config.shopify.apiVersion,
    logger,
    shopOrigin,
    fetch: instrumentedFetch("shopify", metrics, ctx.fetch),
    userAgent: `pagoefectivo-for-shopify (instance ${instanceId})`,
  });

  const adminOrders = new ShopifyAdminOrdersClient({ apiVersion: config.shopify.apiVersion, logger, shopOrigin, fetch: instrumentedFetch("shopify", metrics, ctx.fetch) });
  const issueCip = new IssueCip({ store: paymentStore, gateway: pagoefectivo, credentials, clock, logger, leaseMs: issuingLeaseMs(config.pagoefectivo.timeoutMs) });
  const cancelOrder = new CancelOrder({ store: paymentStore, clock, logger });
  // The buyer page's hot read: one prepared statement on its own connection (see the adapter).
  const buyerPages = openBuyerPageReader(config.database, connectionLostLogger(logger));
  const buyerPage = {
    pages: buyerPages,
    issueCip,
    clock,
    formSecret: createHmac("sha256", ctx.key).update("buyer-page-forms").digest(),
    buyerPageUrl,
  };
  const securityCounters = new SecurityCounters();
  const worker = new OutboxWorker({
    repository: new PrismaOutboxRepository(db.prisma, db.engine),
    handlers: createDeliveryHandlers({
      store: paymentStore,
      refunds: refundStore,
      shopify: shopifyPayments,
      pagoefectivo,
      credentials,
      secrets,
      clock,
      logger,
      apiVersion: config.shopify.apiVersion,
    }),
    clock,
    logger,
    workerId: instanceId,
    leaseMs: config.instance.outboxLeaseSeconds * 1000,
    observer: metrics.outbox,
    counters: securityCounters,
  });
  const poll = new PollPendingCips({
    store: paymentStore,
    gateway: pagoefectivo,
    credentials,
    clock,
    logger,
    pollEverySeconds: config.scheduler.pollPendingEverySeconds,
  });
  const poller = new PeriodicTask({
    name: "poll-pending-cips",
    everyMs: Math.min(config.scheduler.pollPendingEverySeconds, 60) * 1000,
    holder: instanceId,
    lease: new PrismaSchedulerLease(db.prisma, db.engine),
    logger,
    task: async () => {
      const report = await poll.execute();
      metrics.poll({ ...report });
      if (report.paid + report.expired > 0) worker.wake();
      return report;
    },
  });
  const reconciliation = new ReconciliationServices({
    db,
    clock,
    logger,
    secrets,
    dataDir: config.dataDir,
    apiVersion: config.shopify.apiVersion,
    shopOrigin,
    holder: instanceId,
    sandboxBaseUrl,
    ...fetchOption,
    shopifyFetch: instrumentedFetch("shopify", metrics, ctx.fetch),
  });

  return {
    services: {
      paymentStore,
      shopStore,
      refundStore,
      credentials,
      decideRefund: new DecideRefund({ refunds: refundStore, clock }),
      pagoefectivo,
      shopifyPayments,
      poller,
      worker,
      reconciliation,
      shopProfiles: new ShopifyShopProfileReader({ apiVersion: config.shopify.apiVersion, shopOrigin, logger, fetch: instrumentedFetch("shopify", metrics, ctx.fetch) }),
      securityCounters,
    },
    routes: {
      handleNotification: new HandlePagoEfectivoNotification({
        store: paymentStore,
        notifications: new SqlNotificationStore(db.driver),
        signatures,
        credentials,
        clock,
        logger,
        counters: securityCounters,
      }),
      handleShopifyWebhook: new HandleShopifyWebhook({
        shops: new PrismaShopDataStore(db.prisma),
        orderLinks: new PrismaWebhookOrderLinks(db.prisma, secrets, adminOrders),
        cancelOrder,
        signatures,
        clock,
        logger,
      }),
      startPaymentSession: new StartPaymentSession({ store: paymentStore, issueCip, clock, logger, buyerPageUrl }),
      receiveRefundSession: new ReceiveRefundSession({ store: paymentStore, refunds: refundStore, clock, logger }),
      buyer: {
        ...buyerPage,
        responder: new BuyerPageResponder(buyerPage),
        submitPhone: new SubmitBuyerPhone({ store: paymentStore, issueCip, clock }),
        wakeWorker: () => worker.wake(),
      },
      buyerPages,
    },
  };
}
