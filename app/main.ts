import { type RunningApp, startApp } from "./composition/start-app";
import { loadConfigOrExit } from "./config/load-config-or-exit";
import { FileOffsetClock } from "./lib/file-offset-clock";
import { createLogger } from "./lib/logger";
import { attachSandbox } from "./sandbox/attach-sandbox";

/** The entry point: configuration, signals, then the app (composed in app/composition/). */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel });

  // Signals are handled from the first moment: one that arrives while the app is still starting
  // stops it as soon as it is up (a half-started app is not left running, nor killed mid-migration).
  let app: RunningApp | null = null;
  let stopRequested: string | null = null;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping || stopRequested) {
      // A second Ctrl-C: the operator does not want to wait for the grace period.
      if (signal === "SIGINT") process.exit(130);
      return;
    }
    stopRequested = signal;
    if (!app) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  // Started by scripts/start.mjs over IPC: if that process dies (even by SIGKILL), stop too rather
  // than keep the port as an orphan.
  if (process.channel) {
    process.channel.unref();
    process.on("disconnect", () => stop("parent exited"));
  }

  app = await startApp(config, {
    logger,
    ...(config.mode === "sandbox" ? { sandbox: attachSandbox(config) } : {}),
    // One business time with `npm run sandbox` and across restarts (SANDBOX_CLOCK_FILE, chaos suite).
    ...(config.sandbox.clockFile ? { clock: new FileOffsetClock(config.sandbox.clockFile) } : {}),
  });
  if (stopRequested) {
    const signal = stopRequested;
    stopRequested = null;
    stop(signal);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
