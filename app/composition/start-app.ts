import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";

import express from "express";

import { loadOrCreateSandboxKey, SecretBox } from "../adapters/crypto/secret-box";
import { migrateDatabase, openDatabase } from "../adapters/db/database";
import type { AppConfig } from "../config/env";
import { mountAdmin } from "../http/admin/mount-admin";
import { type ClientCertificatePolicy, requireClientCertificate } from "../http/middleware/client-certificate";
import { errorHandler, notFoundHandler } from "../http/middleware/error-handler";
import { buyerRoutes } from "../http/routes/buyer-routes";
import { healthRoutes } from "../http/routes/health-routes";
import { pagoEfectivoWebhookRoutes } from "../http/routes/pagoefectivo-webhook-routes";
import { sandboxClockRoutes } from "../http/routes/sandbox-routes";
import { sessionRoutes } from "../http/routes/session-routes";
import { shopifyWebhookRoutes } from "../http/routes/shopify-webhook-routes";
import { AdjustableClock, systemClock } from "../lib/clock";
import { createLogger } from "../lib/logger";
import { buildAdmin } from "./build-admin";
import { buildServices } from "./build-services";
import type { RunningApp, StartOptions } from "./running-app";

export type { AppServices, RunningApp, SandboxAttachment, StartOptions } from "./running-app";

/**
 * Starts the app: database (migrated), services, the main HTTP server (buyer pages, webhooks, admin,
 * sandbox), the mutual-TLS listener for Shopify's session requests, then the worker and schedulers.
 */
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
  const { services, routes } = buildServices({
    config,
    db,
    clock,
    logger,
    secrets,
    key,
    sandboxBaseUrl: sandbox?.baseUrl ?? null,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const { worker, poller, reconciliation } = services;

  // Main HTTP server. Raw-body routes come before any JSON parser.
  app.use(healthRoutes(db));
  app.use(pagoEfectivoWebhookRoutes(routes.handleNotification));
  app.use(shopifyWebhookRoutes(routes.handleShopifyWebhook));
  app.use(buyerRoutes(routes.buyer));
  const sessions = sessionRoutes(routes);
  const wakeWorker = wakeAfter(() => worker.wake());
  const clientCaPem = () => sandbox?.clientCaPem ?? readFileSync(requireValue(config.mtls.clientCaFile, "SHOPIFY_CLIENT_CA_FILE"), "utf8");
  if (config.mtls.mode === "proxy") {
    const policy: ClientCertificatePolicy = {
      mode: "proxy",
      caPem: clientCaPem(),
      certHeader: config.mtls.proxyCertHeader,
      proxySecret: requireValue(config.mtls.proxySecret, "MTLS_PROXY_SECRET"),
    };
    app.use("/shopify", requireClientCertificate(policy, clock, logger), wakeWorker);
    app.use(sessions);
  } else {
    app.use("/shopify", (_req, res) => {
      res.status(403).json({ error: { code: "mtls_required", message: "Session endpoints are served only on the mutual-TLS listener" } });
    });
  }
  if (sandbox && clock instanceof AdjustableClock) {
    const afterAdvance = async () => {
      await poller.runNow();
      worker.wake();
      await worker.runOnce();
    };
    app.use(sandboxClockRoutes({ clock, afterAdvance }));
  }
  mountAdmin(app, buildAdmin({ config, db, clock, secrets, services, logger, options: options.admin ?? {} }));
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
    const mtlsApp = express();
    mtlsApp.disable("x-powered-by");
    mtlsApp.use(requireClientCertificate({ mode: "direct" }, clock, logger), wakeWorker);
    mtlsApp.use(sessions);
    mtlsApp.use(notFoundHandler());
    mtlsApp.use(errorHandler(logger));
    mtlsServer = https.createServer(
      { cert: tls.certPem, key: tls.keyPem, ca: clientCaPem(), requestCert: true, rejectUnauthorized: false, minVersion: "TLSv1.2" },
      mtlsApp,
    );
    await listen(mtlsServer, config.mtls.port, config.mtls.host);
    mtlsUrl = config.mtls.publicUrl ?? `https://localhost:${(mtlsServer.address() as AddressInfo).port}`;
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
