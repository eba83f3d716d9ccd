import { randomBytes, randomInt } from "node:crypto";
import path from "node:path";

import type { Express } from "express";

import type { RunningApp, SandboxAttachment, StartOptions } from "../composition/running-app";
import type { AppConfig } from "../config/env";
import type { SandboxShopView } from "../http/views/sandbox-page";
import { AdjustableClock, type Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import type { Environment, ShopRecord } from "../ports/payment-store";
import { loadOrCreateServerTls } from "./certificates";
import { keepClockInStep } from "./clock-sync";
import { createPagoEfectivoEmulator } from "./pagoefectivo/pagoefectivo-emulator";
import { sandboxPageRoutes } from "./sandbox-page-routes";
import { createShopifySimulator, type RegisteredApp } from "./shopify/shopify-simulator";

export const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";

/** How the app talks to the stand-ins: directly in-process, or over HTTP to `npm run sandbox`. */
interface SandboxControl {
  /** Where a browser reaches the stand-ins (the /sandbox page's control API). */
  baseUrl: string;
  /** Where the app's own server-side calls reach them (Admin API, emulator listings). */
  serverUrl: string;
  paymentsPlatformCaPem: string;
  registerApp(app: RegisteredApp): Promise<void>;
  installShop(shop: string, accessToken?: string): Promise<{ accessToken: string }>;
  registerService(service: { idService: number; accessKey: string; secretKey: string; notificationUrl: string }): Promise<void>;
  /** The shops the simulator has the app installed on. */
  installedShops(): Promise<string[]>;
  /** The service ids the emulator already serves, so a new shop's id never takes over another's. */
  serviceIds(): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * Sandbox mode: the PagoEfectivo emulator and the Shopify simulator run inside the app (default)
 * or as their own process at SANDBOX_URL. Either way the app registers itself with the simulator
 * (like `shopify app deploy`), gets a demo shop installed and wires it to the emulator.
 */
export function attachSandbox(config: AppConfig): NonNullable<StartOptions["sandbox"]> {
  return async ({ app, clock, logger, appUrl }) => {
    const control = config.sandbox.url
      ? await remoteControl(config.sandbox.url)
      : await inProcessControl(app, config, clock, logger, appUrl);
    const clockSync = config.sandbox.url && clock instanceof AdjustableClock ? keepClockInStep(clock, config.sandbox.url, logger) : null;
    await clockSync?.syncNow();
    const serverTls = loadOrCreateServerTls(path.join(config.dataDir, "certs"));
    let running: RunningApp | null = null;
    if (clock instanceof AdjustableClock) {
      const shops = async () => (running ? installedShops(running, control) : []);
      app.use(sandboxPageRoutes({ appUrl, sandboxUrl: control.baseUrl, demoShop: DEMO_SHOP, clock, logger, shops }));
    }
    const onShopInstalled = async (shop: ShopRecord) => {
      if (!running) throw new Error("the app is not listening yet");
      await provisionEmulatorServices(running, control, shop);
      logger.info({ shop: shop.domain }, "sandbox: the installed shop has its own PagoEfectivo emulator services");
    };
    const attachment: SandboxAttachment = {
      clientCaPem: control.paymentsPlatformCaPem,
      serverTls,
      baseUrl: control.serverUrl,
      // SANDBOX_PROVISION_SHOPS=false: a newly installed shop starts unconfigured, as in production.
      ...(config.sandbox.provisionShops ? { onShopInstalled } : {}),
      async afterListen(started: RunningApp) {
        running = started;
        await control.registerApp({
          name: config.shopify.appName,
          apiKey: config.shopify.apiKey,
          apiSecret: config.shopify.apiSecret,
          paymentSessionUrl: `${running.mtlsUrl}/shopify/payment_session`,
          refundSessionUrl: `${running.mtlsUrl}/shopify/refund_session`,
          serverCaPem: serverTls.caPem,
          apiVersion: config.shopify.apiVersion,
          webhookUrls: {
            ordersCancelled: `${appUrl}/webhooks/shopify`,
            ordersCreate: `${appUrl}/webhooks/shopify`,
            ordersPaid: `${appUrl}/webhooks/shopify`,
            appUninstalled: `${appUrl}/webhooks/shopify`,
            customersDataRequest: `${appUrl}/webhooks/shopify`,
            customersRedact: `${appUrl}/webhooks/shopify`,
            shopRedact: `${appUrl}/webhooks/shopify`,
          },
          redirectUrls: [`${appUrl}/auth/callback`, `${appUrl}/auth/login/callback`],
        });
        await installDemoShop(running, control);
        logger.info({ sandbox: `${appUrl}/sandbox`, demoShop: DEMO_SHOP }, "sandbox ready: open /sandbox to walk the flow");
      },
      close: async () => {
        clockSync?.stop();
        await control.close();
      },
    };
    return attachment;
  };
}

async function installDemoShop(running: RunningApp, control: SandboxControl): Promise<void> {
  const { services, secrets, clock } = running;
  const now = clock.now();
  const existing = await services.paymentStore.findShopByDomain(DEMO_SHOP);
  const previousToken = existing?.offlineTokenEncrypted ? secrets.decrypt(existing.offlineTokenEncrypted) : undefined;
  const { accessToken } = await control.installShop(DEMO_SHOP, previousToken);
  const shop = await services.shopStore.upsertInstalled({
    domain: DEMO_SHOP,
    offlineTokenEncrypted: secrets.encrypt(accessToken),
    scopes: "write_payment_gateways,write_payment_sessions,read_orders",
    now,
  });
  // As CompleteInstall does for a real install: the store's name from Shopify's `shop { name }` query.
  const profile = await services.shopProfiles.read({ shopDomain: DEMO_SHOP, accessToken });
  if (profile.ok && profile.value.name !== shop.name) await services.shopStore.setName(shop.id, profile.value.name, now);
  await provisionEmulatorServices(running, control, shop);
  if (!existing) await services.shopStore.markNotificationUrlConfirmed(shop.id, now);
  if (!existing || existing.ready) {
    // The demo shop comes activated, as a merchant would leave it: through paymentsAppConfigure(ready: true), since
    // Shopify offers a payments app at checkout only once it said it is ready (docs/contracts.md). Sent again on every
    // start, so a simulator whose state was reset offers it again.
    const externalHandle = "Demo PagoEfectivo";
    const configured = await services.shopifyPayments.configurePaymentsApp({ shopDomain: DEMO_SHOP, accessToken }, { externalHandle, ready: true });
    if (!configured.ok) throw new Error(`sandbox: paymentsAppConfigure for the demo shop failed: ${configured.error.message}`);
    await services.shopStore.markReady(shop.id, configured.value.ready, configured.value.externalHandle ?? externalHandle, now);
  }
}

/** What /sandbox shows of each installed shop: its emulator credentials as the app holds them (no secretKey). */
async function installedShops(running: RunningApp, control: SandboxControl): Promise<SandboxShopView[]> {
  const { paymentStore } = running.services;
  const views: SandboxShopView[] = [];
  for (const domain of await control.installedShops()) {
    const shop = await paymentStore.findShopByDomain(domain);
    if (!shop || shop.status !== "installed") continue;
    const credentials = await paymentStore.listCredentials(shop.id);
    views.push({
      domain,
      name: shop.name,
      credentials: credentials
        .map((c) => ({ environment: c.environment, idService: c.idService, accessKey: c.accessKey, verified: c.verifiedAt !== null }))
        .sort((a, b) => (a.environment === b.environment ? 0 : a.environment === "sandbox" ? -1 : 1)),
    });
  }
  return views;
}

/** Five-digit service ids, as production PagoEfectivo services have (docs/contracts.md). */
async function freeServiceId(control: SandboxControl, taken: Set<number>): Promise<number> {
  const used = new Set([...(await control.serviceIds()), ...taken]);
  for (;;) {
    const id = 10_000 + randomInt(90_000);
    if (!used.has(id)) return id;
  }
}

/**
 * Gives a shop its own emulator services (pre-production and "production"), the way PagoEfectivo gives each merchant
 * its own: credentials stored on the shop (secret sealed) and registered at the emulator with the shop's notification
 * URL, then checked by signing in. Existing credentials are kept and re-registered, so a restart changes nothing.
 */
export async function provisionEmulatorServices(running: RunningApp, control: SandboxControl, shop: ShopRecord): Promise<void> {
  const { services, secrets, clock } = running;
  const now = clock.now();
  const environments: Environment[] = ["sandbox", "production"];
  const taken = new Set<number>();
  for (const environment of environments) {
    let creds = await services.credentials.forShop(shop.id, environment);
    if (!creds) {
      const secretKey = randomBytes(24).toString("base64url");
      const accessKey = `DEMO${environment === "sandbox" ? "PRE" : "PRD"}${randomBytes(6).toString("hex").toUpperCase()}`.slice(0, 20);
      const idService = await freeServiceId(control, taken);
      taken.add(idService);
      await services.shopStore.setCredentials({
        shopId: shop.id,
        environment,
        accessKey,
        secretKeyEncrypted: secrets.encrypt(secretKey),
        idService,
        now,
      });
      creds = await services.credentials.forShop(shop.id, environment);
    }
    if (!creds) throw new Error(`emulator credentials for ${shop.domain} were not saved`);
    await control.registerService({
      idService: creds.idService,
      accessKey: creds.accessKey,
      secretKey: creds.secretKey,
      notificationUrl: `${running.appUrl}/webhooks/pagoefectivo/${shop.notificationKey}`,
    });
    // The shop's emulator setup is complete: its credentials really work against the emulator.
    const check = await services.pagoefectivo.authorize(creds);
    if (check.ok) await services.shopStore.markCredentialsVerified(shop.id, environment, now);
  }
}

async function inProcessControl(app: Express, config: AppConfig, clock: Clock, logger: Logger, appUrl: string): Promise<SandboxControl> {
  const emulator = await createPagoEfectivoEmulator({
    dataDir: config.dataDir,
    clock,
    logger,
    publicUrl: () => `${appUrl}/sandbox/pagoefectivo`,
  });
  const simulator = await createShopifySimulator({
    dataDir: config.dataDir,
    clock,
    logger,
    publicUrl: () => `${appUrl}/sandbox/shopify`,
    apiVersion: config.shopify.apiVersion,
  });
  app.use("/sandbox/pagoefectivo", emulator.router);
  app.use("/sandbox/shopify", simulator.router);
  return {
    baseUrl: appUrl,
    serverUrl: listeningUrl(config) ?? appUrl,
    paymentsPlatformCaPem: simulator.paymentsPlatformCaPem,
    registerApp: (registered) => simulator.registerApp(registered),
    installShop: (shop, accessToken) => simulator.installShop(shop, accessToken ? { accessToken } : {}),
    registerService: (service) => emulator.registerService(service),
    installedShops: async () => simulator.installedShops(),
    serviceIds: async () => emulator.serviceIds(),
    close: async () => {
      await Promise.all([emulator.close(), simulator.close()]);
    },
  };
}

/**
 * The in-process stand-ins as the app itself reaches them: its own plain-HTTP listener (HOST:PORT, a wildcard
 * host as loopback), not APP_URL, which may be an https name whose TLS is terminated in front of the app and
 * so not reachable from inside (or not the same way). Unknown before listening when PORT=0: null, APP_URL is used.
 */
export function listeningUrl(config: Pick<AppConfig, "host" | "port">): string | null {
  if (config.port === 0) return null;
  const host = config.host === "0.0.0.0" ? "127.0.0.1" : config.host === "::" ? "::1" : config.host;
  return `http://${host.includes(":") ? `[${host}]` : host}:${config.port}`;
}

async function remoteControl(baseUrl: string): Promise<SandboxControl> {
  const call = async (method: string, pathname: string, body?: unknown): Promise<unknown> => {
    const send = () =>
      fetch(`${baseUrl}${pathname}`, {
        method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    // A busy sandbox can drop a connection (a kept-alive socket closed as it is reused): the control calls are
    // safe to repeat (GET, PUT, and an install answered with the token to use), so they are sent again, a few times.
    let response: Response | undefined;
    for (let attempt = 1; !response; attempt += 1) {
      try {
        response = await send();
      } catch (error) {
        if (attempt >= 4) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
    const text = await response.text();
    if (!response.ok) throw new Error(`Sandbox ${method} ${pathname} answered ${response.status}: ${text.slice(0, 300)}`);
    return text.startsWith("{") || text.startsWith("[") ? (JSON.parse(text) as unknown) : text;
  };
  let caPem: string;
  try {
    caPem = String(await call("GET", "/sandbox/shopify/payments-platform-ca.pem"));
  } catch (error) {
    throw new Error(`Cannot reach the sandbox at SANDBOX_URL=${baseUrl} (start it with \`npm run sandbox\`): ${(error as Error).message}`);
  }
  return {
    baseUrl,
    serverUrl: baseUrl,
    paymentsPlatformCaPem: caPem,
    registerApp: async (registered) => {
      await call("PUT", "/sandbox/shopify/app", registered);
    },
    installShop: async (shop, accessToken) => {
      const answer = (await call("POST", `/sandbox/shopify/shops/${shop}/install`, accessToken ? { accessToken } : {})) as { accessToken: string };
      return { accessToken: answer.accessToken };
    },
    registerService: async (service) => {
      await call("PUT", `/sandbox/pagoefectivo/services/${service.idService}`, {
        accessKey: service.accessKey,
        secretKey: service.secretKey,
        notificationUrl: service.notificationUrl,
      });
    },
    installedShops: async () => {
      const answer = (await call("GET", "/sandbox/shopify/shops")) as { shops: Array<{ shop: string; installed: boolean }> };
      return answer.shops.filter((s) => s.installed).map((s) => s.shop);
    },
    serviceIds: async () => {
      const answer = (await call("GET", "/sandbox/pagoefectivo/services")) as { services: Array<{ idService: number }> };
      return answer.services.map((s) => s.idService);
    },
    close: async () => undefined,
  };
}
