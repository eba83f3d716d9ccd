import { formatForDisplay } from "../../../app/domain/money";
import type { Currency } from "../api/types";

/**
 * "S/ 1,234.50", "US$ 150.00": the same es-PE display the buyer page uses, computed from integer
 * minor units with string arithmetic (the shared domain helper), never through floats.
 */
export function formatMoney(amountMinor: number, currency: Currency): string {
  if (!Number.isSafeInteger(amountMinor)) return `${currency} ?`;
  return formatForDisplay({ amountMinor, currency }, "es");
}
