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

/** POST /api/refunds/:id/record: how the money went back; `refundedOn` is a Lima day, not in the future. */
export const recordRefundRequest = z.strictObject({
  method: refundMethod,
  reference: z.string(),
  refundedOn: limaDate,
  note: z.string().optional(),
});
export type RecordRefundRequest = z.infer<typeof recordRefundRequest>;

/** POST /api/refunds/:id/reject */
export const rejectRefundRequest = z.strictObject({ reason: z.string() });
export type RejectRefundRequest = z.infer<typeof rejectRefundRequest>;
