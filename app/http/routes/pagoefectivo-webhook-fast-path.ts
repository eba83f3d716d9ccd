import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

import { withLogContext } from "../../lib/log-context";
import type { Logger } from "../../lib/logger";
import type { HandlePagoEfectivoNotification } from "../../use-cases/handle-pagoefectivo-notification/handle-pagoefectivo-notification";
import { answerNotification, failedNotification, NOTIFICATION_ROUTE, sendNotificationAnswer } from "./pagoefectivo-webhook-routes";

/** The URL as PagoEfectivo calls it; anything else (another case, escapes, odd keys) is left to Express. */
const NOTIFICATION = /^\/webhooks\/pagoefectivo\/([A-Za-z0-9_-]{1,128})(?:\?[^#]*)?$/;
/** An id a proxy or client sent that is safe to echo and log (as request-observer.ts). */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export interface RequestCounter {
  request(event: { method: string; route: string; status: number; seconds: number }): void;
  /** Each notification answered, by outcome. */
  notification(outcome: string): void;
}

/**
 * POST /webhooks/pagoefectivo/:key answered straight from node:http, before Express: a sale-day burst of
 * notifications (and PagoEfectivo's replays) hits this path, and Express's router and request decoration cost
 * more than the notification's own work (bench/notifications/RESULTS.md). Same answer as the Express route
 * (answerNotification), with what Express's middleware adds on this path: the request id (header and log
 * lines), the request counted under the route's pattern, the client address as `trust proxy` gives it, and a
 * failure answered as the error handler does. Returns false when the request is not one it serves.
 */
export function pagoEfectivoWebhookFastPath(handler: HandlePagoEfectivoNotification, metrics: RequestCounter, logger: Logger): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== "POST" || !req.url) return false;
    const match = NOTIFICATION.exec(req.url);
    if (!match) return false;
    const key = match[1] ?? "";
    const started = performance.now();
    const sent = req.headers["x-request-id"];
    const requestId = typeof sent === "string" && ACCEPTABLE_ID.test(sent) ? sent : randomUUID();
    res.setHeader("X-Request-Id", requestId);
    res.on("finish", () => metrics.request({ method: "POST", route: NOTIFICATION_ROUTE, status: res.statusCode, seconds: (performance.now() - started) / 1000 }));
    withLogContext({ requestId }, () => {
      answerNotification(handler, req, key, clientAddress(req))
        .catch((error: unknown) => failedNotification(error, logger))
        .then((answer) => {
          metrics.notification(answer.outcome);
          sendNotificationAnswer(res, answer);
        })
        .catch(() => res.destroy());
    });
    return true;
  };
}

/** What Express's req.ip gives with `trust proxy` true (start-app.ts): the leftmost X-Forwarded-For address, else the peer. */
function clientAddress(req: IncomingMessage): string {
  const forwarded = req.headers["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
  return first || req.socket.remoteAddress || "unknown";
}
