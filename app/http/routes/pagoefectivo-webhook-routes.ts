import type { IncomingMessage, ServerResponse } from "node:http";

import { Router } from "express";

import { isDatabaseUnavailable } from "../../lib/database-unavailable";
import type { Logger } from "../../lib/logger";
import type { HandlePagoEfectivoNotification } from "../../use-cases/handle-pagoefectivo-notification/handle-pagoefectivo-notification";
import { readRawBody } from "../middleware/read-raw-body";
import { statusOfRefusal } from "../result-status";

/** A notification is a few hundred bytes; PagoEfectivo's largest documented body is far under this. */
const NOTIFICATION_BODY_LIMIT = 64 * 1024;

export const notificationPath = (key: string) => `/webhooks/pagoefectivo/${key}`;

/** The route's pattern, as metrics name it. */
export const NOTIFICATION_ROUTE = "/webhooks/pagoefectivo/:key";

export interface NotificationAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** For metrics: the handler's outcome (marked_paid, duplicate, ...), `refused_<reason>`, or `failed`. */
  outcome: string;
}

/**
 * PagoEfectivo's payment notifications. Raw body on this route only, read directly (bounded, no
 * body-parser): the signature is an HMAC of the exact bytes. 413 over 64 KiB, 400 for a broken upload. The answer follows PagoEfectivo's convention ({code, message}); 200 only
 * after the notification and its effects are committed. Shared by the Express route below and the
 * fast path before Express (pagoefectivo-webhook-fast-path.ts), so both answer the same.
 */
export async function answerNotification(handler: HandlePagoEfectivoNotification, req: IncomingMessage, key: string, clientAddress: string): Promise<NotificationAnswer> {
  const read = await readRawBody(req, NOTIFICATION_BODY_LIMIT);
  if (!read.ok) return json(read.status, { code: "112", message: read.message }, read.status === 413 ? "refused_too_large" : "refused_unreadable");
  const rawBody = read.body;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers[name] = value;
  }
  const result = await handler.execute({ notificationKey: key, rawBody, headers, clientAddress });
  if (result.kind === "accepted") return json(200, { code: "100", message: "Solicitud con datos válidos", outcome: result.outcome }, result.outcome);
  const answer = json(statusOfRefusal(result.reason), { code: result.reason === "bad_signature" ? "111" : "112", message: result.message }, `refused_${result.reason}`);
  if (result.reason === "rate_limited") answer.headers["Retry-After"] = String(result.retryAfterSeconds);
  return answer;
}

/**
 * The answer to a notification that threw, as the app's error handler gives it (error-handler.ts): 503 when the
 * database is unavailable (nothing was committed, so PagoEfectivo sends it again), else 500.
 */
export function failedNotification(error: unknown, logger: Logger): NotificationAnswer {
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error, method: "POST", path: NOTIFICATION_ROUTE }, "database unavailable");
    const answer = json(503, { error: { code: "database_unavailable", message: "The database is unavailable right now; nothing was changed. Try again shortly." } }, "failed");
    answer.headers["Retry-After"] = "5";
    return answer;
  }
  logger.error({ err: error, method: "POST", path: NOTIFICATION_ROUTE }, "unhandled error");
  return json(500, { error: { code: "internal", message: "Internal error; it has been logged. Try again." } }, "failed");
}

export function sendNotificationAnswer(res: ServerResponse, answer: NotificationAnswer): void {
  for (const name in answer.headers) res.setHeader(name, answer.headers[name] as string);
  res.setHeader("Content-Length", Buffer.byteLength(answer.body));
  res.statusCode = answer.status;
  res.end(answer.body);
}

function json(status: number, body: unknown, outcome: string): NotificationAnswer {
  return { status, headers: { "Content-Type": "application/json; charset=utf-8" }, body: JSON.stringify(body), outcome };
}

/** `observe` hears each answer's outcome (metrics: pagoefectivo_notifications_handled_total). */
export function pagoEfectivoWebhookRoutes(handler: HandlePagoEfectivoNotification, observe: (outcome: string) => void = () => undefined): Router {
  const router = Router();
  router.post(NOTIFICATION_ROUTE, async (req, res) => {
    const answer = await answerNotification(handler, req, String(req.params.key), req.ip ?? req.socket.remoteAddress ?? "unknown");
    observe(answer.outcome);
    sendNotificationAnswer(res, answer);
  });
  return router;
}
