import { join } from "node:path";

import express, { type NextFunction, type Request, type Response, type Router } from "express";

import { type Clock, systemClock } from "../../lib/clock";
import { type Logger } from "../../lib/logger";
import { loadOrCreateClientIdentity } from "../certificates";
import { parseRegistration } from "./app-registration";
import { mountControlRoutes } from "./control-routes";
import { FaultQueue } from "./faults";
import { mountOAuthRoutes } from "./oauth-routes";
import { createOutboundAgents } from "./outbound-http";
import { DEFAULT_API_VERSION } from "./session-requests";
import { mountShopifyRoutes } from "./shopify-routes";
import { DEFAULT_SCOPES, DEFAULT_SHOP, ensureShop, installOffline, newShopRecord } from "./shops";
import { type SimulatorContext } from "./simulator-context";
import { SimulatorStore } from "./simulator-store";
import { type RegisteredApp, type SimulatorState } from "./simulator-types";
import { SHOP_DOMAIN } from "./simulator-values";
import { deliverDueWebhookRetries } from "./webhooks";

export type { RegisteredApp } from "./simulator-types";

/**
 * The Shopify simulator: plays Shopify for `npm start` and the tests over the contracts the real
 * platform uses. It sends payment and refund sessions to the app over mTLS, serves the Payments
 * Apps and a minimal Admin GraphQL API, runs OAuth, holds orders and sends signed webhooks.
 * Mount `router` at /sandbox/shopify; `publicUrl()` must return that mount point's absolute URL.
 *
 * Control API (JSON; errors are 400/404/409/502 `{error}`):
 *   PUT /app, GET /app, GET /payments-platform-ca.pem
 *   GET|POST /shops, POST /shops/:shop/install, POST /shops/:shop/uninstall,
 *   POST /shops/:shop/compliance/customers/data_request | customers/redact | shop/redact
 *   POST /checkouts, POST /checkouts/:id/resend, GET /payment-sessions[?shop=], GET /payment-sessions/:id,
 *   POST /payment-sessions/:id/refunds, GET /refund-sessions[?shop=], GET /refund-sessions/:id, POST /refund-sessions/:id/resend
 *   GET /orders[?shop=], GET /orders/:orderId, POST /orders/:orderId/cancel
 *   GET /webhooks[?shop=&topic=], POST /webhooks/:webhookId/redeliver, GET /graphql-calls
 *   GET|POST|DELETE /faults
 * Shopify-facing (the app rewrites https://{shop} to <mount>/shops/{shop}):
 *   POST /shops/:shop/payments_apps/api/:version/graphql.json, POST /shops/:shop/admin/api/:version/graphql.json
 *   GET|POST /shops/:shop/admin/oauth/authorize, POST /shops/:shop/admin/oauth/access_token
 * Buyer pages: GET /, GET|POST /shops/:shop/storefront, GET /shops/:shop/checkouts/:id[/thank-you]
 */

export interface ShopifySimulatorOptions {
  dataDir: string;
  /** Business time (the sandbox clock): session timestamps, orders, pendingExpiresAt checks. */
  clock: Clock;
  logger: Logger;
  /** Absolute URL of the mount point, e.g. http://localhost:3000/sandbox/shopify. */
  publicUrl: () => string;
  /** Wall time for OAuth timestamps and token lifetimes, which the app checks against Date.now(). */
  wallClock?: Clock;
  /** How long a "timeout" fault holds a GraphQL request before dropping it (default 30 000 ms). */
  faultTimeoutMs?: number;
  /** Timeout for session requests and webhooks sent to the app (default 30 000 ms). */
  requestTimeoutMs?: number;
  /** Shopify-Api-Version sent when the registered app names none (default "2025-10"). */
  apiVersion?: string;
  /** How often due webhook retries are looked for (default 1 000 ms); null: only POST /webhooks/retries/run sends them. */
  webhookRetryEveryMs?: number | null;
}

export interface InstallShopOptions {
  /** Granted scopes; default "write_payment_gateways,write_payment_sessions". */
  scope?: string;
  /** Pin the offline token (e.g. to seed the same demo token on every start); random otherwise. */
  accessToken?: string;
}

export interface ShopifySimulator {
  router: Router;
  /** The simulated "Shopify Payments Platform Root CA"; the app trusts it for client certificates. */
  paymentsPlatformCaPem: string;
  registerApp(app: RegisteredApp): Promise<void>;
  installShop(shop: string, options?: InstallShopOptions): Promise<{ accessToken: string }>;
  /** The shops the app is installed on, by domain. */
  installedShops(): string[];
  close(): Promise<void>;
  /** Resolves when outbound requests started by the simulator have finished and state is on disk. */
  whenIdle(): Promise<void>;
  /** A copy of everything the simulator holds now (tests compare it with what is stored). */
  exportState(): SimulatorState;
}

const CLIENT_CERT_COMMON_NAME = "payments-platform.shopify.sandbox";

export async function createShopifySimulator(options: ShopifySimulatorOptions): Promise<ShopifySimulator> {
  const sandboxDir = join(options.dataDir, "sandbox");
  const certDir = join(sandboxDir, "shopify-certs");
  // Certificates are checked by TLS against wall time, so they are issued with the wall clock.
  const clientIdentity = loadOrCreateClientIdentity(certDir, CLIENT_CERT_COMMON_NAME, options.wallClock ?? systemClock);
  const store = SimulatorStore.open(join(sandboxDir, "shopify.sqlite"), () => initialState(options.clock, certDir));
  const logger = options.logger.child({ component: "shopify-simulator" });
  const inFlight = new Set<Promise<unknown>>();
  const agents = createOutboundAgents();

  const context: SimulatorContext = {
    store,
    state: store.state,
    clock: options.clock,
    wallClock: options.wallClock ?? systemClock,
    logger,
    publicUrl: () => options.publicUrl().replace(/\/+$/, ""),
    clientIdentity,
    agents,
    faults: new FaultQueue(),
    settings: {
      apiVersion: options.apiVersion ?? DEFAULT_API_VERSION,
      faultTimeoutMs: options.faultTimeoutMs ?? 30_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    },
    track: (work) => {
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work)).catch(() => undefined);
      return work;
    },
    callLog: [],
  };

  const registerApp = async (app: RegisteredApp): Promise<void> => {
    const parsed = parseRegistration(app);
    if (!parsed.ok) throw new Error(parsed.message);
    context.state.app = parsed.app;
    await store.save();
    logger.info({ apiKey: parsed.app.apiKey, paymentSessionUrl: parsed.app.paymentSessionUrl }, "app registered");
  };

  const router = express.Router();
  mountControlRoutes(router, context, registerApp);
  mountOAuthRoutes(router, context);
  const shopifyRoutes = mountShopifyRoutes(router, context);
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const { status, message } = describeError(error);
    if (status >= 500) logger.error({ err: error }, "shopify simulator request failed");
    if (res.headersSent) return;
    res.status(status).json({ error: message });
  });

  await store.save();
  logger.info({ shops: Object.keys(context.state.shops).length, app: context.state.app !== null }, "shopify simulator ready");

  const whenIdle = async (): Promise<void> => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    await store.flush();
  };

  // Failed webhooks are retried on the simulator's clock; checked every second of wall time unless a
  // test drives them through POST /webhooks/retries/run.
  let retrying = false;
  const retryTimer = setInterval(() => {
    if (options.webhookRetryEveryMs === null) return;
    if (retrying) return;
    retrying = true;
    void context
      .track(deliverDueWebhookRetries(context))
      .catch((error: unknown) => logger.warn({ err: error }, "webhook retry failed"))
      .finally(() => {
        retrying = false;
      });
  }, options.webhookRetryEveryMs ?? 1_000);
  retryTimer.unref();

  let closed = false;
  return {
    router,
    paymentsPlatformCaPem: clientIdentity.caPem,
    registerApp,
    installShop: async (shop, installOptions = {}) => {
      if (!SHOP_DOMAIN.test(shop)) throw new Error(`${shop} is not a *.myshopify.com domain`);
      const record = ensureShop(context, shop);
      const accessToken = installOffline(record, installOptions.scope ?? DEFAULT_SCOPES, installOptions.accessToken);
      await store.save();
      logger.info({ shop }, "app installed on shop");
      return { accessToken };
    },
    installedShops: () =>
      Object.values(context.state.shops)
        .filter((shop) => shop.installed)
        .map((shop) => shop.domain),
    whenIdle,
    exportState: () => JSON.parse(JSON.stringify(context.state)) as SimulatorState,
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(retryTimer);
      shopifyRoutes.destroyHeld();
      await whenIdle();
      store.close();
      agents.destroy();
    },
  };
}

function initialState(clock: Clock, certDir: string): SimulatorState {
  return {
    version: 1,
    app: null,
    shops: { [DEFAULT_SHOP]: newShopRecord({ clock }, DEFAULT_SHOP, 1) },
    paymentSessions: {},
    refundSessions: {},
    orders: {},
    oauthCodes: {},
    webhookDeliveries: [],
    webhookRetries: [],
    counters: { order: 0, shop: 1 },
    certificates: {
      dir: certDir,
      caFile: "payments-platform-client-ca.pem",
      certFile: "payments-platform-client.pem",
      keyFile: "payments-platform-client-key.pem",
    },
  };
}

function describeError(error: unknown): { status: number; message: string } {
  const candidate = error as { status?: unknown; type?: unknown; message?: unknown } | null;
  const status = typeof candidate?.status === "number" && candidate.status >= 400 && candidate.status < 600 ? candidate.status : 500;
  const message = typeof candidate?.message === "string" ? candidate.message : "Internal error";
  if (candidate?.type === "entity.parse.failed") return { status: 400, message: `Invalid JSON body: ${message}` };
  return { status, message: status >= 500 ? `Shopify simulator error: ${message}` : message };
}
