/**
 * RUC (Registro Único de Contribuyentes), Peru's 11-digit taxpayer number, printed on every export so the
 * merchant's accountant can file it. Prefixes: 10 (person), 15 and 17 (non-resident and special person
 * cases), 16 (older person registrations), 20 (company). The last digit is SUNAT's modulo-11 check digit.
 */
export type RucValidation =
  | { readonly valid: true }
  | { readonly valid: false; readonly reason: RucInvalidReason };

export type RucInvalidReason = "not_11_digits" | "unknown_prefix" | "bad_check_digit";

const WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;
const PREFIXES = new Set(["10", "15", "16", "17", "20"]);

/** Validates exactly what it is given: no trimming, no separators; clean the input at the form edge. */
export function validateRuc(ruc: string): RucValidation {
  if (!/^\d{11}$/.test(ruc)) return { valid: false, reason: "not_11_digits" };
  if (!PREFIXES.has(ruc.slice(0, 2))) return { valid: false, reason: "unknown_prefix" };
  if (rucCheckDigit(ruc.slice(0, 10)) !== Number(ruc[10])) return { valid: false, reason: "bad_check_digit" };
  return { valid: true };
}

/**
 * SUNAT's check digit for the first ten digits: the sum of each digit times 5,4,3,2,7,6,5,4,3,2, then
 * 11 − (sum mod 11), where 10 becomes 0 and 11 becomes 1.
 */
export function rucCheckDigit(firstTen: string): number {
  if (!/^\d{10}$/.test(firstTen)) throw new RangeError("rucCheckDigit takes exactly ten digits");
  let sum = 0;
  for (let i = 0; i < 10; i += 1) sum += Number(firstTen[i]) * (WEIGHTS[i] ?? 0);
  const digit = 11 - (sum % 11);
  return digit === 10 ? 0 : digit === 11 ? 1 : digit;
}
