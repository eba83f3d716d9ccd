import { USD_TO_PEN_RATE_PERCENT } from "./guesses";

/**
 * Amounts inside the emulator are integer céntimos; decimal text exists only where the vendor contract needs it.
 */
export type EmulatorCurrency = "PEN" | "USD";

/** Up to 16 integer digits and at most 2 decimals, no sign, no exponent: the N18 field of the technical document. */
const AMOUNT_LITERAL = /^(\d{1,16})(?:\.(\d{1,2}))?$/;

/** "150.00" / "150.5" / "150" -> 15000 / 15050 / 15000; null when the text is not such an amount. */
export function parseAmountLiteral(text: string): number | null {
  const m = AMOUNT_LITERAL.exec(text);
  if (!m) return null;
  const units = m[1] ?? "0";
  const cents = (m[2] ?? "").padEnd(2, "0");
  const minor = BigInt(units) * 100n + BigInt(cents);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(minor);
}

/** 15000 -> "150.00": the exact literal written into notifications and the control API. */
export function formatMinor(minor: number): string {
  const units = Math.trunc(minor / 100);
  const cents = minor % 100;
  return `${units}.${String(cents).padStart(2, "0")}`;
}

/**
 * 15000 -> 150, 15050 -> 150.5: the unformatted JSON number the v1 API answers with. Dividing a safe integer by
 * 100 yields the double nearest to the two-decimal value, which JSON prints as that value.
 */
export function minorToJsonNumber(minor: number): number {
  return minor / 100;
}

/** "S/ 1,500.00" / "US$ 20.00" for the voucher page. */
export function formatForPeople(minor: number, currency: EmulatorCurrency): string {
  const [units = "0", cents = "00"] = formatMinor(minor).split(".");
  const grouped = units.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${currency === "PEN" ? "S/" : "US$"} ${grouped}.${cents}`;
}

/**
 * The merchant maximum is configured in PEN; a USD amount is compared at a fixed indicative rate (a guess,
 * G-USD-RATE). The real rate is PagoEfectivo's business; a fixed one keeps the sandbox deterministic.
 */

export function toPenEquivalentMinor(minor: number, currency: EmulatorCurrency): number {
  return currency === "PEN" ? minor : Math.ceil((minor * USD_TO_PEN_RATE_PERCENT) / 100);
}
