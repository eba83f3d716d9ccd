import express, { type Router } from "express";
import { z } from "zod";

import { defaultShop, deliveryAnswer, resendPaymentSession, resendRefundSession, startCheckout, startRefund } from "./checkouts";
import { decimalAmount, fail, failStart, firstIssue,locale, shopDomain } from "./control-common";
import { defaultCustomer } from "./session-requests";
import { paymentSessionView, refundSessionView } from "./session-views";
import { type SimulatorContext } from "./simulator-context";
import { parseDecimalAmount } from "./simulator-values";

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

/** Control API: checkouts (payment sessions sent to the app), their resends, refunds, and the sessions with their mutation records. */
export function mountSessionControlRoutes(router: Router, context: SimulatorContext): void {
  const json = express.json({ limit: "1mb" });
  const state = context.state;

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
}

function customerWithoutPhone(locale: string): Record<string, unknown> {
  const customer = defaultCustomer(locale);
  const strip = (address: unknown) => (address && typeof address === "object" ? { ...address, phone_number: null } : address);
  return { ...customer, phone_number: null, billing_address: strip(customer.billing_address), shipping_address: strip(customer.shipping_address) };
}
