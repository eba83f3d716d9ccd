import { type DestinationStream, type Logger as PinoLogger, pino, stdSerializers } from "pino";

import { currentLogContext } from "./log-context";
import { stdoutLogDestination } from "./log-destination";

/**
 * Keys whose values are secrets (credentials, tokens, signatures, keys): replaced before anything is written, at the
 * top of a line and up to two levels down (under any key, array indices included), and in a child logger's bindings.
 * Request headers (any spelling) under a `headers` object at the top or one level down. This is what pino's redaction
 * path list reached (secretKey, *.secretKey, *.*.secretKey, *.headers.authorization, ...; the list is kept in
 * test/unit/lib/logger-redaction.test.ts) and a little more (every key at every one of those levels). pino's wildcard
 * paths cost ~20 us per line, on every line, most of it in fast-redact walking each value; a walk over the line's
 * own keys that copies only what it censors costs ~1 us (bench/notifications/log-line-cost.ts, issue #13).
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set(["secretKey", "accessToken", "token", "hashString", "password", "encryptionKey"]);
export const SECRET_HEADERS: ReadonlySet<string> = new Set(["authorization", "x-shopify-access-token", "pe-signature"]);
const CENSOR = "[redacted]";
/** Levels below the top that are looked into (secretKey and accessToken were redacted two levels down). */
const SECRET_DEPTH = 2;

/**
 * `value` with its secrets censored; the same object when it holds none (the common case: nothing is copied), a
 * shallow copy of each object on the way to a secret otherwise, so the caller's objects are never changed.
 */
function redactSecrets(value: Record<string, unknown>, depth: number, headersDepth: boolean): Record<string, unknown> {
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(value)) {
    const field = value[key];
    let replaced: unknown = field;
    if (field === undefined) continue;
    if (SECRET_KEYS.has(key) || (headersDepth && SECRET_HEADERS.has(key.toLowerCase()))) replaced = CENSOR;
    else if (typeof field === "object" && field !== null) {
      // An error is logged through pino's err serializer (message, stack, its own fields): serialized here so that
      // its fields are looked into like any object's (it is a plain object afterwards, which the serializer keeps).
      const object = (field instanceof Error ? stdSerializers.err(field) : field) as Record<string, unknown>;
      const underHeaders = key === "headers" && depth < SECRET_DEPTH;
      if (depth < SECRET_DEPTH && !ArrayBuffer.isView(object)) replaced = redactSecrets(object, depth + 1, underHeaders);
      else if (object !== field) replaced = object;
    }
    if (replaced !== field) {
      copy ??= Array.isArray(value) ? [...value] as unknown as Record<string, unknown> : { ...value };
      copy[key] = replaced;
    }
  }
  return copy ?? value;
}

export type Logger = PinoLogger;

export interface LoggerOptions {
  level?: string;
  /** Where to write; defaults to stdout. Tests pass a stream to assert what was logged. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? "info",
      base: { app: "pagoefectivo-shopify" },
      timestamp: pino.stdTimeFunctions.isoTime,
      // The request or job being handled (see log-context.ts): one id on every line it writes.
      mixin: () => ({ ...currentLogContext() }),
      // Every line's fields (the mixin's included) pass here before they are written.
      formatters: { log: (fields) => redactSecrets(fields, 0, false) },
    },
    options.destination ?? stdoutLogDestination(),
  );
  // A child's bindings are written on each of its lines without passing through formatters.log. Children (and their
  // children) inherit this method: pino makes a child with Object.create of its parent.
  const protoChild = logger.child;
  logger.child = function redactedChild(this: Logger, bindings, childOptions) {
    return protoChild.call(this, redactSecrets(bindings, 0, false), childOptions);
  } as Logger["child"];
  return logger;
}

/** A logger that writes nothing, for unit tests. */
export const silentLogger: Logger = pino({ level: "silent" });
