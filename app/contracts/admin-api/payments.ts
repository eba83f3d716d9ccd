import { z } from "zod";

import { REJECTION_CODES } from "../../domain/rejection-reason";
import { currency, instant, minor, paged } from "./common";
import { refundAnswer } from "./refunds";

export const PAYMENT_STATES = ["awaiting_phone", "pending", "paid", "expired", "rejected", "cancelled"] as const;
export const paymentState = z.enum(PAYMENT_STATES);
export type PaymentState = z.infer<typeof paymentState>;

/** One row of GET /api/payments. */
export const paymentRowAnswer = z.strictObject({
  id: z.string(),
  createdAt: instant,
  state: paymentState,
  amountMinor: minor,
  currency,
  test: z.boolean(),
  cip: z.string().nullable(),
  orderName: z.string().nullable(),
  email: z.string().nullable(),
  paidAt: instant.nullable(),
  cipExpiresAt: instant.nullable(),
});
export type PaymentRowAnswer = z.infer<typeof paymentRowAnswer>;

/** The total may be counted only up to a bound (a shop with very many payments): then it is a lower bound. */
export const paymentListAnswer = paged(paymentRowAnswer).extend({ totalIsLowerBound: z.boolean().optional() });
export type PaymentListAnswer = z.infer<typeof paymentListAnswer>;

export const customer = z.strictObject({ name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() });
export type Customer = z.infer<typeof customer>;

export const timelineEntry = z.strictObject({
  at: instant,
  kind: z.enum(["event", "notification", "delivery"]),
  type: z.string(),
  title: z.string(),
  /** Facts of the entry (signature check, outcome, status, error...), shown as a definition list. */
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export type TimelineEntryAnswer = z.infer<typeof timelineEntry>;

const orderSummary = z.strictObject({ id: z.string(), name: z.string(), financialStatus: z.string() });
/** How a payment's order was linked: by documented facts (exact, high, medium) or by the merchant. */
export const linkConfidence = z.enum(["exact", "high", "medium", "merchant"]);

/** PUT and DELETE /api/payments/:id/order: the merchant's link (order null: no order). */
export const orderLinkAnswer = z.strictObject({ order: orderSummary.nullable(), linkConfidence: z.literal("merchant") });
export type OrderLinkAnswer = z.infer<typeof orderLinkAnswer>;

/** GET /api/payments/:id */
export const paymentDetailAnswer = z.strictObject({
  payment: paymentRowAnswer.extend({
    gid: z.string(),
    cipUrl: z.string().nullable(),
    buyer: customer,
    order: orderSummary.nullable(),
    linkConfidence: linkConfidence.nullable(),
    shopifyState: z.string().nullable(),
    /** Why Shopify was told the payment failed, as a code the panel words (app/domain/rejection-reason.ts). */
    rejectionCode: z.enum(REJECTION_CODES).nullable(),
    /** The same as the app recorded it (in English): technical detail. */
    rejectionReason: z.string().nullable(),
    paidAmountMinor: minor.nullable(),
    operationNumber: z.string().nullable(),
    paidVia: z.string().nullable(),
  }),
  timeline: z.array(timelineEntry),
  refunds: z.array(refundAnswer),
});
export type PaymentDetailAnswer = z.infer<typeof paymentDetailAnswer>;

const dateKey = z.iso.date({ error: "must be a date like 2026-11-27" });

/** GET /api/payments and its CSV export: the filters (the `from`/`to` days are read in the shop's time zone). */
export const paymentListQuery = z
  .object({
    state: z
      .string()
      .transform((value) => [...new Set(value.split(",").map((s) => s.trim()).filter(Boolean))])
      .pipe(z.array(z.enum(PAYMENT_STATES, { error: `each state must be one of ${PAYMENT_STATES.join(", ")}` })))
      .optional(),
    from: dateKey.optional(),
    to: dateKey.optional(),
    currency: z.enum(currency.options, { error: `must be ${currency.options.join(" or ")}` }).optional(),
    test: z
      .enum(["true", "false"], { error: 'must be "true" or "false"' })
      .transform((value) => value === "true")
      .optional(),
    q: z.string().trim().max(100, "must be at most 100 characters").optional(),
    sort: z.enum(["createdAt", "amount", "state"], { error: "must be createdAt, amount or state" }).default("createdAt"),
    direction: z.enum(["asc", "desc"], { error: "must be asc or desc" }).default("desc"),
  })
  .refine((value) => !value.from || !value.to || value.from <= value.to, { path: ["to"], message: "must not be before from" });

/** ?lang= of the CSV exports and the evidence bundle: the language of the words (default: the shop's). */
export const langQuery = z.object({ lang: z.enum(["es", "en"]).optional() });

/** PUT /api/payments/:id/order */
export const orderLinkRequest = z.object({ orderId: z.string().trim().min(1, "orderId is required").max(255) });
