import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";

import express, { type Express } from "express";

import { loadOrCreateSandboxKey, SecretBox } from "./adapters/crypto/secret-box";
import { type Database, migrateDatabase, openDatabase } from "./adapters/db/database";
import { PrismaOutboxRepository } from "./adapters/db/prisma-outbox-repository";
import { type PrismaPaymentStore } from "./adapters/db/prisma-payment-store";
import { PrismaRefundStore } from "./adapters/db/prisma-refund-store";
import { PrismaSchedulerLease } from "./adapters/db/prisma-scheduler-lease";
import { PrismaShopDataStore } from "./adapters/db/prisma-shop-data-store";
import { PrismaShopStore } from "./adapters/db/prisma-shop-store";
import { SqlNotificationStore } from "./adapters/db/sql/sql-notification-store";
import { SqlPaymentStore } from "./adapters/db/sql/sql-payment-store";
import { PagoEfectivoClient } from "./adapters/pagoefectivo/pagoefectivo-client";
import { ShopifyPaymentsAppsClient } from "./adapters/shopify/payments-apps-client";
import type { AppConfig } from "./config/env";
import { type ClientCertificatePolicy, requireClientCertificate } from "./http/middleware/client-certificate";
import { errorHandler, notFoundHandler } from "./http/middleware/error-handler";
import { buyerRoutes } from "./http/routes/buyer-routes";
import { healthRoutes } from "./http/routes/health-routes";
import { pagoEfectivoWebhookRoutes } from "./http/routes/pagoefectivo-webhook-routes";
import { sandboxClockRoutes } from "./http/routes/sandbox-routes";
import { sessionRoutes } from "./http/routes/session-routes";
import { shopifyWebhookRoutes } from "./http/routes/shopify-webhook-routes";
import { createDeliveryHandlers } from "./jobs/delivery-handlers";
import { OutboxWorker } from "./jobs/outbox-worker";
import { PeriodicTask } from "./jobs/periodic-task";
import { ReconciliationServices } from "./jobs/reconciliation-services";
import { AdjustableClock, type Clock, systemClock } from "./lib/clock";
import { createLogger, type Logger } from "./lib/logger";
import { CancelOrder } from "./use-cases/cancel-order/cancel-order";
import { DecideRefund } from "./use-cases/decide-refund/decide-refund";
import { HandlePagoEfectivoNotification } from "./use-cases/handle-pagoefectivo-notification/handle-pagoefectivo-notification";
import { HandleShopifyWebhook } from "./use-cases/handle-shopify-webhook/handle-shopify-webhook";
import { IssueCip } from "./use-cases/issue-cip/issue-cip";
import { PollPendingCips } from "./use-cases/poll-pending-cips/poll-pending-cips";
import { ReceiveRefundSession } from "./use-cases/receive-refund-session/receive-refund-session";
import { CredentialsResolver } from "./use-cases/shared/credentials";
import { StartPaymentSession } from "./use-cases/start-payment-session/start-payment-session";
import { SubmitBuyerPhone } from "./use-cases/submit-buyer-phone/submit-buyer-phone";

/** What the sandbox (emulator + simulator) provides to the app; see app/sandbox/attach-sandbox.ts. */
export interface SandboxAttachment {
  /** CA whose client certificates the session endpoints trust (the simulator's "Payments Platform"). */
  clientCaPem: string;
  /** The app's own TLS server identity for the mTLS listener. */
  serverTls: { certPem: string; keyPem: string; caPem: string };
  /** Base URL of the stand-ins: the app itself when in-process, SANDBOX_URL otherwise. */
  baseUrl: string;
  /** Called once the app listens: registers it with the simulator, installs the demo shop. */
  afterListen(app: RunningApp): Promise<void>;
  close(): Promise<void>;
}

export interface AppServices {
  paymentStore: PrismaPaymentStore;
  shopStore: PrismaShopStore;
  refundStore: PrismaRefundStore;
  credentials: CredentialsResolver;
  decideRefund: DecideRefund;
  pagoefectivo: PagoEfectivoClient;
  shopifyPayments: ShopifyPaymentsAppsClient;
  poller: PeriodicTask;
  worker: OutboxWorker;
  reconciliation: ReconciliationServices;
}

export interface RunningApp {
  config: AppConfig;
  logger: Logger;
  db: Database;
  clock: Clock;
  secrets: SecretBox;
  express: Express;
  appUrl: string;
  mtlsUrl: string;
  services: AppServices;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Mounts extra routers before the 404 handler (the admin panel, the sandbox). */
  extraRoutes?: (app: Express, ctx: { db: Database; clock: Clock; secrets: SecretBox; services: AppServices; logger: Logger }) => void;
  sandbox?: (ctx: { app: Express; clock: Clock; logger: Logger; appUrl: string }) => Promise<SandboxAttachment>;
}

const buyerPath = (token: string) => `/pay/${token}`;

export async function startApp(config: AppConfig, options: StartOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? (config.mode === "sandbox" ? new AdjustableClock(systemClock) : systemClock);
  await migrateDatabase(config.database, logger);
  const db = await openDatabase(config.database, logger);
  const key = config.encryptionKey ?? (config.mode === "sandbox" ? loadOrCreateSandboxKey(config.dataDir) : null);
  if (!key) throw new Error("ENCRYPTION_KEY is required");
  const secrets = new SecretBox(key);

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", true);
  const appUrl = config.appUrl;
  const sandbox = options.sandbox ? await options.sandbox({ app, clock, logger, appUrl }) : null;

  const paymentStore = new SqlPaymentStore(db.prisma, db.driver);
  const refundStore = new PrismaRefundStore(db.prisma);
  const shopStore = new PrismaShopStore(db.prisma);
  const credentials = new CredentialsResolver(paymentStore, secrets, {
    baseUrl: (env) => (env === "production" ? config.pagoefectivo.prodUrl : config.pagoefectivo.preUrl),
  });
  const pagoefectivo = new PagoEfectivoClient({
    clock,
    logger,
    timeoutMs: config.pagoefectivo.timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const shopifyPayments = new ShopifyPaymentsAppsClient({
    apiVersion: config.shopify.apiVersion,
    logger,
    shopOrigin: sandbox ? (shop) => `${sandbox.baseUrl}/sandbox/shopify/shops/${shop}` : (shop) => `https://${shop}`,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  const issueCip = new IssueCip({ store: paymentStore, gateway: pagoefectivo, credentials, clock, logger });
  const startPaymentSession = new StartPaymentSession({
    store: paymentStore,
    issueCip,
    clock,
    logger,
    buyerPageUrl: (token) => `${appUrl}${buyerPath(token)}`,
  });
  const receiveRefundSession = new ReceiveRefundSession({ store: paymentStore, refunds: refundStore, clock, logger });
  const handleNotification = new HandlePagoEfectivoNotification({
    store: paymentStore,
    notifications: new SqlNotificationStore(db.driver),
    credentials,
    clock,
    logger,
  });
  const cancelOrder = new CancelOrder({ store: paymentStore, clock, logger });
  const handleShopifyWebhook = new HandleShopifyWebhook({
    shops: new PrismaShopDataStore(db.prisma),
    cancelOrder,
    apiSecret: config.shopify.apiSecret,
    clock,
    logger,
  });
  const decideRefund = new DecideRefund({ refunds: refundStore, clock });
  const instanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;
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
    shopOrigin: sandbox ? (shop) => `${sandbox.baseUrl}/sandbox/shopify/shops/${shop}` : (shop) => `https://${shop}`,
    holder: instanceId,
    sandboxBaseUrl: sandbox?.baseUrl ?? null,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const services: AppServices = { paymentStore, shopStore, refundStore, credentials, decideRefund, pagoefectivo, shopifyPayments, poller, worker, reconciliation };

  // Main HTTP server: buyer pages, webhooks, admin, sandbox. Raw-body routes come before any JSON parser.
  app.use(healthRoutes(db));
  app.use(pagoEfectivoWebhookRoutes(handleNotification));
  app.use(shopifyWebhookRoutes(handleShopifyWebhook));
  app.use(
    buyerRoutes({
      store: paymentStore,
      issueCip,
      submitPhone: new SubmitBuyerPhone({ store: paymentStore, issueCip, clock }),
      clock,
      formSecret: createHmac("sha256", key).update("buyer-page-forms").digest(),
      wakeWorker: () => worker.wake(),
      buyerPageUrl: (token) => `${appUrl}${buyerPath(token)}`,
    }),
  );
  const sessions = sessionRoutes({ startPaymentSession, receiveRefundSession });
  const afterSession = () => worker.wake();
  if (config.mtls.mode === "proxy") {
    const caPem = sandbox?.clientCaPem ?? readFileSync(requireValue(config.mtls.clientCaFile, "SHOPIFY_CLIENT_CA_FILE"), "utf8");
    const policy: ClientCertificatePolicy = {
      mode: "proxy",
      caPem,
      certHeader: config.mtls.proxyCertHeader,
      proxySecret: requireValue(config.mtls.proxySecret, "MTLS_PROXY_SECRET"),
    };
    app.use("/shopify", requireClientCertificate(policy, clock, logger), wakeAfter(afterSession));
    app.use(sessions);
  } else {
    app.use("/shopify", (_req, res) => {
      res.status(403).json({ error: { code: "mtls_required", message: "Session endpoints are served only on the mutual-TLS listener" } });
    });
  }
  if (sandbox && clock instanceof AdjustableClock) {
    app.use(
      sandboxClockRoutes({
        clock,
        afterAdvance: async () => {
          await poller.runNow();
          worker.wake();
          await worker.runOnce();
        },
      }),
    );
  }
  options.extraRoutes?.(app, { db, clock, secrets, services, logger });
  app.use(notFoundHandler());
  app.use(errorHandler(logger));

  const httpServer = http.createServer(app);
  await listen(httpServer, config.port, config.host);

  // The mutual-TLS listener: only Shopify's session requests.
  let mtlsServer: https.Server | null = null;
  let mtlsUrl = config.mtls.publicUrl ?? appUrl;
  if (config.mtls.mode === "direct") {
    const tls = sandbox?.serverTls ?? {
      certPem: readFileSync(requireValue(config.mtls.certFile, "TLS_CERT_FILE"), "utf8"),
      keyPem: readFileSync(requireValue(config.mtls.keyFile, "TLS_KEY_FILE"), "utf8"),
      caPem: "",
    };
    const clientCa = sandbox?.clientCaPem ?? readFileSync(requireValue(config.mtls.clientCaFile, "SHOPIFY_CLIENT_CA_FILE"), "utf8");
    const mtlsApp = express();
    mtlsApp.disable("x-powered-by");
    mtlsApp.use(requireClientCertificate({ mode: "direct" }, clock, logger), wakeAfter(afterSession));
    mtlsApp.use(sessions);
    mtlsApp.use(notFoundHandler());
    mtlsApp.use(errorHandler(logger));
    mtlsServer = https.createServer(
      { cert: tls.certPem, key: tls.keyPem, ca: clientCa, requestCert: true, rejectUnauthorized: false, minVersion: "TLSv1.2" },
      mtlsApp,
    );
    await listen(mtlsServer, config.mtls.port, config.mtls.host);
    const port = (mtlsServer.address() as AddressInfo).port;
    mtlsUrl = config.mtls.publicUrl ?? `https://localhost:${port}`;
  }

  if (config.worker.enabled) worker.start();
  if (config.scheduler.enabled) poller.start();
  if (config.scheduler.enabled) reconciliation.start();

  let closed = false;
  const running: RunningApp = {
    config,
    logger,
    db,
    clock,
    secrets,
    express: app,
    appUrl,
    mtlsUrl,
    services,
    async close() {
      if (closed) return;
      closed = true;
      await worker.stop();
      await poller.stop();
      await reconciliation.close();
      await Promise.all([closeServer(httpServer), mtlsServer ? closeServer(mtlsServer) : Promise.resolve()]);
      await sandbox?.close();
      await db.close();
    },
  };
  if (sandbox) await sandbox.afterListen(running);
  logger.info({ appUrl, mtlsUrl, database: db.engine, mode: config.mode, dataDir: path.relative(process.cwd(), config.dataDir) || "." }, "PagoEfectivo for Shopify is running");
  return running;
}

function wakeAfter(wake: () => void): express.RequestHandler {
  return (_req, res, next) => {
    res.on("finish", wake);
    next();
  };
}

function requireValue(value: string | null, name: string): string {
  if (!value) throw new Error(`${name} is required`);
  return value;
}

function listen(server: http.Server | https.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function closeServer(server: http.Server | https.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

