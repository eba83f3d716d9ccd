import { readFileSync } from "node:fs";
import type http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";

import express from "express";

import type { AppConfig } from "../config/env";
import { type ClientCertificatePolicy, requireClientCertificate } from "../http/middleware/client-certificate";
import { errorHandler, notFoundHandler } from "../http/middleware/error-handler";
import { paymentSessionFastPath } from "../http/routes/session-fast-path";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import type { AppMetrics } from "../observability/metrics";
import { requestObserver } from "../observability/request-observer";
import type { StartPaymentSession } from "../use-cases/start-payment-session/start-payment-session";
import type { SandboxAttachment } from "./running-app";

/**
 * The mutual-TLS listener (MTLS_MODE=direct): only Shopify's session requests, each with a client
 * certificate signed by Shopify's CA (the sandbox's stand-in CA in sandbox mode).
 */
export async function startMtlsListener(deps: {
  config: AppConfig;
  sandbox: SandboxAttachment | null;
  metrics: AppMetrics;
  clock: Clock;
  logger: Logger;
  sessions: express.Router;
  wakeWorker: express.RequestHandler;
  clientCaPem: () => string;
  /** POST /shopify/payment_session answered before Express (session-fast-path.ts), waking the worker as wakeWorker does. */
  startPaymentSession: StartPaymentSession;
  wake: () => void;
}): Promise<{ server: https.Server; url: string }> {
  const { config, sandbox, metrics, clock, logger } = deps;
  const tls = sandbox?.serverTls ?? {
    certPem: readFileSync(requireValue(config.mtls.certFile, "TLS_CERT_FILE"), "utf8"),
    keyPem: readFileSync(requireValue(config.mtls.keyFile, "TLS_KEY_FILE"), "utf8"),
    caPem: "",
  };
  const mtlsApp = express();
  mtlsApp.disable("x-powered-by");
  mtlsApp.use(requestObserver(metrics));
  mtlsApp.use(requireClientCertificate({ mode: "direct" }, clock, logger), deps.wakeWorker);
  mtlsApp.use(deps.sessions);
  mtlsApp.use(notFoundHandler());
  mtlsApp.use(errorHandler(logger));
  const fastPath = paymentSessionFastPath({ startPaymentSession: deps.startPaymentSession, metrics, logger, wake: deps.wake });
  const server = https.createServer(
    { cert: tls.certPem, key: tls.keyPem, ca: deps.clientCaPem(), requestCert: true, rejectUnauthorized: false, minVersion: "TLSv1.2" },
    (req, res) => {
      if (!fastPath(req, res)) mtlsApp(req, res);
    },
  );
  await listen(server, config.mtls.port, config.mtls.host);
  return { server, url: config.mtls.publicUrl ?? `https://localhost:${(server.address() as AddressInfo).port}` };
}

/**
 * Session requests on the main server: behind a TLS-terminating proxy (MTLS_MODE=proxy) they are served
 * there once the proxy's forwarded certificate checks out; otherwise /shopify answers 403 and they are
 * served only on the mutual-TLS listener.
 */
export function mountSessionsOnMainServer(
  app: express.Express,
  deps: { config: AppConfig; clock: Clock; logger: Logger; sessions: express.Router; wakeWorker: express.RequestHandler; clientCaPem: () => string },
): void {
  const { config } = deps;
  if (config.mtls.mode === "proxy") {
    const policy: ClientCertificatePolicy = {
      mode: "proxy",
      caPem: deps.clientCaPem(),
      certHeader: config.mtls.proxyCertHeader,
      proxySecret: requireValue(config.mtls.proxySecret, "MTLS_PROXY_SECRET"),
    };
    app.use("/shopify", requireClientCertificate(policy, deps.clock, deps.logger), deps.wakeWorker);
    app.use(deps.sessions);
  } else {
    app.use("/shopify", (_req, res) => {
      res.status(403).json({ error: { code: "mtls_required", message: "Session endpoints are served only on the mutual-TLS listener" } });
    });
  }
}

export function requireValue(value: string | null, name: string): string {
  if (!value) throw new Error(`${name} is required`);
  return value;
}

export function listen(server: http.Server | https.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
