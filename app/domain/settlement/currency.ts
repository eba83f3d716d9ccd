/**
 * The currencies PagoEfectivo settles. Kept local to the settlement and reconciliation modules so they do
 * not depend on the app-wide Money type while it is being written; the two unions are identical.
 */
export type Currency = "PEN" | "USD";

export const CURRENCIES: readonly Currency[] = ["PEN", "USD"];

export function isCurrency(value: unknown): value is Currency {
  return value === "PEN" || value === "USD";
}
