import { type IncomingMessage, type ServerResponse } from "node:http";

import express, { type Router } from "express";

import { type Clock } from "../../lib/clock";
import { type Logger } from "../../lib/logger";
import { cipStatus } from "./cip-status";
import { createControlRouter } from "./control-router";
import { type EmulatorContext } from "./emulator-context";
import { TokenVerifier } from "./emulator-jwt";
import { EmulatorStore } from "./emulator-store";
import { FaultInjector } from "./fault-injector";
import { NOTIFICATION_RETRY_DELAY_MS, NOTIFICATION_TIMEOUT_MS } from "./guesses";
import { NotificationSender } from "./notification-sender";
import { parseServiceRegistration, type ServiceRegistration } from "./service-registration";
import { v1FastPath } from "./v1-fast-path";
import { createV1Router } from "./v1-router";
import { renderVoucherNotFound, renderVoucherPage } from "./voucher-page";

export interface PagoEfectivoEmulatorOptions {
  /** State lives in `${dataDir}/sandbox/pagoefectivo.sqlite`. */
  dataDir: string;
  clock: Clock;
  logger: Logger;
  /** Base URL where the router is mounted, e.g. http://localhost:3000/sandbox/pagoefectivo. */
  publicUrl: () => string;
  /** Used for notification deliveries; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Per delivery attempt; default 10 s. */
  notificationTimeoutMs?: number;
  /** Wait before the single retry of a failed delivery; default 2 s. */
  notificationRetryDelayMs?: number;
}

export interface PagoEfectivoEmulator {
  /** Mount at /sandbox/pagoefectivo. */
  router: Router;
  /**
   * For a server of its own (app/sandbox/main.ts): POST <mountPath>/v1/cips answered without Express when the request
   * is plain (see v1-fast-path); `express` is called for every other request, answered by the router as before.
   */
  fastPath(mountPath: string): (req: IncomingMessage, res: ServerResponse, express: () => void) => void;
  /** Registers or updates a service (throws on invalid input or an accessKey used by another service). */
  registerService(s: ServiceRegistration): Promise<void>;
  /** The ids of the registered services. */
  serviceIds(): number[];
  /** Resolves when no notification delivery or retry is outstanding. */
  whenIdle(): Promise<void>;
  /** Cancels pending retries, releases held requests and closes the database. */
  close(): Promise<void>;
}

export type { ServiceRegistration as PagoEfectivoServiceRegistration };


/** A stand-in for PagoEfectivo's pre-production v1 service, with a control API and persisted state. */
export async function createPagoEfectivoEmulator(options: PagoEfectivoEmulatorOptions): Promise<PagoEfectivoEmulator> {
  const logger = options.logger.child({ component: "pagoefectivo-emulator" });
  const store = EmulatorStore.open(options.dataDir);
  const faults = new FaultInjector(logger);
  const notifier = new NotificationSender({
    store,
    faults,
    clock: options.clock,
    logger,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.notificationTimeoutMs ?? NOTIFICATION_TIMEOUT_MS,
    retryDelayMs: options.notificationRetryDelayMs ?? NOTIFICATION_RETRY_DELAY_MS,
  });
  const ctx: EmulatorContext = { store, tokens: new TokenVerifier(store.jwtKey), faults, notifier, clock: options.clock, logger, publicUrl: options.publicUrl };

  const router = express.Router();
  router.use("/v1", createV1Router(ctx));
  router.get("/voucher/:file", (req, res) => {
    const guid = /^([0-9A-Fa-f-]{36})\.html$/.exec(req.params.file)?.[1];
    const cip = guid ? store.cipByGuid(guid) : undefined;
    res.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    res.type("html");
    // CSDOC: after DELETE the CIP's cipUrl shows nothing, so a deleted CIP's voucher is as absent as an unknown one.
    if (!cip || cip.deletedAt !== null) {
      res.status(404).send(renderVoucherNotFound());
      return;
    }
    res.send(
      renderVoucherPage({
        cip: cip.cip,
        amountMinor: cip.amountMinor,
        currency: cip.currency,
        dateExpiry: new Date(cip.dateExpiry),
        status: cipStatus(cip, options.clock.now()),
        transactionCode: cip.transactionCode,
        paymentConcept: cip.details.paymentConcept,
      }),
    );
  });
  router.use(createControlRouter(ctx));

  logger.info({ statePath: store.statePath }, "pagoefectivo emulator: ready");

  return {
    router,
    fastPath: (mountPath) => v1FastPath(ctx, `${mountPath}/v1/cips`),
    async registerService(s) {
      const parsed = parseServiceRegistration(s);
      if (!parsed.ok) throw new Error(`Invalid PagoEfectivo emulator service: ${parsed.error}`);
      const clash = store.serviceByAccessKey(parsed.value.accessKey);
      if (clash && clash.idService !== parsed.value.idService) {
        throw new Error(`accessKey is already used by PagoEfectivo emulator service ${clash.idService}`);
      }
      store.upsertService(parsed.value);
    },
    serviceIds: () => store.listServices().map((s) => s.idService),
    whenIdle: () => notifier.whenIdle(),
    async close() {
      faults.close();
      await notifier.close();
      store.close();
    },
  };
}
