import { z } from "zod";

import { appMode, count, currency, instant, limaDate, locale, minor } from "./common";

/** GET /api/session: who is signed in, in which shop, and the app's clock (the sandbox can move it). */
export const sessionAnswer = z.strictObject({
  shop: z.strictObject({ domain: z.string(), name: z.string(), locale, timezone: z.string() }),
  user: z.strictObject({ email: z.string().nullable(), firstName: z.string().nullable(), lastName: z.string().nullable(), locale: z.string().nullable() }),
  mode: appMode,
  appUrl: z.string(),
  /** The app's "now": date defaults in the panel follow it, not the browser's clock. */
  now: instant,
});
export type SessionAnswer = z.infer<typeof sessionAnswer>;

/** GET /api/setup: the home checklist. */
export const setupAnswer = z.strictObject({
  steps: z.strictObject({ credentials: z.boolean(), connectionTested: z.boolean(), notificationUrlConfirmed: z.boolean(), activated: z.boolean() }),
  notificationUrl: z.string(),
});
export type SetupAnswer = z.infer<typeof setupAnswer>;

/**
 * GET /api/summary/today: the checkouts started today (shop's time zone), split by where they are now.
 * The buckets partition `started`: paid + pending + expired + other === started.
 */
export const todaySummaryAnswer = z.strictObject({
  date: limaDate,
  started: count,
  paid: count,
  /** Waiting to be paid, including those still waiting for the buyer's phone. */
  pending: count,
  expired: count,
  /** Rejected or cancelled. */
  other: count,
  totals: z.array(z.strictObject({ currency, paidMinor: minor, pendingMinor: minor })),
});
export type TodaySummaryAnswer = z.infer<typeof todaySummaryAnswer>;
