import { type Currency, parseCurrency } from "../../domain/money";

/**
 * A currency read back from the app's own database. Only validated currencies are ever written (domain/money
 * parseCurrency at every edge), so anything else is a corrupt row: it is reported as an error naming the row,
 * never read as PEN by default.
 */
export class UnknownStoredCurrency extends Error {
  constructor(
    readonly value: unknown,
    readonly where: string,
  ) {
    super(`Unknown currency ${JSON.stringify(value)} in ${where}`);
    this.name = "UnknownStoredCurrency";
  }
}

export function storedCurrency(value: unknown, where: string): Currency {
  const parsed = parseCurrency(value);
  if (!parsed.ok) throw new UnknownStoredCurrency(value, where);
  return parsed.value;
}

export function storedCurrencyOrNull(value: unknown, where: string): Currency | null {
  return value === null || value === undefined ? null : storedCurrency(value, where);
}
