import express, { type Router } from "express";
import { z } from "zod";

import { appView, parseRegistration } from "./app-registration";
import { fail, firstIssue, maybeSendWebhook,shopDomain } from "./control-common";
import { ordersOfShop } from "./orders";
import { createShop, DEFAULT_SCOPES, installOffline, shopView, uninstall } from "./shops";
import { type SimulatorContext } from "./simulator-context";
import { type RegisteredApp } from "./simulator-types";
import { COMPLIANCE_TOPICS, compliancePayload, sendWebhook, shopWebhookPayload, webhookUrlFor } from "./webhooks";

const installSchema = z.object({ scope: z.string().optional(), accessToken: z.string().min(8).optional() });
const complianceSchema = z.object({ email: z.email().optional(), phone: z.string().optional() });

/** Control API: the registered app (as `shopify app deploy` leaves it), shops, installs, uninstalls and compliance webhooks. */
export function mountShopControlRoutes(router: Router, context: SimulatorContext, registerApp: (app: RegisteredApp) => Promise<void>): void {
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
}
