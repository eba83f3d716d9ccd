import { z } from "zod";

import { count, currency, limaDate, minor } from "./common";

export const granularity = z.enum(["day", "week", "month"]);
export type Granularity = z.infer<typeof granularity>;

const totals = z.strictObject({ count, grossMinor: minor, commissionMinor: minor, netMinor: minor, linesWithoutCommission: count });

/** GET /api/reports/settlements: PEN and USD never added together. */
export const settlementReportAnswer = z.strictObject({
  granularity,
  basis: z.enum(["payment", "payout"]),
  from: limaDate.nullable(),
  to: limaDate.nullable(),
  rows: z.array(totals.extend({ period: z.string().nullable(), periodStart: limaDate.nullable(), channel: z.string().nullable(), currency })),
  totals: z.strictObject({ PEN: totals, USD: totals }),
});
export type SettlementReportAnswer = z.infer<typeof settlementReportAnswer>;

const moneyTotals = z.strictObject({ count, grossMinor: minor, commissionMinor: minor, netMinor: minor });

/** GET /api/reports/upcoming-payouts */
export const upcomingPayoutsAnswer = z.strictObject({
  from: limaDate,
  to: limaDate,
  rows: z.array(
    z.strictObject({
      date: limaDate,
      /** "expected": paid and not in any file yet, dated by the payout cycle. */
      source: z.enum(["settlement_file", "expected"]),
      currency,
      payoutCurrency: currency,
      channel: z.string().nullable(),
      count,
      grossMinor: minor,
      commissionMinor: minor,
      netMinor: minor,
      withoutCommission: count,
    }),
  ),
  totals: z.strictObject({ PEN: moneyTotals, USD: moneyTotals }),
  overdue: z.strictObject({ PEN: z.strictObject({ count, grossMinor: minor }), USD: z.strictObject({ count, grossMinor: minor }) }),
});
export type UpcomingPayoutsAnswer = z.infer<typeof upcomingPayoutsAnswer>;

/** GET /api/reports/settlements and its CSV export. */
export const settlementReportQuery = z
  .object({
    granularity: z.enum(granularity.options, { error: "must be day, week or month" }).default("day"),
    basis: z.enum(["payment", "payout"], { error: "must be payment or payout" }).default("payment"),
    from: limaDate.optional(),
    to: limaDate.optional(),
    currency: z.enum(currency.options, { error: "must be PEN or USD" }).optional(),
  })
  .refine((value) => !value.from || !value.to || value.from <= value.to, { path: ["from"], message: "must not be after to" });

/** GET /api/reports/upcoming-payouts and its CSV export. */
export const upcomingPayoutsQuery = z.object({ days: z.coerce.number().int().min(1).max(90).default(14) });
