import http from "node:http";

import express from "express";

import { loadConfigOrExit } from "../config/load-config-or-exit";
import { errorHandler, notFoundHandler } from "../http/middleware/error-handler";
import { sandboxClockRoutes } from "../http/routes/sandbox-routes";
import { AdjustableClock, systemClock } from "../lib/clock";
import { ClockOffsetFile } from "../lib/clock-offset-file";
import { FAVICON_HEADERS, FAVICON_PATHS, FAVICON_SVG } from "../lib/favicon";
import { FileOffsetClock } from "../lib/file-offset-clock";
import { createLogger } from "../lib/logger";
import { createPagoEfectivoEmulator } from "./pagoefectivo/pagoefectivo-emulator";
import { createShopifySimulator } from "./shopify/shopify-simulator";

/**
 * `npm run sandbox`: the PagoEfectivo emulator and the Shopify simulator as their own process, so
 * the app can be crashed and restarted while they keep running. Start the app with
 * SANDBOX_URL=http://localhost:<SANDBOX_PORT> to use them.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel }).child({ process: "sandbox" });
  const publicUrl = config.sandbox.url ?? `http://localhost:${config.sandbox.port}`;
  // SANDBOX_CLOCK_FILE (the chaos suite moves it) or, by default, the same clock file as an app on this DATA_DIR;
  // apps elsewhere keep in step through GET/POST /sandbox/clock.
  const clock = config.sandbox.clockFile
    ? new FileOffsetClock(config.sandbox.clockFile)
    : new AdjustableClock(systemClock, ClockOffsetFile.forDataDir(config.dataDir));
  const emulator = await createPagoEfectivoEmulator({
    dataDir: config.dataDir,
    clock,
    logger,
    publicUrl: () => `${publicUrl}/sandbox/pagoefectivo`,
  });
  const simulator = await createShopifySimulator({
    dataDir: config.dataDir,
    clock,
    logger,
    publicUrl: () => `${publicUrl}/sandbox/shopify`,
    apiVersion: config.shopify.apiVersion,
  });
  const app = express();
  app.disable("x-powered-by");
  // The stand-ins first: their paths share no prefix with the routes below, and the benchmarks and the chaos suite
  // call them thousands of times a second, so they skip matching the others.
  app.use("/sandbox/pagoefectivo", emulator.router);
  app.use("/sandbox/shopify", simulator.router);
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", sandbox: true });
  });
  for (const path of FAVICON_PATHS) app.get(path, (_req, res) => void res.set(FAVICON_HEADERS).send(FAVICON_SVG));
  app.use(sandboxClockRoutes({ clock, afterAdvance: async () => undefined }));
  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  const emulatorFastPath = emulator.fastPath("/sandbox/pagoefectivo");
  const server = http.createServer((req, res) => emulatorFastPath(req, res, () => void app(req, res)));
  server.listen(config.sandbox.port, config.host, () => {
    logger.info({ url: publicUrl }, "sandbox (PagoEfectivo emulator + Shopify simulator) is running");
  });
  const stop = () => {
    server.close();
    server.closeAllConnections();
    void Promise.all([emulator.close(), simulator.close()]).then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
