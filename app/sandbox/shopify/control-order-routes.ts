import express, { type Router } from "express";
import { z } from "zod";

import { fail, firstIssue, maybeSendWebhook } from "./control-common";
import { cancelOrder, findOrder, orderView, orderWebhookPayload } from "./orders";
import { type SimulatorContext } from "./simulator-context";
import { deliverDueWebhookRetries, sendWebhook, type WebhookTopic } from "./webhooks";

const cancelSchema = z.object({ reason: z.enum(["customer", "inventory", "fraud", "declined", "other"]).default("customer") });
const faultSchema = z.object({
  kind: z.enum(["error500", "timeout", "throttled"]),
  count: z.number().int().min(1).max(10_000).default(1),
  api: z.enum(["payments", "admin", "any"]).default("payments"),
  apply: z.boolean().default(false),
  /** Only calls with this root field (a GraphQL field name such as paymentSessionPending). */
  operation: z
    .string()
    .regex(/^[_A-Za-z][_0-9A-Za-z]*$/)
    .optional(),
});

/** Control API: orders and their cancellation, webhook deliveries and retries, the GraphQL call log and GraphQL faults. */
export function mountOrderControlRoutes(router: Router, context: SimulatorContext): void {
  const json = express.json({ limit: "1mb" });
  const state = context.state;

  router.get("/orders", (req, res) => {
    const shop = typeof req.query.shop === "string" ? req.query.shop : null;
    const orders = Object.values(state.orders)
      .filter((order) => shop === null || order.shop === shop)
      .sort((a, b) => a.legacyId - b.legacyId);
    res.json({ orders: orders.map(orderView) });
  });

  router.get("/orders/:orderId", (req, res) => {
    const order = findOrder(context, req.params.orderId);
    if (order === null) return fail(res, 404, `Order ${req.params.orderId} not found`);
    res.json(orderView(order));
  });

  router.post("/orders/:orderId/cancel", json, async (req, res) => {
    const order = findOrder(context, req.params.orderId);
    if (order === null) return fail(res, 404, `Order ${req.params.orderId} not found`);
    if (order.cancelledAt !== null) return fail(res, 409, `Order ${order.name} is already cancelled`);
    const parsed = cancelSchema.safeParse(req.body ?? {});
    if (!parsed.success) return fail(res, 400, firstIssue(parsed.error));
    cancelOrder(context, order, parsed.data.reason);
    await context.store.save();
    const shop = state.shops[order.shop];
    const webhook = shop ? await maybeSendWebhook(context, "orders/cancelled", shop.domain, orderWebhookPayload(order)) : null;
    res.json({ order: orderView(order), webhook });
  });

  router.get("/webhooks", (req, res) => {
    const shop = typeof req.query.shop === "string" ? req.query.shop : null;
    const topic = typeof req.query.topic === "string" ? req.query.topic : null;
    res.json({
      webhooks: state.webhookDeliveries.filter((delivery) => (shop === null || delivery.shop === shop) && (topic === null || delivery.topic === topic)),
    });
  });

  router.get("/webhooks/retries", (_req, res) => {
    res.json({ retries: state.webhookRetries ?? [] });
  });

  // Sends the retries due now on the simulator clock (they also go out by themselves within a second).
  router.post("/webhooks/retries/run", async (_req, res) => {
    res.json({ webhooks: await deliverDueWebhookRetries(context) });
  });

  router.post("/webhooks/:webhookId/redeliver", async (req, res) => {
    const original = [...state.webhookDeliveries].reverse().find((delivery) => delivery.webhookId === req.params.webhookId);
    if (original === undefined) return fail(res, 404, `Webhook ${req.params.webhookId} not found`);
    if (state.app === null) return fail(res, 409, "No app registered: PUT /sandbox/shopify/app first");
    // Shopify keeps X-Shopify-Webhook-Id across retries, which is what apps deduplicate on.
    const webhook = await sendWebhook(context, state.app, { ...original, topic: original.topic as WebhookTopic });
    await context.store.save();
    res.json({ webhook });
  });

  router.get("/graphql-calls", (_req, res) => {
    res.json({ calls: context.callLog });
  });

  router.get("/faults", (_req, res) => {
    res.json({ faults: context.faults.list() });
  });

  router.post("/faults", json, (req, res) => {
    const parsed = faultSchema.safeParse(req.body ?? {});
    if (!parsed.success) return fail(res, 400, firstIssue(parsed.error));
    context.faults.add(parsed.data);
    res.status(201).json({ faults: context.faults.list() });
  });

  router.delete("/faults", (_req, res) => {
    context.faults.clear();
    res.json({ faults: [] });
  });
}
