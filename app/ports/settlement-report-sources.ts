import type { Currency } from "../domain/money";
import type { ReportDateBasis, ReportLineGroup } from "../domain/settlement/settlement-report";

/** A settlement line as the reports read it (instants as epoch milliseconds). */
export interface ReportSourceLine {
  readonly amountMinor: number;
  readonly currency: Currency;
  readonly paymentDateMs: number | null;
  readonly payoutDateMs: number | null;
  readonly channel: string | null;
  readonly commissionMinor: number | null;
  readonly netMinor: number | null;
}

/** A paid payment that no settlement line covers yet. */
export interface UnsettledPayment {
  readonly cip: string;
  readonly amountMinor: number;
  readonly currency: Currency;
  readonly paidAt: Date;
  readonly channel: string | null;
}

export interface ReportSources {
  linePages(
    shopId: string,
    filter: { basis: ReportDateBasis; from: Date | null; to: Date | null; currency: Currency | null },
  ): AsyncIterable<readonly ReportSourceLine[]>;
  /**
   * The same lines summed by the database per Lima day, channel and currency, in order of each group's
   * first line (so a channel keeps its first spelling). Optional: without it the report reads every line.
   */
  lineGroups?(
    shopId: string,
    filter: { basis: ReportDateBasis; from: Date | null; to: Date | null; currency: Currency | null },
  ): Promise<readonly ReportLineGroup[]>;
  /** Paid payments since `since` that no settlement line mentions. */
  unsettledPayments(shopId: string, since: Date): Promise<UnsettledPayment[]>;
}

/** A paid payment session of the shop, as the sample file is built from. */
export interface SamplePayment {
  readonly cip: string;
  readonly amountMinor: number;
  readonly currency: Currency;
  readonly paidAt: Date;
  readonly operationNumber: string | null;
  readonly channel: string | null;
}

/** Sandbox only (app/adapters/pagoefectivo/emulator-payments.ts): a payment the PagoEfectivo emulator recorded for a CIP (with the channel it was paid at). */
export interface EmulatorPayment {
  readonly operationNumber: string;
  readonly paidAt: Date;
  readonly amountMinor: number;
  readonly currency: Currency;
  readonly channel: string;
}
