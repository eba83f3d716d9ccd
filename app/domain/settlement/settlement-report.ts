import { assertUnreachable } from "../../lib/assert-unreachable";
import { DAY_MS, epochDayKey, epochDayYear, limaEpochDay, limaMidnight, weekdayOfEpochDay } from "../lima-time";
import { type Currency } from "../money";
import { normalizeChannel } from "./channel";
import { type SettlementLineRecord } from "./settlement-line";

export type ReportGranularity = "day" | "week" | "month";
/** Group by when the buyer paid, or by when PagoEfectivo pays the merchant. */
export type ReportDateBasis = "payment" | "payout";

export interface SettlementReportOptions {
  readonly granularity: ReportGranularity;
  readonly dateBasis?: ReportDateBasis;
}

export type ReportLine = Pick<
  SettlementLineRecord,
  "amountMinor" | "currency" | "paymentDate" | "payoutDate" | "channel" | "commissionMinor" | "netMinor"
>;

export interface SettlementTotals {
  count: number;
  grossMinor: number;
  commissionMinor: number;
  netMinor: number;
  /** Lines that reported no commission: their commission counts as 0, so treat the totals with care. */
  linesWithoutCommission: number;
}

export interface SettlementReportRow extends SettlementTotals {
  /** "2025-07-28" (day), "2025-W31" (ISO week, Monday start), "2025-07" (month); null when the line has no date. */
  readonly period: string | null;
  /** 00:00 Lima of the period's first day; null with period. */
  readonly periodStart: Date | null;
  /** The channel as first spelled in the file (lines are grouped case- and accent-insensitively); null if unknown. */
  readonly channel: string | null;
  readonly currency: Currency;
}

export interface SettlementReport {
  readonly granularity: ReportGranularity;
  readonly dateBasis: ReportDateBasis;
  /** Sorted by period (undated last), channel, currency. */
  readonly rows: SettlementReportRow[];
  /** One total per currency: PEN and USD are never added together. */
  readonly totals: Readonly<Record<Currency, SettlementTotals>>;
}

/**
 * Gross, commission and net per period, channel and currency. Periods are Lima calendar periods. Net is
 * the line's reported net when present, else gross minus reported commission. Sums are integer céntimos.
 */
export function buildSettlementReport(lines: Iterable<ReportLine>, options: SettlementReportOptions): SettlementReport {
  const builder = new SettlementReportBuilder(options);
  for (const line of lines) builder.add(line);
  return builder.build();
}

/**
 * Lines already summed by the database per Lima day, channel (as spelled) and currency: the same totals
 * as adding each line, so a month's report reads a few hundred groups instead of every line.
 */
export interface ReportLineGroup extends SettlementTotals {
  /** Lima epoch day of the basis date (payment or payout); null for lines without that date. */
  readonly limaDay: number | null;
  readonly channel: string | null;
  readonly currency: Currency;
}

/** The streaming form of buildSettlementReport: add lines as they are read, then build once. */
export class SettlementReportBuilder {
  private readonly dateBasis: ReportDateBasis;
  private readonly groups = new Map<string, SettlementReportRow>();
  private readonly periods = new Map<number, { key: string; start: Date }>();
  private readonly totals: Record<Currency, SettlementTotals> = { PEN: emptyTotals(), USD: emptyTotals() };

  constructor(private readonly options: SettlementReportOptions) {
    this.dateBasis = options.dateBasis ?? "payment";
  }

  add(line: ReportLine): void {
    const date = this.dateBasis === "payment" ? line.paymentDate : line.payoutDate;
    const row = this.rowFor(date ? limaEpochDay(date) : null, line.channel ?? null, line.currency);
    accumulate(row, line);
    accumulate(this.totals[line.currency], line);
  }

  addGroup(group: ReportLineGroup): void {
    const row = this.rowFor(group.limaDay, group.channel, group.currency);
    addTotals(row, group);
    addTotals(this.totals[group.currency], group);
  }

  private rowFor(limaDay: number | null, channel: string | null, currency: Currency): SettlementReportRow {
    const period = limaDay === null ? null : this.periodOf(limaDay);
    const channelKey = channel ? normalizeChannel(channel) : "";
    const groupKey = `${period?.key ?? ""}|${channelKey}|${currency}`;
    let row = this.groups.get(groupKey);
    if (!row) {
      row = {
        period: period?.key ?? null,
        periodStart: period?.start ?? null,
        channel: channel?.trim() || null,
        currency,
        ...emptyTotals(),
      };
      this.groups.set(groupKey, row);
    }
    return row;
  }

  build(): SettlementReport {
    const rows = [...this.groups.values()].sort(compareRows);
    return {
      granularity: this.options.granularity,
      dateBasis: this.dateBasis,
      rows,
      totals: { PEN: { ...this.totals.PEN }, USD: { ...this.totals.USD } },
    };
  }

  private periodOf(day: number): { key: string; start: Date } {
    let period = this.periods.get(day);
    if (!period) {
      period = periodOfDay(day, this.options.granularity);
      this.periods.set(day, period);
    }
    return period;
  }
}

/** The period a Lima epoch day belongs to. ISO weeks start on Monday and belong to the year of their Thursday. */
export function periodOfDay(day: number, granularity: ReportGranularity): { key: string; start: Date } {
  switch (granularity) {
    case "day":
      return { key: epochDayKey(day), start: limaMidnight(day) };
    case "week": {
      const monday = day - ((weekdayOfEpochDay(day) + 6) % 7);
      const thursday = monday + 3;
      const isoYear = epochDayYear(thursday);
      const firstOfYear = Date.UTC(isoYear, 0, 1) / DAY_MS;
      const week = Math.floor((thursday - firstOfYear) / 7) + 1;
      return { key: `${isoYear}-W${String(week).padStart(2, "0")}`, start: limaMidnight(monday) };
    }
    case "month": {
      const key = epochDayKey(day).slice(0, 7);
      const first = Date.UTC(Number(key.slice(0, 4)), Number(key.slice(5, 7)) - 1, 1) / DAY_MS;
      return { key, start: limaMidnight(first) };
    }
    default:
      return assertUnreachable(granularity);
  }
}

function emptyTotals(): SettlementTotals {
  return { count: 0, grossMinor: 0, commissionMinor: 0, netMinor: 0, linesWithoutCommission: 0 };
}

function accumulate(totals: SettlementTotals, line: ReportLine): void {
  const commission = line.commissionMinor ?? null;
  totals.count += 1;
  totals.grossMinor += line.amountMinor;
  totals.commissionMinor += commission ?? 0;
  totals.netMinor += line.netMinor ?? line.amountMinor - (commission ?? 0);
  if (commission === null) totals.linesWithoutCommission += 1;
}

function addTotals(totals: SettlementTotals, group: SettlementTotals): void {
  totals.count += group.count;
  totals.grossMinor += group.grossMinor;
  totals.commissionMinor += group.commissionMinor;
  totals.netMinor += group.netMinor;
  totals.linesWithoutCommission += group.linesWithoutCommission;
}

function compareRows(a: SettlementReportRow, b: SettlementReportRow): number {
  const aStart = a.periodStart?.getTime() ?? Number.POSITIVE_INFINITY;
  const bStart = b.periodStart?.getTime() ?? Number.POSITIVE_INFINITY;
  if (aStart !== bStart) return aStart < bStart ? -1 : 1;
  const channel = (a.channel ?? "").localeCompare(b.channel ?? "", "es");
  if (channel !== 0) return channel;
  return a.currency.localeCompare(b.currency);
}
