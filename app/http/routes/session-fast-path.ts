import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";

import { isDatabaseUnavailable } from "../../lib/database-unavailable";
import { withLogContext } from "../../lib/log-context";
import type { Logger } from "../../lib/logger";
import type { StartPaymentSession } from "../../use-cases/start-payment-session/start-payment-session";
import { HttpError } from "../http-error";
import { answerPaymentSession, PAYMENT_SESSION_PATH } from "./session-routes";

/** The path as Shopify calls it (a query string is ignored, as Express's router does); other spellings go to Express. */
const PAYMENT_SESSION = new RegExp(`^${PAYMENT_SESSION_PATH}(?:\\?[^#]*)?$`);
/** An id a proxy or client sent that is safe to echo and log (as request-observer.ts). */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{8,128}$/;
/** The route's body limit: express.text({ limit: "64kb" }) in session-routes.ts. */
const BODY_LIMIT = 64 * 1024;
/** A charset parameter naming UTF-8, the one body-parser's default decodes; any other charset is left to Express. */
const UTF8_ONLY = /^[^;]*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

export interface SessionRequestCounter {
  request(event: { method: string; route: string; status: number; seconds: number }): void;
}

/**
 * POST /shopify/payment_session answered straight from node:https on the mutual-TLS listener, before Express:
 * Shopify waits for this answer at checkout, and Express's router, body-parser and response helpers cost more
 * than the request's own parse (bench/sessions/RESULTS.md). It serves only the common, well-framed case:
 * a connection whose client certificate the TLS stack verified, a Content-Length within the route's 64 kB limit,
 * no Content-Encoding, no charset but UTF-8. Everything else (refused certificates, chunked or compressed or
 * oversized bodies, other charsets, other paths) returns false and goes to Express, which answers it as before.
 *
 * What it serves is answered as the Express route and its middleware would: the request id (header and log
 * lines, request-observer.ts), the body decoded as body-parser does (UTF-8, a leading BOM dropped), the same
 * parse and use case (answerPaymentSession), the request counted under the route's pattern, the outbox worker
 * woken once the answer is sent (mtls-listener.ts), and a failure answered as error-handler.ts does.
 */
export function paymentSessionFastPath(deps: {
  startPaymentSession: StartPaymentSession;
  metrics: SessionRequestCounter;
  logger: Logger;
  wake: () => void;
}): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { startPaymentSession, metrics, logger, wake } = deps;
  return (req, res) => {
    if (req.method !== "POST" || !req.url || !PAYMENT_SESSION.test(req.url)) return false;
    if ((req.socket as TLSSocket).authorized !== true) return false;
    const length = Number(req.headers["content-length"]);
    if (!Number.isInteger(length) || length < 0 || length > BODY_LIMIT || req.headers["transfer-encoding"] !== undefined) return false;
    if (req.headers["content-encoding"] !== undefined) return false;
    const type = req.headers["content-type"];
    if (type !== undefined && /charset/i.test(type) && !UTF8_ONLY.test(type)) return false;

    const started = performance.now();
    const sent = req.headers["x-request-id"];
    const requestId = typeof sent === "string" && ACCEPTABLE_ID.test(sent) ? sent : randomUUID();
    res.on("finish", () => {
      metrics.request({ method: "POST", route: PAYMENT_SESSION_PATH, status: res.statusCode, seconds: (performance.now() - started) / 1000 });
      wake();
    });
    withLogContext({ requestId }, () => {
      readBody(req, length)
        .then((raw) => answerPaymentSession(startPaymentSession, (name) => headerOf(req, name), raw))
        .then(
          (answer) => sendJson(res, requestId, answer.status, answer.body),
          (error: unknown) => {
            if (res.destroyed) return;
            const failure = failureAnswer(error, logger);
            sendJson(res, requestId, failure.status, failure.body, failure.headers);
          },
        )
        .catch(() => res.destroy());
    });
    return true;
  };
}

/** Express's req.header: node's value, repeated headers already joined with ", " (only set-cookie is a list). */
function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

/** The body as body-parser's text parser decodes it: the bytes as UTF-8, a leading byte-order mark dropped (iconv-lite). */
function readBody(req: IncomingMessage, length: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      chunks.push(chunk);
    });
    req.on("end", () => {
      // node's parser frames the body by Content-Length; a short one means the client went away.
      if (received !== length) return reject(new HttpError(400, "bad_request", "request size did not match content length"));
      const text = (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString("utf8");
      resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    });
    req.on("error", reject);
  });
}

/** What error-handler.ts answers for the failures this path can meet: an HttpError, the database unavailable, a bug. */
function failureAnswer(error: unknown, logger: Logger): { status: number; body: unknown; headers?: Record<string, string> } {
  if (error instanceof HttpError) return { status: error.status, body: error.toBody() };
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error, method: "POST", path: PAYMENT_SESSION_PATH }, "database unavailable");
    return {
      status: 503,
      headers: { "Retry-After": "5" },
      body: { error: { code: "database_unavailable", message: "The database is unavailable right now; nothing was changed. Try again shortly." } },
    };
  }
  logger.error({ err: error, method: "POST", path: PAYMENT_SESSION_PATH }, "unhandled error");
  return { status: 500, body: { error: { code: "internal", message: "Internal error; it has been logged. Try again." } } };
}

/** res.status(status).json(body) without Express: the same status, content type and JSON (no ETag: a POST's answer is never revalidated). */
function sendJson(res: ServerResponse, requestId: string, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "X-Request-Id": requestId,
    ...headers,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}
