import Holidays from "date-holidays";

import {
  DAY_MS,
  epochDayKey,
  epochDayYear,
  limaEpochDay,
  limaHour,
  limaMidnight,
  weekdayOfEpochDay,
} from "../lima-time";
import { normalizeChannel } from "./channel";

export interface BusinessCalendarOptions {
  /**
   * Extra closed days as Lima dates "YYYY-MM-DD": one-off non-working days decreed by the government that
   * the holidays library does not carry (e.g. days declared for a summit). Public holidays come from the
   * library and need not be listed.
   */
  readonly extraClosedDays?: readonly string[];
}

/**
 * Peruvian business days: Monday to Friday, minus Peru's public holidays as published by the maintained
 * `date-holidays` package ("PE", type "public": national holidays such as Jueves and Viernes Santo,
 * 7 June, 23 July, 28-29 July, 8, 9 and 25 December). Days are Lima calendar days. Holidays are computed
 * once per year and cached, so the hot path is a Set look-up on an integer day number.
 */
export class PeruBusinessCalendar {
  private readonly holidays = new Holidays("PE", { types: ["public"] });
  private readonly closedDays = new Set<number>();
  private readonly loadedYears = new Set<number>();
  /** Lima epoch day → business day or not; the hot path of expectedPayoutDate. */
  private readonly businessMemo = new Map<number, boolean>();

  constructor(options: BusinessCalendarOptions = {}) {
    for (const day of options.extraClosedDays ?? []) {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
      if (!match) throw new RangeError(`extraClosedDays: expected YYYY-MM-DD, got ${day}`);
      this.closedDays.add(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS);
    }
  }

  isBusinessDay(date: Date): boolean {
    return this.isBusinessEpochDay(limaEpochDay(date));
  }

  /** Whether the Lima day is a public holiday (weekends are not holidays). */
  isHoliday(date: Date): boolean {
    const day = limaEpochDay(date);
    this.ensureYear(epochDayYear(day));
    return this.closedDays.has(day);
  }

  /**
   * 00:00 Lima of the day `n` business days after the Lima day of `date`. The start day itself is not
   * counted, so a Friday plus one business day is the next Monday (or Tuesday if Monday is a holiday);
   * n = 0 gives the start day's midnight whether or not it is a business day.
   */
  addBusinessDays(date: Date, n: number): Date {
    return limaMidnight(this.addBusinessEpochDays(limaEpochDay(date), n));
  }

  /** 00:00 Lima of the first business day on or after the Lima day of `date`. */
  nextBusinessDayOnOrAfter(date: Date): Date {
    return limaMidnight(this.rollForward(limaEpochDay(date)));
  }

  /**
   * The day PagoEfectivo should pay a payment out, at 00:00 Lima (the payout is due during that day).
   * A payment at or after the cut-off hour (Lima) counts as received the next day; a payment received on a
   * weekend or holiday counts from the next business day (its "processing day"); the payout is then
   * T + n business days after the processing day, with n taken from the channel's cycle.
   */
  expectedPayoutDate(paymentDate: Date, channel: string | null | undefined, cycle: PayoutCycle): Date {
    let day = limaEpochDay(paymentDate);
    if (cycle.cutoffHour !== undefined && cycle.cutoffHour !== null && limaHour(paymentDate) >= cycle.cutoffHour) {
      day += 1;
    }
    const processingDay = this.rollForward(day);
    return limaMidnight(this.addBusinessEpochDays(processingDay, payoutDaysFor(cycle, channel)));
  }

  /** The Lima public holidays of a year as "YYYY-MM-DD", sorted; for display and tests. */
  holidaysOf(year: number): string[] {
    this.ensureYear(year);
    const days: string[] = [];
    for (const day of this.closedDays) if (epochDayYear(day) === year) days.push(epochDayKey(day));
    return days.sort();
  }

  private addBusinessEpochDays(start: number, n: number): number {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`business days must be a non-negative integer, got ${n}`);
    let day = start;
    let remaining = n;
    while (remaining > 0) {
      day += 1;
      if (this.isBusinessEpochDay(day)) remaining -= 1;
    }
    return day;
  }

  private rollForward(day: number): number {
    let current = day;
    while (!this.isBusinessEpochDay(current)) current += 1;
    return current;
  }

  private isBusinessEpochDay(day: number): boolean {
    const known = this.businessMemo.get(day);
    if (known !== undefined) return known;
    const weekday = weekdayOfEpochDay(day);
    let business = weekday !== 0 && weekday !== 6;
    if (business) {
      this.ensureYear(epochDayYear(day));
      business = !this.closedDays.has(day);
    }
    this.businessMemo.set(day, business);
    return business;
  }

  private ensureYear(year: number): void {
    if (this.loadedYears.has(year)) return;
    this.loadedYears.add(year);
    for (const holiday of this.holidays.getHolidays(year)) {
      // start/end are instants in America/Lima; a multi-day holiday closes every day it covers.
      const first = limaEpochDay(holiday.start);
      const last = limaEpochDay(new Date(holiday.end.getTime() - 1));
      for (let day = first; day <= last; day += 1) this.closedDays.add(day);
    }
  }
}

/** How many business days after the processing day each channel pays out (T+n). */
export interface PayoutCycle {
  /** Channel name → n. Names are compared after normalizeChannel ("Agentes" = "agentes"). */
  readonly daysByChannel: Readonly<Record<string, number>>;
  /** n for channels not listed and for payments whose channel is unknown. */
  readonly defaultDays: number;
  /** Lima hour (0-23) from which a payment counts as received the next day; absent = no cut-off. */
  readonly cutoffHour?: number | null;
}

/** n for a channel: its own entry, else the default. */
export function payoutDaysFor(cycle: PayoutCycle, channel: string | null | undefined): number {
  if (!channel) return cycle.defaultDays;
  return normalizedCycle(cycle).get(normalizeChannel(channel)) ?? cycle.defaultDays;
}

// Cycles are small and reused for every payment of a run: normalize their channel names once.
const normalizedCycles = new WeakMap<PayoutCycle, Map<string, number>>();

function normalizedCycle(cycle: PayoutCycle): Map<string, number> {
  let byChannel = normalizedCycles.get(cycle);
  if (!byChannel) {
    byChannel = new Map();
    for (const [name, days] of Object.entries(cycle.daysByChannel)) byChannel.set(normalizeChannel(name), days);
    normalizedCycles.set(cycle, byChannel);
  }
  return byChannel;
}

let defaultCalendar: PeruBusinessCalendar | null = null;

/** The shared calendar with the library's public holidays only; built on first use. */
export function peruBusinessCalendar(): PeruBusinessCalendar {
  defaultCalendar ??= new PeruBusinessCalendar();
  return defaultCalendar;
}

export function isBusinessDay(date: Date): boolean {
  return peruBusinessCalendar().isBusinessDay(date);
}

export function addBusinessDays(date: Date, n: number): Date {
  return peruBusinessCalendar().addBusinessDays(date, n);
}

export function expectedPayoutDate(paymentDate: Date, channel: string | null | undefined, cycle: PayoutCycle): Date {
  return peruBusinessCalendar().expectedPayoutDate(paymentDate, channel, cycle);
}
