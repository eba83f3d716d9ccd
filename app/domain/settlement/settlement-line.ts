import { type Currency } from "../money";

/**
 * One line of a settlement file as imported from the merchant portal's export. Only cip and amount are
 * guaranteed: the portal's format is not published, so every other column depends on what the merchant
 * mapped. Amounts are integer céntimos (minor units) of `currency`.
 */
export interface SettlementLineRecord {
  readonly cip: string;
  readonly amountMinor: number;
  readonly currency: Currency;
  readonly paymentDate?: Date | null;
  readonly channel?: string | null;
  readonly commissionMinor?: number | null;
  readonly netMinor?: number | null;
  readonly payoutDate?: Date | null;
  readonly operationNumber?: string | null;
  /** Physical line (CSV) or row number (XLSX) in the imported file, for the merchant to find it. */
  readonly lineNumber: number;
  readonly importId: string;
}
