import { z } from "zod";

import type { Currency } from "../money";
import type { PayoutCycle } from "./payout-calendar";

const currency = z.enum(["PEN", "USD"]);

/**
 * The payout terms as the merchant sets them (and as stored in Shop.payoutCycleJson): T+n business days per
 * channel (names compared ignoring case and accents), n for any other channel, the Lima hour after which a
 * payment counts as received the next day, extra non-working days, and the currency each payment currency
 * is paid out in.
 */
export const payoutTermsInputSchema = z.strictObject({
  daysByChannel: z.record(z.string().trim().min(1).max(60), z.number().int().min(0).max(30)).default({}),
  defaultDays: z.number().int().min(0).max(30),
  cutoffHour: z.number().int().min(0).max(23).nullable().default(null),
  extraClosedDays: z.array(z.iso.date()).max(200).default([]),
  settlementCurrencies: z.strictObject({ PEN: currency, USD: currency }).default({ PEN: "PEN", USD: "USD" }),
});

export type PayoutTermsInput = z.output<typeof payoutTermsInputSchema>;

export function termsFromInput(input: PayoutTermsInput): PayoutTerms {
  return {
    cycle: { daysByChannel: input.daysByChannel, defaultDays: input.defaultDays, cutoffHour: input.cutoffHour },
    extraClosedDays: input.extraClosedDays,
    settlementCurrencies: input.settlementCurrencies,
  };
}

export function termsToView(terms: PayoutTerms): PayoutTermsInput {
  return {
    daysByChannel: { ...terms.cycle.daysByChannel },
    defaultDays: terms.cycle.defaultDays,
    cutoffHour: terms.cycle.cutoffHour ?? null,
    extraClosedDays: [...terms.extraClosedDays],
    settlementCurrencies: { ...terms.settlementCurrencies },
  };
}

/** Stored JSON to terms; anything unreadable means "not configured" (the defaults). */
export function parseStoredTerms(json: string | null): { terms: PayoutTerms; configured: boolean } {
  if (!json) return { terms: DEFAULT_PAYOUT_TERMS, configured: false };
  try {
    const parsed = payoutTermsInputSchema.safeParse(JSON.parse(json));
    if (parsed.success) return { terms: termsFromInput(parsed.data), configured: true };
  } catch {
    // fall through
  }
  return { terms: DEFAULT_PAYOUT_TERMS, configured: false };
}

/** The shop's contract terms: payout cycle per channel, the calendar's extra closed days, payout currencies. */
export interface PayoutTerms {
  readonly cycle: PayoutCycle;
  /** Lima dates the government declared non-working that the holiday library does not carry. */
  readonly extraClosedDays: readonly string[];
  /** The currency each payment currency is paid out in (a PEN-only account receives USD converted). */
  readonly settlementCurrencies: Readonly<Record<Currency, Currency>>;
}

/**
 * PagoEfectivo publishes no payout cycle; until the merchant sets the one in their contract, payments are
 * expected two business days after the processing day, with no cut-off hour.
 */
export const DEFAULT_PAYOUT_TERMS: PayoutTerms = {
  cycle: { daysByChannel: {}, defaultDays: 2, cutoffHour: null },
  extraClosedDays: [],
  settlementCurrencies: { PEN: "PEN", USD: "USD" },
};
