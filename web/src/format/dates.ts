/** Dates shown in the shop's time zone (the API sends UTC ISO strings), in the panel's language. */

export const DEFAULT_TIME_ZONE = "America/Lima";

export interface DateFormat {
  /** "27 nov. 2026, 14:05" / "Nov 27, 2026, 2:05 PM" */
  dateTime(iso: string): string;
  /** "27 nov. 2026, 14:05:09": timelines, where seconds tell events apart. */
  dateTimeSeconds(iso: string): string;
  /** The day of an instant in the shop's time zone: "27 nov. 2026". */
  date(iso: string): string;
  /** A calendar day "YYYY-MM-DD" (no time zone shift): "27 nov. 2026". */
  calendarDate(day: string): string;
  /** Today in the shop's time zone, "YYYY-MM-DD", by the app's clock (the sandbox can move it). */
  today(): string;
  /** The app's clock now, as an ISO instant (the browser's clock shifted to the server's). */
  now(): string;
}

export function usableTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return timeZone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

/**
 * `clockOffsetMs`: the app's clock minus the browser's, from GET /api/session's `now`; date defaults
 * ("today") follow the app, whose clock the sandbox can move, not the browser's.
 */
export function createDateFormat(locale: string, timeZone: string, clockOffsetMs = 0): DateFormat {
  const appNow = () => new Date(Date.now() + clockOffsetMs);
  const zone = usableTimeZone(timeZone);
  // Peru writes times on the 24-hour clock ("18:05"); English keeps its "6:05 PM".
  const hourCycle = locale.startsWith("es") ? ({ hourCycle: "h23" } as const) : {};
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: zone, ...hourCycle });
  const dateTimeSeconds = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium", timeZone: zone, ...hourCycle });
  const calendar = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const zonedDate = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: zone });
  const isoDay = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: zone });
  const safe = (format: Intl.DateTimeFormat, value: string) => {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : format.format(date);
  };
  return {
    dateTime: (iso) => safe(dateTime, iso),
    dateTimeSeconds: (iso) => safe(dateTimeSeconds, iso),
    date: (iso) => safe(zonedDate, iso),
    calendarDate: (day) => (/^\d{4}-\d{2}-\d{2}$/.test(day) ? safe(calendar, `${day}T12:00:00Z`) : day),
    today: () => {
      const parts = Object.fromEntries(isoDay.formatToParts(appNow()).map((part) => [part.type, part.value]));
      return `${parts.year}-${parts.month}-${parts.day}`;
    },
    now: () => appNow().toISOString(),
  };
}
