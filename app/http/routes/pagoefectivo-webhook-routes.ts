import { Router } from "express";

import type { HandlePagoEfectivoNotification } from "../../use-cases/handle-pagoefectivo-notification/handle-pagoefectivo-notification";
import { readRawBody } from "../middleware/read-raw-body";
import { statusOfRefusal } from "../result-status";

/** A notification is a few hundred bytes; PagoEfectivo's largest documented body is far under this. */
const NOTIFICATION_BODY_LIMIT = 64 * 1024;

export const notificationPath = (key: string) => `/webhooks/pagoefectivo/${key}`;

/**
 * PagoEfectivo's payment notifications. Raw body on this route only, read directly (bounded, no
 * body-parser): the signature is an HMAC of the exact bytes. 413 over 64 KiB, 400 for a broken upload. The answer follows PagoEfectivo's convention ({code, message}); 200 only
 * after the notification and its effects are committed. `observe` hears each answer's outcome (metrics).
 */
export function pagoEfectivoWebhookRoutes(handler: HandlePagoEfectivoNotification, observe: (outcome: string) => void = () => undefined): Router {
  const router = Router();
  router.post("/webhooks/pagoefectivo/:key", async (req, res) => {
    const read = await readRawBody(req, NOTIFICATION_BODY_LIMIT);
    if (!read.ok) {
      observe(read.status === 413 ? "refused_too_large" : "refused_unreadable");
      res.status(read.status).json({ code: "112", message: read.message });
      return;
    }
    const rawBody = read.body;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers[name] = value;
    }
    const result = await handler.execute({ notificationKey: String(req.params.key), rawBody, headers, clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown" });
    observe(result.kind === "accepted" ? result.outcome : `refused_${result.reason}`);
    if (result.kind === "accepted") {
      res.status(200).json({ code: "100", message: "Solicitud con datos válidos", outcome: result.outcome });
      return;
    }
    if (result.reason === "rate_limited") res.setHeader("Retry-After", String(result.retryAfterSeconds));
    res.status(statusOfRefusal(result.reason)).json({ code: result.reason === "bad_signature" ? "111" : "112", message: result.message });
  });
  return router;
}
