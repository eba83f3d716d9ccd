import { z } from "zod";

import type { PayoutTerms } from "../../ports/reconciliation";
import { DEFAULT_PAYOUT_TERMS } from "./settlement-expectations";

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
