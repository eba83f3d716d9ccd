/**
 * Calendar days in a shop's IANA time zone ("America/Lima" by default), for "today" and for date
 * filters. Lima has a fixed offset, but a shop elsewhere may observe daylight saving, so offsets are
 * read from the platform's time-zone data at the instant in question.
 */

import { LIMA_TIME_ZONE } from "../../domain/lima-time";

export const DEFAULT_TIME_ZONE = LIMA_TIME_ZONE;

const DATE_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, found);
  }
  return found;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone to use: the shop's own if the platform knows it, else Lima. */
export function usableTimeZone(timeZone: string | null | undefined): string {
  return timeZone && isValidTimeZone(timeZone) ? timeZone : DEFAULT_TIME_ZONE;
}

function wallClock(instant: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = formatter(timeZone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value ?? "0");
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetMs(instant: Date, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** "2026-11-27": the calendar day `instant` falls on in the zone. */
export function zonedDateKey(instant: Date, timeZone: string): string {
  const wall = wallClock(instant, timeZone);
  return `${String(wall.year).padStart(4, "0")}-${String(wall.month).padStart(2, "0")}-${String(wall.day).padStart(2, "0")}`;
}

/** "2026-11-27 18:30:05": the wall-clock time of `instant` in the zone (for exports a spreadsheet sorts). */
export function zonedDateTime(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${String(w.year).padStart(4, "0")}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;
}

/** The first instant of a calendar day in the zone. */
export function zonedDayStart(dateKey: string, timeZone: string): Date {
  const match = DATE_KEY.exec(dateKey);
  if (!match) throw new RangeError(`Not a date: ${dateKey}`);
  const midnightUtc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Guess with the offset at UTC midnight, then correct once with the offset at the guess (DST days).
  const guess = midnightUtc - offsetMs(new Date(midnightUtc), timeZone);
  return new Date(midnightUtc - offsetMs(new Date(guess), timeZone));
}

export function nextDateKey(dateKey: string): string {
  const match = DATE_KEY.exec(dateKey);
  if (!match) throw new RangeError(`Not a date: ${dateKey}`);
  const next = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1));
  return next.toISOString().slice(0, 10);
}

/** [start, end) of a calendar day in the zone. */
export function zonedDayRange(dateKey: string, timeZone: string): { start: Date; end: Date } {
  return { start: zonedDayStart(dateKey, timeZone), end: zonedDayStart(nextDateKey(dateKey), timeZone) };
}
