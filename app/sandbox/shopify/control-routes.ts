import express, { type Response, type Router } from "express";
import { z } from "zod";

import { appView, parseRegistration } from "./app-registration";
import {
  defaultShop,
  deliveryAnswer,
  errorMessage,
  resendPaymentSession,
  resendRefundSession,
  type SessionStartError,
  startCheckout,
  startRefund,
} from "./checkouts";
import { cancelOrder, findOrder, ordersOfShop,orderView, orderWebhookPayload } from "./orders";
import { defaultCustomer } from "./session-requests";
import { paymentSessionView, refundSessionView } from "./session-views";
import { createShop, DEFAULT_SCOPES, installOffline, shopView, uninstall } from "./shops";
import { type SimulatorContext } from "./simulator-context";
import { type RegisteredApp, type WebhookDelivery } from "./simulator-types";
import { parseDecimalAmount, SHOP_DOMAIN } from "./simulator-values";
import { COMPLIANCE_TOPICS, compliancePayload, deliverDueWebhookRetries, sendWebhook, shopWebhookPayload, type WebhookTopic,webhookUrlFor } from "./webhooks";

/** The JSON control API the sandbox, the demo and the tests drive the simulated Shopify with. */

const shopDomain = z.string().regex(SHOP_DOMAIN, "shop must be a *.myshopify.com domain, e.g. demo-shop.myshopify.com");
const decimalAmount = z
  .string({ error: 'amount must be a decimal string such as "150.00"' })
  .refine((value) => (parseDecimalAmount(value) ?? 0) > 0, { message: 'amount must be a positive decimal string such as "150.00"' });
const locale = z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, "locale must look like es or es-PE");

const checkoutSchema = z.object({
  shop: shopDomain.optional(),
  amount: decimalAmount,
  currency: z.string().regex(/^[A-Z]{3}$/, "currency must be an ISO 4217 code such as PEN").default("PEN"),
  test: z.boolean().default(false),
  kind: z.enum(["sale", "authorization"]).default("sale"),
  locale: locale.default("es"),
  merchantLocale: locale.default("es"),
  customer: z.record(z.string(), z.unknown()).nullable().optional(),
  /** The default Peruvian buyer, but without any phone number (the app must then ask for one). */
  withoutPhone: z.boolean().default(false),
});
const refundSchema = z.object({ amount: decimalAmount });
const faultSchema = z.object({
  kind: z.enum(["error500", "timeout", "throttled"]),
  count: z.number().int().min(1).max(10_000).default(1),
  api: z.enum(["payments", "admin", "any"]).default("payments"),
  apply: z.boolean().default(false),
});
const installSchema = z.object({ scope: z.string().optional(), accessToken: z.string().min(8).optional() });
const cancelSchema = z.object({ reason: z.enum(["customer", "inventory", "fraud", "declined", "other"]).default("customer") });
const complianceSchema = z.object({ email: z.email().optional(), phone: z.string().optional() });

export function mountControlRoutes(router: Router, context: SimulatorContext, registerApp: (app: RegisteredApp) => Promise<void>): void {
  const json = express.json({ limit: "1mb" });
  const state = context.state;

  router.get("/payments-platform-ca.pem", (_req, res) => {
    res.type("application/x-pem-file").send(context.clientIdentity.caPem);
  });

  router.put("/app", json, async (req, res) => {
    const parsed = parseRegistration(req.body);
    if (!parsed.ok) return fail(res, 400, parsed.message);
    await registerApp(parsed.app);
    res.json({ app: appView(parsed.app), paymentsPlatformCaPem: context.clientIdentity.caPem });
  });

  router.get("/app", (_req, res) => {
    if (state.app === null) return fail(res, 404, "No app registered: PUT /sandbox/shopify/app first");
    res.json({ app: appView(state.app) });
  });

  router.get("/shops", (_req, res) => {
    res.json({ shops: Object.values(state.shops).map(shopView) });
  });

  router.post("/shops", json, async (req, res) => {
    const parsed = z.object({ shop: shopDomain }).safeParse(req.body);
    if (!parsed.success) return fail(res, 400, firstIssue(parsed.error));
    if (state.shops[parsed.data.shop]) return fail(res, 409, `Shop ${parsed.data.shop} already exists`);
    const shop = createShop(context, parsed.data.shop);
    await context.store.save();
    res.status(201).json({ shop: shopView(shop) });
  });

  router.post("/shops/:shop/install", json, async (req, res) => {
    const domain = shopDomain.safeParse(req.params.shop);
    const body = installSchema.safeParse(req.body ?? {});
    if (!domain.success) return fail(res, 400, firstIssue(domain.error));
    if (!body.success) return fail(res, 400, firstIssue(body.error));
    const shop = state.shops[domain.data] ?? createShop(context, domain.data);
    const accessToken = installOffline(shop, body.data.scope ?? DEFAULT_SCOPES, body.data.accessToken);
    await context.store.save();
    res.json({ shop: shopView(shop), accessToken });
  });

  router.post("/shops/:shop/uninstall", async (req, res) => {
    const shop = state.shops[req.params.shop];
    if (shop === undefined) return fail(res, 404, `Shop ${req.params.shop} not found`);
    if (!shop.installed) return fail(res, 409, `The app is not installed on ${shop.domain}`);
    uninstall(context, shop);
    await context.store.save();
    const webhook = await maybeSendWebhook(context, "app/uninstalled", shop.domain, shopWebhookPayload(shop));
    res.json({ shop: shopView(shop), webhook });
  });

  router.post("/shops/:shop/compliance/*topic", json, async (req, res) => {
    const shop = state.shops[req.params.shop];
    const topic = (req.params.topic as string[]).join("/");
    if (shop === undefined) return fail(res, 404, `Shop ${req.params.shop} not found`);
    const complianceTopic = COMPLIANCE_TOPICS.find((candidate) => candidate === topic);
    if (complianceTopic === undefined) return fail(res, 400, `Unknown compliance topic ${topic}; use one of ${COMPLIANCE_TOPICS.join(", ")}`);
    if (state.app === null) return fail(res, 409, "No app registered: PUT /sandbox/shopify/app first");
    const url = webhookUrlFor(state.app, complianceTopic);
    if (url === null) return fail(res, 409, `No webhook URL registered for ${complianceTopic}`);
    const body = complianceSchema.safeParse(req.body ?? {});
    if (!body.success) return fail(res, 400, firstIssue(body.error));
    const orders = ordersOfShop(context, shop.domain);
    const email = body.data.email ?? orders.find((order) => order.email !== null)?.email ?? "maria.quispe@example.pe";
    const orderIds = orders.filter((order) => order.email === email).map((order) => order.legacyId);
    const payload = compliancePayload(complianceTopic, shop, orderIds, { email, phone: body.data.phone ?? null });
    const webhook = await sendWebhook(context, state.app, { topic: complianceTopic, shop: shop.domain, url, payload });
    await context.store.save();
    res.json({ webhook });
  });

  router.post("/checkouts", json, async (req, res) => {
    const parsed = checkoutSchema.safeParse(req.body ?? {});
    if (!parsed.success) return fail(res, 400, firstIssue(parsed.error));
    const input = parsed.data;
    const started = await startCheckout(context, {
      shop: input.shop ?? defaultShop(context),
      amountMinor: parseDecimalAmount(input.amount) as number,
      currency: input.currency,
      test: input.test,
      kind: input.kind,
      locale: input.locale,
      merchantLocale: input.merchantLocale,
      customer: input.customer === undefined && input.withoutPhone ? customerWithoutPhone(input.locale) : input.customer,
    });
    if (!started.ok) return failStart(res, started.error);
    const { session, attempt } = started.value;
    res.status(attempt.status === null ? 502 : 200).json(deliveryAnswer(session, attempt));
  });

  router.post("/checkouts/:id/resend", async (req, res) => {
    const session = state.paymentSessions[req.params.id];
    if (session === undefined) return fail(res, 404, `Payment session ${req.params.id} not found`);
    const resent = await resendPaymentSession(context, session);
    if (!resent.ok) return failStart(res, resent.error);
    res.status(resent.value.status === null ? 502 : 200).json(deliveryAnswer(session, resent.value));
  });

  router.get("/payment-sessions", (req, res) => {
    const shop = typeof req.query.shop === "string" ? req.query.shop : null;
    const sessions = Object.values(state.paymentSessions)
      .filter((session) => shop === null || session.shop === shop)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    res.json({ paymentSessions: sessions.map((session) => paymentSessionView(state, session, false)) });
  });

  router.get("/payment-sessions/:id", (req, res) => {
    const session = state.paymentSessions[req.params.id];
    if (session === undefined) return fail(res, 404, `Payment session ${req.params.id} not found`);
    res.json(paymentSessionView(state, session, true));
  });

  router.post("/payment-sessions/:id/refunds", json, async (req, res) => {
    const payment = state.paymentSessions[req.params.id];
    if (payment === undefined) return fail(res, 404, `Payment session ${req.params.id} not found`);
    const parsed = refundSchema.safeParse(req.body ?? {});
    if (!parsed.success) return fail(res, 400, firstIssue(parsed.error));
    const started = await startRefund(context, payment, parseDecimalAmount(parsed.data.amount) as number);
    if (!started.ok) return failStart(res, started.error);
    const { refund, attempt } = started.value;
    const { redirect_url: _unused, ...answer } = deliveryAnswer(refund, attempt);
    res.status(attempt.status === null ? 502 : 200).json(answer);
  });

  router.get("/refund-sessions", (req, res) => {
    const shop = typeof req.query.shop === "string" ? req.query.shop : null;
    const refunds = Object.values(state.refundSessions)
      .filter((refund) => shop === null || refund.shop === shop)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    res.json({ refundSessions: refunds.map((refund) => refundSessionView(refund, false)) });
  });

  router.get("/refund-sessions/:id", (req, res) => {
    const refund = state.refundSessions[req.params.id];
    if (refund === undefined) return fail(res, 404, `Refund session ${req.params.id} not found`);
    res.json(refundSessionView(refund, true));
  });

  router.post("/refund-sessions/:id/resend", async (req, res) => {
    const refund = state.refundSessions[req.params.id];
    if (refund === undefined) return fail(res, 404, `Refund session ${req.params.id} not found`);
    const resent = await resendRefundSession(context, refund);
    if (!resent.ok) return failStart(res, resent.error);
    const { redirect_url: _unused, ...answer } = deliveryAnswer(refund, resent.value);
    res.status(resent.value.status === null ? 502 : 200).json(answer);
  });

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

async function maybeSendWebhook(context: SimulatorContext, topic: WebhookTopic, shop: string, payload: unknown): Promise<WebhookDelivery | null> {
  const app = context.state.app;
  const url = app ? webhookUrlFor(app, topic) : null;
  if (app === null || url === null) {
    context.logger.info({ topic, shop }, "no webhook URL registered; webhook not sent");
    return null;
  }
  const delivery = await sendWebhook(context, app, { topic, shop, url, payload });
  await context.store.save();
  return delivery;
}

function fail(res: Response, status: number, message: string): void {
  res.status(status).json({ error: message });
}

function failStart(res: Response, error: SessionStartError): void {
  const { status, message } = errorMessage(error);
  fail(res, status, message);
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return "Invalid request";
  return issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}

function customerWithoutPhone(locale: string): Record<string, unknown> {
  const customer = defaultCustomer(locale);
  const strip = (address: unknown) => (address && typeof address === "object" ? { ...address, phone_number: null } : address);
  return { ...customer, phone_number: null, billing_address: strip(customer.billing_address), shipping_address: strip(customer.shipping_address) };
}
