import express, { Router } from "express";

import type { HandleShopifyWebhook } from "../../use-cases/handle-shopify-webhook/handle-shopify-webhook";

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
    if (result.status === 200) {
      res.status(200).json({ outcome: result.outcome });
      return;
    }
    res.status(result.status).json({ error: { code: result.outcome, message: result.message } });
  });
  return router;
}
