import express, { Router } from "express";

import type { HandleShopifyWebhook } from "../../use-cases/handle-shopify-webhook/handle-shopify-webhook";
import { statusOfRefusal } from "../result-status";

export const SHOPIFY_WEBHOOK_PATH = "/webhooks/shopify";

export function shopifyWebhookRoutes(handler: HandleShopifyWebhook): Router {
  const router = Router();
  router.post(SHOPIFY_WEBHOOK_PATH, express.raw({ type: () => true, limit: "1mb" }), async (req, res) => {
    const result = await handler.execute({
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      hmac: req.header("x-shopify-hmac-sha256"),
      topic: req.header("x-shopify-topic"),
      shopDomain: req.header("x-shopify-shop-domain"),
      webhookId: req.header("x-shopify-webhook-id"),
    });
    if (result.kind === "accepted") {
      res.status(200).json({ outcome: result.outcome });
      return;
    }
    res.status(statusOfRefusal(result.reason)).json({ error: { code: result.reason, message: result.message } });
  });
  return router;
}
