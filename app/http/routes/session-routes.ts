import express, { type Request, Router } from "express";
import type { z } from "zod";

import { paymentSessionBody, refundSessionBody, shopifySessionHeaders } from "../../contracts/shopify/session-requests";
import { findNulCharacter } from "../../lib/nul-characters";
import type { ReceiveRefundSession } from "../../use-cases/receive-refund-session/receive-refund-session";
import type { StartPaymentSession } from "../../use-cases/start-payment-session/start-payment-session";
import { badRequest, fromZodError } from "../http-error";
import { refusalError } from "../result-status";

export const PAYMENT_SESSION_PATH = "/shopify/payment_session";
export const REFUND_SESSION_PATH = "/shopify/refund_session";

/**
 * Shopify → app session requests. Mounted behind the client-certificate check. The raw body is
 * kept as evidence, then parsed: headers first, body second, each failure a 4xx naming the field.
 */
export function sessionRoutes(deps: { startPaymentSession: StartPaymentSession; receiveRefundSession: ReceiveRefundSession }): Router {
  const router = Router();
  const text = express.text({ type: () => true, limit: "64kb" });

  router.post(PAYMENT_SESSION_PATH, text, async (req, res) => {
    const { headers, body, raw } = parseSessionRequest(req, paymentSessionBody, "payment session");
    const result = await deps.startPaymentSession.execute({ headers, body, rawBody: raw });
    if (result.ok) {
      res.status(201).json({ redirect_url: result.value.redirectUrl });
      return;
    }
    throw refusalError(result.error.kind, result.error.message);
  });

  router.post(REFUND_SESSION_PATH, text, async (req, res) => {
    const { headers, body, raw } = parseSessionRequest(req, refundSessionBody, "refund session");
    const result = await deps.receiveRefundSession.execute({ headers, body, rawBody: raw });
    if (result.ok) {
      res.status(201).end();
      return;
    }
    throw refusalError(result.error.kind, result.error.message);
  });

  return router;
}

function parseSessionRequest<S extends z.ZodType>(req: Request, schema: S, what: string) {
  const headers = shopifySessionHeaders.safeParse({
    "shopify-shop-domain": req.header("shopify-shop-domain"),
    "shopify-request-id": req.header("shopify-request-id"),
    "shopify-api-version": req.header("shopify-api-version"),
  });
  if (!headers.success) throw fromZodError(headers.error, "headers");
  const raw = typeof req.body === "string" ? req.body : "";
  if (!raw) throw badRequest(`Empty ${what} body`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw badRequest(`The ${what} body is not valid JSON`);
  }
  const nul = findNulCharacter(json);
  if (nul !== null) throw badRequest(`The ${what} body has a NUL character in ${nul}`);
  const body = schema.safeParse(json);
  if (!body.success) throw fromZodError(body.error, what);
  return { headers: headers.data, body: body.data as z.infer<S>, raw };
}
