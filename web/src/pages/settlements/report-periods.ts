import type { Granularity, ReportQuery, ReportRow, Totals } from "../../api/reconciliation-types";
import type { Currency } from "../../api/types";
import type { DateFormat } from "../../format/dates";
import type { Messages } from "../../i18n/es";

/** Sums of report rows, grouped by a key; integer céntimos, one currency per group. */
export interface Group extends Totals {
  key: string;
  currency: Currency;
  channel: string | null;
  period: string | null;
}

export function addTotals(into: Totals, row: Totals): void {
  into.count += row.count;
  into.grossMinor += row.grossMinor;
  into.commissionMinor += row.commissionMinor;
  into.netMinor += row.netMinor;
}

/** Rows of one currency summed per period (all channels), in period order. */
export function byPeriod(rows: ReportRow[], currency: Currency): Group[] {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    if (row.currency !== currency) continue;
    const key = row.period ?? "";
    let group = groups.get(key);
    if (!group) {
      group = { key, currency, channel: null, period: row.period, count: 0, grossMinor: 0, commissionMinor: 0, netMinor: 0 };
      groups.set(key, group);
    }
    addTotals(group, row);
  }
  return [...groups.values()].sort((a, b) => (a.period === null ? 1 : b.period === null ? -1 : a.period.localeCompare(b.period)));
}

/** Rows summed per channel and currency over the whole range. */
export function byChannel(rows: ReportRow[]): Group[] {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const channel = row.channel?.trim() || null;
    const key = `${(channel ?? "").toLowerCase()}|${row.currency}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, currency: row.currency, channel, period: null, count: 0, grossMinor: 0, commissionMinor: 0, netMinor: 0 };
      groups.set(key, group);
    }
    addTotals(group, row);
  }
  return [...groups.values()].sort((a, b) => a.currency.localeCompare(b.currency) || (a.channel ?? "").localeCompare(b.channel ?? "", "es"));
}

/** "27 nov. 2026" (day), "Sem. 48 2026" (ISO week), "nov. 2026" (month). */
export function periodLabel(period: string | null, t: Messages, dates: DateFormat): string {
  if (!period) return t.settlements.report.noDate;
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  if (week) return t.settlements.report.week(String(Number(week[2])), week[1] ?? "");
  if (/^\d{4}-\d{2}$/.test(period)) {
    const [year, month] = period.split("-").map(Number);
    return new Intl.DateTimeFormat(t.dateLocale, { month: "short", year: "numeric", timeZone: "UTC" }).format(
      new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, 15)),
    );
  }
  return dates.calendarDate(period);
}

const DEFAULT_SPAN_DAYS: Record<Granularity, number> = { day: 30, week: 84, month: 365 };

/** "YYYY-MM-DD" plus n days (negative: back), on the calendar (no time zone involved). */
export function addDays(day: string, n: number): string {
  const [year, month, date] = day.split("-").map(Number);
  const at = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (date ?? 1) + n));
  return at.toISOString().slice(0, 10);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const GRANULARITIES: readonly Granularity[] = ["day", "week", "month"];

/** The report's filters from the address bar; without dates, the last 30 days / 12 weeks / 12 months to today. */
export function parseReportQuery(search: string, today: string): ReportQuery {
  const params = new URLSearchParams(search);
  const raw = params.get("granularity");
  const granularity = GRANULARITIES.includes(raw as Granularity) ? (raw as Granularity) : "day";
  const from = params.get("from");
  const to = params.get("to");
  const end = to && DAY.test(to) ? to : today;
  return {
    granularity,
    basis: params.get("basis") === "payout" ? "payout" : "payment",
    from: from && DAY.test(from) ? from : addDays(end, -(DEFAULT_SPAN_DAYS[granularity] - 1)),
    to: end,
  };
}
