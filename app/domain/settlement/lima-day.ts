/**
 * Calendar-day arithmetic in Lima time. Peru has kept UTC-5 with no daylight saving since 1994, so a fixed
 * offset is exact for every date this app handles, and it lets hot loops (a million settlement lines) work
 * on integer day numbers instead of time-zone database look-ups.
 */
export const LIMA_OFFSET_MS = 5 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

/** Days since 1970-01-01 of the Lima calendar day the instant falls on. */
export function limaEpochDay(date: Date): number {
  return Math.floor((date.getTime() - LIMA_OFFSET_MS) / DAY_MS);
}

/** The instant of 00:00 Lima time on the given Lima epoch day. */
export function limaMidnight(epochDay: number): Date {
  return new Date(epochDay * DAY_MS + LIMA_OFFSET_MS);
}

/** 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOfEpochDay(epochDay: number): number {
  return (((epochDay + 4) % 7) + 7) % 7;
}

/** The hour of day (0-23) in Lima. */
export function limaHour(date: Date): number {
  const msInDay = (((date.getTime() - LIMA_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS;
  return Math.floor(msInDay / 3_600_000);
}

/** "YYYY-MM-DD" of a Lima epoch day. */
export function epochDayKey(epochDay: number): string {
  return new Date(epochDay * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar year of a Lima epoch day. */
export function epochDayYear(epochDay: number): number {
  return new Date(epochDay * DAY_MS).getUTCFullYear();
}
