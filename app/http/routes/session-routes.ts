import express, { Router } from "express";
import type { z } from "zod";

import { paymentSessionBody, refundSessionBody, type ShopifySessionHeaders, shopifySessionHeaders } from "../../contracts/shopify/session-requests";
import { findNulCharacter } from "../../lib/nul-characters";
import type { ReceiveRefundSession } from "../../use-cases/receive-refund-session/receive-refund-session";
import type { StartPaymentSession } from "../../use-cases/start-payment-session/start-payment-session";
import { badRequest, fromZodError } from "../http-error";
import { refusalError } from "../result-status";

export const PAYMENT_SESSION_PATH = "/shopify/payment_session";
export const REFUND_SESSION_PATH = "/shopify/refund_session";

/** A request header as Express's req.header gives it (node's joined value). */
export type HeaderOf = (name: string) => string | undefined;

/**
 * Shopify → app session requests. Mounted behind the client-certificate check. The raw body is
 * kept as evidence, then parsed: headers first, body second, each failure a 4xx naming the field.
 * POST /shopify/payment_session is usually answered before Express on the mutual-TLS listener
 * (session-fast-path.ts) with the same answerPaymentSession; this route serves what that path leaves.
 */
export function sessionRoutes(deps: { startPaymentSession: StartPaymentSession; receiveRefundSession: ReceiveRefundSession }): Router {
  const router = Router();
  const text = express.text({ type: () => true, limit: "64kb" });

  router.post(PAYMENT_SESSION_PATH, text, async (req, res) => {
    const answer = await answerPaymentSession(deps.startPaymentSession, (name) => req.header(name), req.body);
    res.status(answer.status).json(answer.body);
  });

  router.post(REFUND_SESSION_PATH, text, async (req, res) => {
    const { headers, body, raw } = readSessionRequest((name) => req.header(name), req.body, refundSessionBody, "refund session");
    const result = await deps.receiveRefundSession.execute({ headers, body, rawBody: raw });
    if (result.ok) {
      res.status(201).end();
      return;
    }
    throw refusalError(result.error.kind, result.error.message);
  });

  return router;
}

/** A payment session request's answer (201 with the buyer page's URL); a refusal or bad input is thrown as an HttpError. */
export async function answerPaymentSession(
  startPaymentSession: StartPaymentSession,
  header: HeaderOf,
  rawBody: unknown,
): Promise<{ status: 201; body: { redirect_url: string } }> {
  const { headers, body, raw } = readSessionRequest(header, rawBody, paymentSessionBody, "payment session");
  const result = await startPaymentSession.execute({ headers, body, rawBody: raw });
  if (result.ok) return { status: 201, body: { redirect_url: result.value.redirectUrl } };
  throw refusalError(result.error.kind, result.error.message);
}

function readSessionRequest<S extends z.ZodType>(header: HeaderOf, rawBody: unknown, schema: S, what: string): { headers: ShopifySessionHeaders; body: z.infer<S>; raw: string } {
  const headers = shopifySessionHeaders.safeParse({
    "shopify-shop-domain": header("shopify-shop-domain"),
    "shopify-request-id": header("shopify-request-id"),
    "shopify-api-version": header("shopify-api-version"),
  });
  if (!headers.success) throw fromZodError(headers.error, "headers");
  const raw = typeof rawBody === "string" ? rawBody : "";
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
