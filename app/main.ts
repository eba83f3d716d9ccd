import { startApp } from "./composition/start-app";
import { loadConfigOrExit } from "./config/load-config-or-exit";
import { createLogger } from "./lib/logger";
import { attachSandbox } from "./sandbox/attach-sandbox";

/** The entry point: configuration, then the app (composed in app/composition/), then signals. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel });
  const app = await startApp(config, {
    logger,
    ...(config.mode === "sandbox" ? { sandbox: attachSandbox(config) } : {}),
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
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
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
