import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The ids that tie log lines together: every line written while handling one HTTP request carries
 * its `requestId`, every line of one outbox job its `jobId`, however deep the code that logs and
 * whichever logger (or child) it holds. The logger reads it through pino's `mixin`.
 */
export interface LogContext {
  readonly requestId?: string;
  readonly jobId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `context` added to the current one, for everything `fn` starts (callbacks, awaits). */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

/** The ids in effect here ({} outside any request or job). */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}
