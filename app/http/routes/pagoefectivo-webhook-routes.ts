import express, { Router } from "express";

import type { HandlePagoEfectivoNotification } from "../../use-cases/handle-pagoefectivo-notification/handle-pagoefectivo-notification";
import { statusOfRefusal } from "../result-status";

export const notificationPath = (key: string) => `/webhooks/pagoefectivo/${key}`;

/**
 * PagoEfectivo's payment notifications. Raw body on this route only: the signature is an HMAC of
 * the exact bytes. The answer follows PagoEfectivo's convention ({code, message}); 200 only
 * after the notification and its effects are committed.
 */
export function pagoEfectivoWebhookRoutes(handler: HandlePagoEfectivoNotification): Router {
  const router = Router();
  router.post("/webhooks/pagoefectivo/:key", express.raw({ type: () => true, limit: "64kb" }), async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers[name] = value;
    }
    const result = await handler.execute({ notificationKey: String(req.params.key), rawBody, headers });
    if (result.kind === "accepted") {
      res.status(200).json({ code: "100", message: "Solicitud con datos válidos", outcome: result.outcome });
      return;
    }
    res.status(statusOfRefusal(result.reason)).json({ code: result.reason === "bad_signature" ? "111" : "112", message: result.message });
  });
  return router;
}
