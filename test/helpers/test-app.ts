import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import type { AdminOptions } from "../../app/composition/build-admin";
import { type RunningApp, startApp } from "../../app/composition/start-app";
import { loadConfig } from "../../app/config/env";
import { type Logger, silentLogger } from "../../app/lib/logger";
import { attachSandbox } from "../../app/sandbox/attach-sandbox";
import { createTestDatabase, type TestDatabase } from "./test-database";

export interface TestApp {
  app: RunningApp;
  url: string;
  dataDir: string;
  database: TestDatabase;
  /** JSON request against the app's main HTTP server (sandbox control APIs included). */
  json<T = unknown>(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Stops the app (servers, worker, poller, in-process sandbox) and starts it again on the same database and DATA_DIR. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Defaults to a silent logger (or TEST_LOG_LEVEL's); tests pass their own to read what was logged. */
  logger?: Logger;
  admin?: AdminOptions;
  /** APP_URL says https (as behind a TLS proxy) while the server listens on plain http; `url` is the listening address. */
  httpsAppUrl?: boolean;
}

/**
 * The whole app as `npm start` runs it in sandbox mode (real HTTP and mTLS servers, emulator,
 * simulator, worker, poller) on a fresh database and DATA_DIR.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "pe-test-app-"));
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
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    ...options.env,
  });
  const logger = options.logger ?? (process.env.TEST_LOG_LEVEL ? undefined : silentLogger);
  const start = () =>
    startApp(config, {
      ...(logger ? { logger } : {}),
      sandbox: attachSandbox(config),
      admin: options.admin ?? {},
    });
  const url = `http://127.0.0.1:${port}`;
  const handle: TestApp = {
    app: await start(),
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
    async restart() {
      await handle.app.close();
      handle.app = await start();
    },
    async close() {
      await handle.app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

/** Polls until `check` returns a truthy value or the time is up. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
