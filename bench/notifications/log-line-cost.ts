/**
 * CPU per log line of the app's logger (issue #13): the notification path writes one info line per first-time
 * notification. `node --import tsx bench/notifications/log-line-cost.ts` prints microseconds per line for the app's
 * logger and for the same pino options (mixin included) without redaction, written to a stream that drops the bytes (what is measured
 * is building the line, not the write to stdout). Bounded: a fixed number of lines, a few seconds.
 */
import { performance } from "node:perf_hooks";

import { type DestinationStream, pino } from "pino";

import { currentLogContext, withLogContext } from "../../app/lib/log-context";
import { createLogger } from "../../app/lib/logger";

const LINES = 200_000;
const ROUNDS = 3;
const sink: DestinationStream = { write: () => undefined };

const app = createLogger({ destination: sink });
/** The same options as createLogger (mixin included), without any redaction. */
const bare = pino({ level: "info", base: { app: "pagoefectivo-shopify" }, timestamp: pino.stdTimeFunctions.isoTime, mixin: () => ({ ...currentLogContext() }) }, sink);

/** The notification path's line (handle-pagoefectivo-notification.ts), inside a request's log context. */
function line(logger: typeof app, i: number): void {
  logger.info({ shopId: "shop-1", cip: `40${i}`, paymentSessionId: `session-${i}`, outcome: "paid" }, "payment notification handled");
}

function measure(name: string, logger: typeof app): void {
  const results: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    withLogContext({ requestId: "req-1" }, () => {
      const started = performance.now();
      for (let i = 0; i < LINES; i++) line(logger, i);
      results.push(((performance.now() - started) * 1000) / LINES);
    });
  }
  console.log(`${name}: ${results.map((us) => us.toFixed(2)).join(", ")} us per line`);
}

for (let warm = 0; warm < 2; warm++) {
  measure("app logger", app);
  measure("pino without redaction", bare);
}
