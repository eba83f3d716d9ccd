import { type Response } from "express";
import { z } from "zod";

import { errorMessage, type SessionStartError } from "./checkouts";
import { type SimulatorContext } from "./simulator-context";
import { type WebhookDelivery } from "./simulator-types";
import { parseDecimalAmount, SHOP_DOMAIN } from "./simulator-values";
import { sendWebhook, type WebhookTopic, webhookUrlFor } from "./webhooks";

/** Shared by the simulator's control routes: request schemas, error answers, sending a webhook when one is registered. */
export const shopDomain = z.string().regex(SHOP_DOMAIN, "shop must be a *.myshopify.com domain, e.g. demo-shop.myshopify.com");
export const decimalAmount = z
  .string({ error: 'amount must be a decimal string such as "150.00"' })
  .refine((value) => (parseDecimalAmount(value) ?? 0) > 0, { message: 'amount must be a positive decimal string such as "150.00"' });
export const locale = z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, "locale must look like es or es-PE");

export async function maybeSendWebhook(context: SimulatorContext, topic: WebhookTopic, shop: string, payload: unknown): Promise<WebhookDelivery | null> {
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

export function fail(res: Response, status: number, message: string): void {
  res.status(status).json({ error: message });
}

export function failStart(res: Response, error: SessionStartError): void {
  const { status, message } = errorMessage(error);
  fail(res, status, message);
}

export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return "Invalid request";
  return issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}
