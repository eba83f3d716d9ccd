import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";

import { loadConfig } from "../../app/config/env";
import { adminRoutesFor, type AdminRoutesOptions } from "../../app/http/admin-routes";
import { createLogger, type Logger, silentLogger } from "../../app/lib/logger";
import { attachSandbox } from "../../app/sandbox/attach-sandbox";
import { startApp } from "../../app/server";
import { freePort, type TestApp } from "./test-app";
import { createTestDatabase } from "./test-database";

/**
 * startTestApp (test/helpers/test-app.ts) plus what the admin tests need: a logger of their own
 * (to read what was logged) and the admin routes' options (SPA build dir, sign-in clock).
 * `httpsAppUrl`: APP_URL says https (as behind a TLS proxy) while the server listens on plain
 * http; `url` is then the address it listens on.
 */
export async function startAdminTestApp(
  options: { logger?: Logger; admin?: AdminRoutesOptions; env?: Record<string, string>; httpsAppUrl?: boolean } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "pe-admin-test-"));
  const database = await createTestDatabase();
  const port = await freePort();
  const config = loadConfig({
    APP_MODE: "sandbox",
    PORT: String(port),
    HOST: "127.0.0.1",
    APP_URL: `${options.httpsAppUrl ? "https" : "http"}://127.0.0.1:${port}`,
    MTLS_HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const app = await startApp(config, {
    logger: options.logger ?? silentLogger,
    sandbox: attachSandbox(config),
    extraRoutes: adminRoutesFor(config, { webDistDir: path.join(dataDir, "no-web-build"), ...options.admin }),
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    dataDir,
    database,
    async json<T>(method: string, pathname: string, body?: unknown) {
      const response = await fetch(`${url}${pathname}`, {
        method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: leave the text
      }
      return { status: response.status, body: parsed as T };
    },
    async close() {
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A pino logger at trace level whose every line is kept in memory, to assert what was (not) logged. */
export function memoryLogger(): { logger: Logger; text(): string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString("utf8"));
      callback();
    },
  });
  const logger = createLogger({ level: "trace", destination });
  return { logger, text: () => chunks.join("") };
}
