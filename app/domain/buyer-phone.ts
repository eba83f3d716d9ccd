import { err, ok, type Result } from "../lib/result";

/**
 * A phone number the shopper typed on the buyer page, checked the way a person reads it: spaces,
 * dashes, dots and brackets are separators ("987 654 321", "987-654-321"); a Peruvian mobile is
 * 9 digits starting with 9 (and may come with its +51 / 0051 prefix); other countries' numbers are
 * 6 to 15 digits, the length PagoEfectivo's `userPhone` field allows (N 15, its v1 document).
 */

export interface BuyerPhoneNumber {
  /** "+51" */
  readonly countryCode: string;
  /** Digits only. */
  readonly number: string;
}

/** What is wrong, so the page can say it in words in the shopper's language. */
export type BuyerPhoneProblem =
  | { readonly kind: "empty" }
  | { readonly kind: "characters" }
  | { readonly kind: "peru_start" }
  | { readonly kind: "peru_length"; readonly digits: number }
  | { readonly kind: "other_length"; readonly digits: number }
  | { readonly kind: "country" };

const SEPARATORS = /[\s\-.()\u00a0]/g;
const COUNTRY_CODE = /^\+\d{1,4}$/;
const PERU = "+51";

export function parseBuyerPhone(countryCode: string, raw: string): Result<BuyerPhoneNumber, BuyerPhoneProblem> {
  if (!COUNTRY_CODE.test(countryCode)) return err({ kind: "country" });
  let digits = raw.replace(SEPARATORS, "");
  if (digits === "") return err({ kind: "empty" });
  if (!/^(\+|00)?\d+$/.test(digits)) return err({ kind: "characters" });
  digits = digits.replace(/^(\+|00)/, "");
  if (countryCode === PERU) {
    // "+51 987 654 321" typed in full next to the +51 already chosen.
    if (digits.length === 11 && digits.startsWith("51")) digits = digits.slice(2);
    if (!digits.startsWith("9")) return err({ kind: "peru_start" });
    if (digits.length !== 9) return err({ kind: "peru_length", digits: digits.length });
    return ok({ countryCode, number: digits });
  }
  if (digits.length < 6 || digits.length > 15) return err({ kind: "other_length", digits: digits.length });
  return ok({ countryCode, number: digits });
}
