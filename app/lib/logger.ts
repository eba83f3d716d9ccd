import { type DestinationStream, type Logger as PinoLogger, pino } from "pino";

import { currentLogContext } from "./log-context";
import { stdoutLogDestination } from "./log-destination";

/** Paths that may hold secrets; pino replaces their values before anything is written. */
export const REDACTED_PATHS = [
  "secretKey",
  "*.secretKey",
  "*.*.secretKey",
  "accessToken",
  "*.accessToken",
  "*.*.accessToken",
  "token",
  "*.token",
  "hashString",
  "*.hashString",
  "password",
  "*.password",
  "headers.authorization",
  "*.headers.authorization",
  'headers["x-shopify-access-token"]',
  '*.headers["x-shopify-access-token"]',
  'headers["X-Shopify-Access-Token"]',
  '*.headers["X-Shopify-Access-Token"]',
  'headers["pe-signature"]',
  "headers.Authorization",
  "encryptionKey",
  "*.encryptionKey",
];

export type Logger = PinoLogger;

export interface LoggerOptions {
  level?: string;
  /** Where to write; defaults to stdout. Tests pass a stream to assert what was logged. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      base: { app: "pagoefectivo-shopify" },
      timestamp: pino.stdTimeFunctions.isoTime,
      // The request or job being handled (see log-context.ts): one id on every line it writes.
      mixin: () => ({ ...currentLogContext() }),
    },
    options.destination ?? stdoutLogDestination(),
  );
}

/** A logger that writes nothing, for unit tests. */
export const silentLogger: Logger = pino({ level: "silent" });
