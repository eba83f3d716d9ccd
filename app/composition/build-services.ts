import { createHmac, randomUUID } from "node:crypto";

import { HmacSignatures } from "../adapters/crypto/hmac-signatures";
import type { SecretBox } from "../adapters/crypto/secret-box";
import type { Database } from "../adapters/db/database";
import { PrismaOutboxRepository } from "../adapters/db/prisma-outbox-repository";
import { PrismaRefundStore } from "../adapters/db/prisma-refund-store";
import { PrismaSchedulerLease } from "../adapters/db/prisma-scheduler-lease";
import { PrismaShopDataStore } from "../adapters/db/prisma-shop-data-store";
import { PrismaShopStore } from "../adapters/db/prisma-shop-store";
import { SqlNotificationStore } from "../adapters/db/sql/sql-notification-store";
import { SqlPaymentStore } from "../adapters/db/sql/sql-payment-store";
import { PagoEfectivoClient } from "../adapters/pagoefectivo/pagoefectivo-client";
import { ShopifyPaymentsAppsClient } from "../adapters/shopify/payments-apps-client";
import type { AppConfig } from "../config/env";
import type { BuyerRouteDeps } from "../http/routes/buyer-routes";
import { createDeliveryHandlers } from "../jobs/delivery-handlers";
import { OutboxWorker } from "../jobs/outbox-worker";
import { PeriodicTask } from "../jobs/periodic-task";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { CancelOrder } from "../use-cases/cancel-order/cancel-order";
import { DecideRefund } from "../use-cases/decide-refund/decide-refund";
import { HandlePagoEfectivoNotification } from "../use-cases/handle-pagoefectivo-notification/handle-pagoefectivo-notification";
import { HandleShopifyWebhook } from "../use-cases/handle-shopify-webhook/handle-shopify-webhook";
import { IssueCip } from "../use-cases/issue-cip/issue-cip";
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
    buyer: BuyerRouteDeps;
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
  const instanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;

  const signatures = new HmacSignatures(config.shopify.apiSecret);
  const paymentStore = new SqlPaymentStore(db.prisma, db.driver);
  const refundStore = new PrismaRefundStore(db.prisma);
  const shopStore = new PrismaShopStore(db.prisma);
  const credentials = new CredentialsResolver(paymentStore, secrets, {
    baseUrl: (env) => (env === "production" ? config.pagoefectivo.prodUrl : config.pagoefectivo.preUrl),
  });
  const pagoefectivo = new PagoEfectivoClient({ clock, logger, timeoutMs: config.pagoefectivo.timeoutMs, ...fetchOption });
  const shopifyPayments = new ShopifyPaymentsAppsClient({ apiVersion: config.shopify.apiVersion, logger, shopOrigin, ...fetchOption });

  const issueCip = new IssueCip({ store: paymentStore, gateway: pagoefectivo, credentials, clock, logger });
  const cancelOrder = new CancelOrder({ store: paymentStore, clock, logger });
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
    lease: new PrismaSchedulerLease(db.prisma),
    clock,
    logger,
    task: async () => {
      const report = await poll.execute();
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
    },
    routes: {
      handleNotification: new HandlePagoEfectivoNotification({
        store: paymentStore,
        notifications: new SqlNotificationStore(db.driver),
        signatures,
        credentials,
        clock,
        logger,
      }),
      handleShopifyWebhook: new HandleShopifyWebhook({
        shops: new PrismaShopDataStore(db.prisma),
        cancelOrder,
        signatures,
        clock,
        logger,
      }),
      startPaymentSession: new StartPaymentSession({ store: paymentStore, issueCip, clock, logger, buyerPageUrl }),
      receiveRefundSession: new ReceiveRefundSession({ store: paymentStore, refunds: refundStore, clock, logger }),
      buyer: {
        store: paymentStore,
        issueCip,
        submitPhone: new SubmitBuyerPhone({ store: paymentStore, issueCip, clock }),
        clock,
        formSecret: createHmac("sha256", ctx.key).update("buyer-page-forms").digest(),
        wakeWorker: () => worker.wake(),
        buyerPageUrl,
      },
    },
  };
}
