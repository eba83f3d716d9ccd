import { type CommissionInput, expectedCommission, type FeeSchedule } from "../../domain/settlement/fee-schedule";
import { type PayoutCycle, payoutDaysFor,PeruBusinessCalendar } from "../../domain/settlement/payout-calendar";
import type { PayoutTerms } from "../../ports/reconciliation";

/**
 * PagoEfectivo publishes no payout cycle; until the merchant sets the one in their contract, payments are
 * expected two business days after the processing day, with no cut-off hour.
 */
export const DEFAULT_PAYOUT_TERMS: PayoutTerms = {
  cycle: { daysByChannel: {}, defaultDays: 2, cutoffHour: null },
  extraClosedDays: [],
  settlementCurrencies: { PEN: "PEN", USD: "USD" },
};

/** A reported commission this close to the schedule's is a rounding difference, not an exception. */
export const COMMISSION_TOLERANCE_MINOR = 1;

const calendars = new Map<string, PeruBusinessCalendar>();

/** One calendar per set of extra closed days (holidays computed once per year each); bounded. */
export function calendarFor(extraClosedDays: readonly string[]): PeruBusinessCalendar {
  const key = [...extraClosedDays].sort().join(",");
  let calendar = calendars.get(key);
  if (!calendar) {
    if (calendars.size >= 64) calendars.clear();
    calendar = new PeruBusinessCalendar({ extraClosedDays });
    calendars.set(key, calendar);
  }
  return calendar;
}

/** What the shop's terms predict for a payment: when it is paid out and what commission it costs. */
export class SettlementExpectations {
  private readonly calendar: PeruBusinessCalendar;
  /** For payments whose channel is unknown: the longest cycle, so none is called missing too early. */
  private readonly unknownChannelCycle: PayoutCycle;

  constructor(
    readonly terms: PayoutTerms,
    private readonly schedule: FeeSchedule,
  ) {
    this.calendar = calendarFor(terms.extraClosedDays);
    const longest = Math.max(terms.cycle.defaultDays, ...Object.values(terms.cycle.daysByChannel));
    this.unknownChannelCycle = { ...terms.cycle, daysByChannel: {}, defaultDays: longest };
  }

  /** 00:00 Lima of the expected payout day. */
  expectedPayoutDate(paidAt: Date, channel: string | null | undefined): Date {
    return channel
      ? this.calendar.expectedPayoutDate(paidAt, channel, this.terms.cycle)
      : this.calendar.expectedPayoutDate(paidAt, null, this.unknownChannelCycle);
  }

  payoutDays(channel: string | null | undefined): number {
    return channel ? payoutDaysFor(this.terms.cycle, channel) : this.unknownChannelCycle.defaultDays;
  }

  expectedCommission(payment: CommissionInput): number | null {
    return this.schedule.length === 0 ? null : expectedCommission(this.schedule, payment);
  }
}
