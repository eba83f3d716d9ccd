import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";

import { createLogger, type Logger } from "../../app/lib/logger";
import { startTestApp, type TestApp, type TestAppOptions } from "./test-app";

/**
 * The admin tests start the app like every integration test (startTestApp) with their own logger,
 * admin options (SPA build dir, sign-in clock) or an https APP_URL; by default without an SPA build.
 */
export async function startAdminTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  return startTestApp({ ...options, admin: { webDistDir: path.join(tmpdir(), "pe-no-web-build"), ...options.admin } });
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
