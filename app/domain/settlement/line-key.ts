import { type Currency } from "../money";

export interface LineKeyInput {
  readonly cip: string;
  readonly operationNumber?: string | null;
  readonly paymentDate?: Date | null;
  readonly amountMinor: number;
  readonly currency: Currency;
}

/**
 * A stable identity for a settlement line, so importing the same export twice (or two overlapping
 * exports) stores each payment once. PagoEfectivo's operation number identifies one payment of a CIP;
 * without it, the CIP with its payment instant and amount is the best available identity. Two genuine
 * payments of one CIP at the same second for the same amount would collide, which is acceptable: they
 * would be reported as a duplicate anyway.
 */
export function settlementLineKey(line: LineKeyInput): string {
  const operation = line.operationNumber?.trim();
  if (operation) return `op:${line.cip}:${operation}`;
  const when = line.paymentDate ? line.paymentDate.toISOString() : "";
  return `dt:${line.cip}:${when}:${line.currency}:${line.amountMinor}`;
}
