import type { Express } from "express";

import type { SecretBox } from "../adapters/crypto/secret-box";
import type { Database } from "../adapters/db/database";
import type { AppConfig } from "../config/env";
import type { OutboxWorker } from "../jobs/outbox-worker";
import type { PeriodicTask } from "../jobs/periodic-task";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import type { SecurityCounters } from "../observability/security-counters";
import type { PagoEfectivoGateway } from "../ports/pagoefectivo-gateway";
import type { PaymentStore, ShopRecord } from "../ports/payment-store";
import type { RefundStore } from "../ports/refund-store";
import type { ShopProfileReader } from "../ports/shop-profiles";
import type { ShopStore } from "../ports/shop-store";
import type { ShopifyPaymentsAppsGateway } from "../ports/shopify-payments-apps";
import type { DecideRefund } from "../use-cases/decide-refund/decide-refund";
import type { CredentialsResolver } from "../use-cases/shared/credentials";
import type { AdminOptions } from "./build-admin";
import type { ReconciliationServices } from "./reconciliation-services";

/** What the sandbox (emulator + simulator) provides to the app; see app/sandbox/attach-sandbox.ts. */
export interface SandboxAttachment {
  /** CA whose client certificates the session endpoints trust (the simulator's "Payments Platform"). */
  clientCaPem: string;
  /** The app's own TLS server identity for the mTLS listener. */
  serverTls: { certPem: string; keyPem: string; caPem: string };
  /**
   * Where the app's server-side calls reach the stand-ins: the app's own listening address when in-process
   * (APP_URL may be https terminated in front, unreachable from inside), SANDBOX_URL otherwise.
   */
  baseUrl: string;
  /** Called once the app listens: registers it with the simulator, installs the demo shop. */
  afterListen(app: RunningApp): Promise<void>;
  /** Sandbox: a shop just installed through /auth gets its own PagoEfectivo emulator services. */
  onShopInstalled?(shop: ShopRecord): Promise<void>;
  close(): Promise<void>;
}

/** The services the sandbox and the tests reach into, typed by their ports (never by an adapter class). */
export interface AppServices {
  paymentStore: PaymentStore;
  shopStore: ShopStore;
  refundStore: RefundStore;
  credentials: CredentialsResolver;
  decideRefund: DecideRefund;
  pagoefectivo: PagoEfectivoGateway;
  shopifyPayments: ShopifyPaymentsAppsGateway;
  poller: PeriodicTask;
  worker: OutboxWorker;
  reconciliation: ReconciliationServices;
  /** Shopify's `shop { name }` read, as an install uses it (the sandbox's demo install too). */
  shopProfiles: ShopProfileReader;
  /** Rejected and rate-limited requests, jobs given up (issue #10): the metrics endpoint mirrors them. */
  securityCounters: SecurityCounters;
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
  /** Tests: the fetch the app's vendor clients use. */
  fetch?: typeof fetch;
  /** The admin panel (OAuth, JSON API, SPA); mounted with these options. */
  admin?: AdminOptions;
  sandbox?: (ctx: { app: Express; clock: Clock; logger: Logger; appUrl: string }) => Promise<SandboxAttachment>;
}
