import { z } from "zod";

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

export const paymentListAnswer = paged(paymentRowAnswer);
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

/** GET /api/payments/:id */
export const paymentDetailAnswer = z.strictObject({
  payment: paymentRowAnswer.extend({
    gid: z.string(),
    cipUrl: z.string().nullable(),
    buyer: customer,
    order: z.strictObject({ id: z.string(), name: z.string(), financialStatus: z.string() }).nullable(),
    shopifyState: z.string().nullable(),
    rejectionReason: z.string().nullable(),
    paidAmountMinor: minor.nullable(),
    operationNumber: z.string().nullable(),
    paidVia: z.string().nullable(),
  }),
  timeline: z.array(timelineEntry),
  refunds: z.array(refundAnswer),
});
export type PaymentDetailAnswer = z.infer<typeof paymentDetailAnswer>;
