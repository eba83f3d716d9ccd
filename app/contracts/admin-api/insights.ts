import { z } from "zod";

import { count, limaDate, minor } from "./common";

export const timeToPayBucket = z.enum(["under_1h", "1h_6h", "6h_24h", "24h_48h", "48h_72h", "over_72h"]);
export type TimeToPayBucketWire = z.infer<typeof timeToPayBucket>;

/**
 * GET /api/reports/payment-insights?from&to (Lima dates, inclusive; default the last 30 days): of the
 * shoppers who chose PagoEfectivo, how many paid, let the code expire or can still pay; minutes from CIP to
 * payment; paid per channel (channel null = not known: PagoEfectivo's notification carries none, only an
 * imported settlement file does) and per Lima hour of day.
 */
export const paymentInsightsAnswer = z.strictObject({
  from: limaDate,
  to: limaDate,
  chose: count,
  withoutCode: count,
  issued: count,
  paid: count,
  paidLate: count,
  expired: count,
  pending: count,
  cancelled: count,
  paidMinor: z.strictObject({ PEN: minor, USD: minor }),
  timeToPay: z.strictObject({
    medianMinutes: count.nullable(),
    p90Minutes: count.nullable(),
    buckets: z.array(z.strictObject({ bucket: timeToPayBucket, count })),
  }),
  channels: z.array(z.strictObject({ channel: z.string().nullable(), paid: count })),
  hours: z.array(z.strictObject({ hour: z.number().int().min(0).max(23), issued: count, paidOfIssued: count, paidAtHour: count })),
});
export type PaymentInsightsAnswer = z.infer<typeof paymentInsightsAnswer>;

/** A year of Lima days at most, so one request never reads a shop's whole history. */
export const INSIGHTS_MAX_DAYS = 366;

/** GET /api/reports/payment-insights and its CSV export. */
export const paymentInsightsQuery = z
  .object({ from: limaDate.optional(), to: limaDate.optional() })
  .refine((value) => !value.from || !value.to || value.from <= value.to, { path: ["from"], message: "must not be after to" })
  .refine((value) => !value.from || !value.to || Date.parse(value.to) - Date.parse(value.from) <= (INSIGHTS_MAX_DAYS - 1) * 86_400_000, {
    path: ["from"],
    message: `the period is at most ${INSIGHTS_MAX_DAYS} days`,
  });
