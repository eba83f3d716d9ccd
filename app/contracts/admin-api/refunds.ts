import { z } from "zod";

import { count, currency, instant, limaDate, minor } from "./common";

export const REFUND_STATES = ["awaiting_merchant", "resolved", "rejected"] as const;
export const refundState = z.enum(REFUND_STATES);
export type RefundState = z.infer<typeof refundState>;

export const REFUND_METHODS = ["bank_transfer", "yape", "plin", "cash", "store_credit", "other"] as const;
export const refundMethod = z.enum(REFUND_METHODS);
export type RefundMethod = z.infer<typeof refundMethod>;

/** A manual refund, with the buyer to pay back (by Yape, Plin or transfer the merchant needs them). */
export const refundAnswer = z.strictObject({
  id: z.string(),
  paymentSessionId: z.string(),
  cip: z.string().nullable(),
  orderName: z.string().nullable(),
  customer: z.strictObject({ name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() }),
  amountMinor: minor,
  currency,
  createdAt: instant,
  state: refundState,
  method: refundMethod.nullable(),
  reference: z.string().nullable(),
  refundedOn: limaDate.nullable(),
  note: z.string().nullable(),
  rejectReason: z.string().nullable(),
  decidedAt: instant.nullable(),
});
export type RefundAnswer = z.infer<typeof refundAnswer>;

/** GET /api/refunds */
export const refundListAnswer = z.strictObject({ items: z.array(refundAnswer), total: count });
export type RefundListAnswer = z.infer<typeof refundListAnswer>;

/** GET /api/refunds: the queue by state (none: every state). */
export const refundListQuery = z.object({
  state: z.enum(REFUND_STATES, { error: "must be awaiting_merchant, resolved or rejected" }).optional(),
});

/** POST /api/refunds/:id/record: how the money went back; `refundedOn` is a Lima day, not in the future (the use case checks). */
export const recordRefundRequest = z.object({
  method: z.enum(REFUND_METHODS, { error: `method must be one of ${REFUND_METHODS.join(", ")}` }),
  reference: z.string().trim().min(1, "reference is required (e.g. the bank transfer number)").max(120),
  refundedOn: z.iso.date({ error: "refundedOn must be a date like 2026-11-27" }),
  note: z.string().trim().max(500).optional(),
});
export type RecordRefundRequest = z.input<typeof recordRefundRequest>;
export type RecordRefundRequestParsed = z.output<typeof recordRefundRequest>;

/** POST /api/refunds/:id/reject */
export const rejectRefundRequest = z.object({
  reason: z.string().trim().min(3, "reason is required").max(255),
});
export type RejectRefundRequest = z.input<typeof rejectRefundRequest>;
