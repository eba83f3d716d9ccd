import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";

import express from "express";

import { loadOrCreateSandboxKey, SecretBox } from "../adapters/crypto/secret-box";
import { migrateDatabase, openDatabase, sqliteFile } from "../adapters/db/database";
import { databaseHealth, PrismaOperationalStats } from "../adapters/db/prisma-operational-stats";
import { acquireSqliteInstanceLock } from "../adapters/db/sqlite-instance-lock";
import type { AppConfig } from "../config/env";
import { mountAdmin } from "../http/admin/mount-admin";
import { closeGracefully } from "../http/close-gracefully";
import { errorHandler, notFoundHandler } from "../http/middleware/error-handler";
import { buyerPageFastPath } from "../http/routes/buyer-page-fast-path";
import { buyerRoutes } from "../http/routes/buyer-routes";
import { faviconRoutes } from "../http/routes/favicon-routes";
import { pagoEfectivoWebhookFastPath } from "../http/routes/pagoefectivo-webhook-fast-path";
import { pagoEfectivoWebhookRoutes } from "../http/routes/pagoefectivo-webhook-routes";
import { sandboxClockRoutes } from "../http/routes/sandbox-routes";
import { sessionRoutes } from "../http/routes/session-routes";
import { shopifyWebhookRoutes } from "../http/routes/shopify-webhook-routes";
import { AdjustableClock, systemClock } from "../lib/clock";
import { ClockOffsetFile } from "../lib/clock-offset-file";
import { createLogger } from "../lib/logger";
import { AppMetrics } from "../observability/metrics";
import { observabilityRoutes } from "../observability/observability-routes";
import { requestObserver } from "../observability/request-observer";
import { buildAdmin } from "./build-admin";
import { buildServices } from "./build-services";
import { listen, mountSessionsOnMainServer, requireValue, startMtlsListener } from "./mtls-listener";
import type { RunningApp, StartOptions } from "./running-app";

export type { AppServices, RunningApp, SandboxAttachment, StartOptions } from "./running-app";

/**
 * Starts the app: database (migrated), services, the main HTTP server (buyer pages, webhooks, admin,
 * sandbox), the mutual-TLS listener for Shopify's session requests, then the worker and schedulers.
 */
export async function startApp(config: AppConfig, options: StartOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  // Sandbox: one clock for the app and the stand-ins, kept in DATA_DIR/sandbox/clock.json (ClockOffsetFile).
  const clock = options.clock ?? (config.mode === "sandbox" ? new AdjustableClock(systemClock, ClockOffsetFile.forDataDir(config.dataDir)) : systemClock);
  // SQLite is one instance only: a second process on the same file is refused before it touches it.
  const instanceLock = config.database.engine === "sqlite" ? acquireSqliteInstanceLock(sqliteFile(config.database.url)) : null;
  await migrateDatabase(config.database, logger);
  const db = await openDatabase(config.database, logger);
  const key = config.encryptionKey ?? (config.mode === "sandbox" ? loadOrCreateSandboxKey(config.dataDir) : null);
  if (!key) throw new Error("ENCRYPTION_KEY is required");
  const secrets = new SecretBox(key);

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", true);
  // Observability first: every request gets an id on its log lines and is counted (app/observability).
  const metrics = new AppMetrics(new PrismaOperationalStats(db));
  let draining = false;
  app.use(requestObserver(metrics));
  const appUrl = config.appUrl;
  const sandbox = options.sandbox ? await options.sandbox({ app, clock, logger, appUrl }) : null;
  const { services, routes } = buildServices({
    config,
    db,
    clock,
    logger,
    secrets,
    key,
    sandboxBaseUrl: sandbox?.baseUrl ?? null,
    metrics,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const { worker, poller, reconciliation } = services;
  metrics.mirror(services.securityCounters);

  // Main HTTP server. Raw-body routes come before any JSON parser.
  app.use(
    observabilityRoutes({
      metrics,
      metricsToken: config.metrics.token,
      checks: {
        db: databaseHealth(db),
        worker: { enabled: config.worker.enabled, running: () => worker.running },
        draining: () => draining,
      },
    }),
  );
  app.use(faviconRoutes());
  app.use(pagoEfectivoWebhookRoutes(routes.handleNotification, (outcome) => metrics.notification(outcome)));
  app.use(shopifyWebhookRoutes(routes.handleShopifyWebhook));
  app.use(buyerRoutes(routes.buyer));
  const sessions = sessionRoutes(routes);
  const wakeWorker = wakeAfter(() => worker.wake());
  const clientCaPem = () => sandbox?.clientCaPem ?? readFileSync(requireValue(config.mtls.clientCaFile, "SHOPIFY_CLIENT_CA_FILE"), "utf8");
  mountSessionsOnMainServer(app, { config, clock, logger, sessions, wakeWorker, clientCaPem });
  if (sandbox && clock instanceof AdjustableClock) {
    const afterAdvance = async () => {
      await poller.runNow();
      worker.wake();
      await worker.runOnce();
    };
    app.use(sandboxClockRoutes({ clock, afterAdvance }));
  }
  // Sandbox: a shop installed through /auth gets its own emulator services (unless SANDBOX_PROVISION_SHOPS=false).
  const onShopInstalled = sandbox?.onShopInstalled?.bind(sandbox);
  mountAdmin(app, buildAdmin({ config, db, clock, secrets, services, logger, options: options.admin ?? {}, ...(onShopInstalled ? { onShopInstalled } : {}) }));
  app.use(notFoundHandler());
  app.use(errorHandler(logger));

  // GET /pay/:token and PagoEfectivo's notifications are answered before Express (buyer-page-fast-path.ts,
  // pagoefectivo-webhook-fast-path.ts); everything else goes to Express.
  const buyerFastPath = buyerPageFastPath(routes.buyer.responder, logger);
  const notificationFastPath = pagoEfectivoWebhookFastPath(routes.handleNotification, metrics, logger);
  const httpServer = http.createServer((req, res) => {
    if (!buyerFastPath(req, res) && !notificationFastPath(req, res)) app(req, res);
  });
  await listen(httpServer, config.port, config.host);

  // The mutual-TLS listener: only Shopify's session requests.
  const mtls = config.mtls.mode === "direct" ? await startMtlsListener({ config, sandbox, metrics, clock, logger, sessions, wakeWorker, clientCaPem, startPaymentSession: routes.startPaymentSession, wake: () => worker.wake() }) : null;
  const mtlsServer = mtls?.server ?? null;
  const mtlsUrl = mtls?.url ?? config.mtls.publicUrl ?? appUrl;

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
      draining = true;
      // Stop taking requests (letting those in flight finish) and stop claiming jobs (finishing the
      // ones started, releasing the others), both within the grace period; then close the database.
      const graceMs = config.instance.shutdownGraceSeconds * 1000;
      const [worked, served] = await Promise.all([
        worker.stop({ graceMs }),
        Promise.all([closeGracefully(httpServer, graceMs), mtlsServer ? closeGracefully(mtlsServer, graceMs) : true]),
        poller.stop(),
        reconciliation.close(),
      ]);
      logger.info({ jobsDrained: worked.drained, jobsReleased: worked.released, requestsDrained: served.every(Boolean) }, "stopped taking work");
      await sandbox?.close();
      await routes.buyerPages.close();
      await db.close();
      instanceLock?.release();
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
