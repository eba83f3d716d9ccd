import { type Currency } from "../money";
import { normalizeChannel } from "./channel";

/** Matches every channel that has no entry of its own. */
export const ANY_CHANNEL = "*";

/**
 * One row of a shop's fee schedule: commission = amount × percentBps / 10 000 + fixedMinor, from
 * `effectiveFrom` on. PagoEfectivo publishes no fee schedule, so the merchant enters what their contract
 * says. `taxBps` (e.g. 1800 for Peru's 18 % IGV) is applied on top of the commission when the portal
 * reports commission including tax; leave it out when it reports commission before tax.
 */
export interface FeeScheduleEntry {
  readonly currency: Currency;
  /** A channel name (compared after normalizeChannel) or "*" for every other channel. */
  readonly channel: string;
  /** Basis points: 289 = 2.89 %. */
  readonly percentBps: number;
  /** Fixed amount per payment in céntimos of `currency`. */
  readonly fixedMinor: number;
  readonly taxBps?: number;
  readonly effectiveFrom: Date;
}

export type FeeSchedule = readonly FeeScheduleEntry[];

export interface CommissionInput {
  readonly amountMinor: number;
  readonly currency: Currency;
  readonly channel?: string | null;
  readonly paymentDate?: Date | null;
}

/**
 * The commission the shop's schedule predicts for a payment, in céntimos, or null when no entry applies
 * (no entry for the currency, or none in force on the payment date, or no payment date to decide by).
 *
 * Choosing the entry: only entries for the payment's currency in force on the payment date
 * (effectiveFrom ≤ paymentDate) count. An entry for the payment's own channel beats "*" even when the "*"
 * entry is newer, because a channel entry is an override the merchant set on purpose; among entries of
 * the same specificity the latest effectiveFrom wins.
 *
 * Rounding: the percentage part plus the fixed part is rounded half-up to whole céntimos once (S/ 0.005
 * becomes S/ 0.01); tax is then computed on that commission and rounded half-up again, the way an
 * invoice line is taxed. Negative amounts (reversals) are computed on the absolute value and given the
 * sign back, so a reversal mirrors the commission of the payment.
 */
export function expectedCommission(schedule: FeeSchedule, payment: CommissionInput): number | null {
  const entry = selectFeeEntry(schedule, payment);
  if (!entry) return null;
  const sign = payment.amountMinor < 0 ? -1 : 1;
  const amount = Math.abs(payment.amountMinor);
  // amount × bps stays far below 2^53 for any amount PagoEfectivo accepts (≤ S/ 385 000), so this is exact.
  const commission = divideRoundHalfUp(amount * entry.percentBps + entry.fixedMinor * 10_000, 10_000);
  const tax = entry.taxBps ? divideRoundHalfUp(commission * entry.taxBps, 10_000) : 0;
  return sign * (commission + tax);
}

/** The schedule entry that applies to a payment, per the rules of expectedCommission. */
export function selectFeeEntry(schedule: FeeSchedule, payment: CommissionInput): FeeScheduleEntry | null {
  if (!payment.paymentDate) return null;
  const at = payment.paymentDate.getTime();
  const channel = payment.channel ? normalizeChannel(payment.channel) : null;
  let specific: FeeScheduleEntry | null = null;
  let general: FeeScheduleEntry | null = null;
  for (const entry of schedule) {
    if (entry.currency !== payment.currency || entry.effectiveFrom.getTime() > at) continue;
    if (entry.channel === ANY_CHANNEL) {
      if (!general || entry.effectiveFrom.getTime() > general.effectiveFrom.getTime()) general = entry;
    } else if (channel !== null && normalizeChannel(entry.channel) === channel) {
      if (!specific || entry.effectiveFrom.getTime() > specific.effectiveFrom.getTime()) specific = entry;
    }
  }
  return specific ?? general;
}

/** Validation a schedule editor can show: non-negative integers, known currency, a valid date. */
export function feeEntryProblems(entry: FeeScheduleEntry): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(entry.percentBps) || entry.percentBps < 0 || entry.percentBps > 10_000) {
    problems.push("percentBps must be an integer between 0 and 10000");
  }
  if (!Number.isSafeInteger(entry.fixedMinor) || entry.fixedMinor < 0) {
    problems.push("fixedMinor must be a non-negative integer");
  }
  if (entry.taxBps !== undefined && (!Number.isInteger(entry.taxBps) || entry.taxBps < 0 || entry.taxBps > 10_000)) {
    problems.push("taxBps must be an integer between 0 and 10000");
  }
  if (Number.isNaN(entry.effectiveFrom.getTime())) problems.push("effectiveFrom is not a valid date");
  if (entry.channel.trim() === "") problems.push('channel must be a name or "*"');
  return problems;
}

/** Half-up integer division for a non-negative numerator and an even denominator, without float division. */
function divideRoundHalfUp(numerator: number, denominator: number): number {
  const shifted = numerator + denominator / 2;
  return (shifted - (shifted % denominator)) / denominator;
}
