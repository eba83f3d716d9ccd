import { err, ok, type Result } from "../lib/result";

/**
 * The one Lima-time module of the server. Peru keeps UTC-5 all year (no daylight saving since 1994), so Lima
 * time is a fixed offset and needs no time-zone database; it lets hot loops (a million settlement lines) work
 * on integer day numbers. PagoEfectivo reads and writes every date in this form: 2020-11-15T15:45:00-05:00.
 * Where Intl formats for people (buyer page, admin SPA), it uses LIMA_TIME_ZONE, which gives the same wall time.
 */
export const LIMA_TIME_ZONE = "America/Lima";
export const LIMA_UTC_OFFSET = "-05:00";
/** Lima wall time = UTC + LIMA_OFFSET_MS (negative: Lima is behind UTC). */
export const LIMA_OFFSET_MS = -5 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant of a Lima wall-clock time given as milliseconds of a UTC-based calendar (e.g. Date.UTC of the fields). */
export function limaWallToInstant(wallMs: number): Date {
  return new Date(wallMs - LIMA_OFFSET_MS);
}

/** The Lima wall-clock time of an instant, as milliseconds of a UTC-based calendar (read it with getUTC*). */
export function limaWallMs(date: Date): number {
  return date.getTime() + LIMA_OFFSET_MS;
}

/** Days since 1970-01-01 of the Lima calendar day the instant falls on. */
export function limaEpochDay(date: Date): number {
  return Math.floor(limaWallMs(date) / DAY_MS);
}

/** The instant of 00:00 Lima time on the given Lima epoch day. */
export function limaMidnight(epochDay: number): Date {
  return limaWallToInstant(epochDay * DAY_MS);
}

/** The instant of 00:00 Lima time on a "yyyy-mm-dd" day. */
export function limaDayStart(dateKey: string): Date {
  return limaWallToInstant(Date.parse(`${dateKey}T00:00:00Z`));
}

/** 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOfEpochDay(epochDay: number): number {
  return (((epochDay + 4) % 7) + 7) % 7;
}

/** The hour of day (0-23) in Lima. */
export function limaHour(date: Date): number {
  const msInDay = ((limaWallMs(date) % DAY_MS) + DAY_MS) % DAY_MS;
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

/** "yyyy-mm-dd hh:mm:ss" in Lima time, the portal's own form for settlement files. */
export function formatLimaWallText(date: Date): string {
  return new Date(limaWallMs(date)).toISOString().slice(0, 19).replace("T", " ");
}

export interface LimaTimeError {
  readonly kind: "invalid_date";
  readonly input: string;
  readonly reason: string;
}

// Date, 'T' (or the space DOC's own example uses), time, optional fraction of any length, optional offset.
const PAGOEFECTIVO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * "Null" dates PagoEfectivo fills unset fields with, e.g. dateRemoval "1900-01-01T00:00:00-05:00"
 * (SQL Server's smalldatetime minimum). 0001-01-01 is .NET's DateTime.MinValue, the other common filler.
 */
const NULL_DATE_PREFIXES = ["1900-01-01T00:00:00", "0001-01-01T00:00:00"];

/** Formats an instant as Lima wall time with the fixed offset; milliseconds are dropped (truncated). */
export function formatLimaDateTime(date: Date): string {
  const lima = shiftToLima(date);
  return (
    `${datePart(lima)}T${pad(lima.getUTCHours())}:${pad(lima.getUTCMinutes())}:${pad(lima.getUTCSeconds())}` +
    LIMA_UTC_OFFSET
  );
}

/** The calendar day in Lima, "2026-11-27": the key for daily reports and settlement dates. */
export function limaDateKey(date: Date): string {
  return datePart(shiftToLima(date));
}

/**
 * Parses a PagoEfectivo date into an instant. The null-date sentinel gives null. Fractional seconds of
 * any length are accepted (.NET writes seven digits) and truncated to milliseconds. A string without an
 * offset is read as Lima time, since that is the only zone PagoEfectivo uses.
 */
export function parsePagoEfectivoDate(input: string): Result<Date | null, LimaTimeError> {
  if (typeof input !== "string") return err({ kind: "invalid_date", input: String(input), reason: "not a string" });
  const match = PAGOEFECTIVO_DATE.exec(input.trim());
  if (!match) {
    return err({ kind: "invalid_date", input, reason: "expected yyyy-mm-ddThh:mm:ss with an optional offset" });
  }
  const [, y, mo, d, h, mi, s, fraction = "", offset = LIMA_UTC_OFFSET] = match;
  const wallClock = `${y}-${mo}-${d}T${h}:${mi}:${s}`;
  if (NULL_DATE_PREFIXES.includes(wallClock)) return ok(null);

  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const millis = Number(fraction.slice(0, 3).padEnd(3, "0"));
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day);
  wall.setUTCHours(hour, minute, second, millis);
  // Date.UTC rolls 2020-02-30 over into March; a round trip catches impossible dates and times.
  if (
    wall.getUTCFullYear() !== year ||
    wall.getUTCMonth() !== month - 1 ||
    wall.getUTCDate() !== day ||
    wall.getUTCHours() !== hour ||
    wall.getUTCMinutes() !== minute ||
    wall.getUTCSeconds() !== second
  ) {
    return err({ kind: "invalid_date", input, reason: "date or time out of range" });
  }
  const offsetMs = parseOffsetMs(offset);
  if (offsetMs === null) return err({ kind: "invalid_date", input, reason: "offset out of range" });
  return ok(new Date(wall.getTime() - offsetMs));
}

function parseOffsetMs(offset: string): number | null {
  if (offset === "Z") return 0;
  const sign = offset.startsWith("-") ? -1 : 1;
  const digits = offset.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  if (hours > 14 || minutes > 59) return null;
  return sign * (hours * 60 + minutes) * 60 * 1000;
}

function shiftToLima(date: Date): Date {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError("Cannot format an invalid Date as Lima time");
  return new Date(time + LIMA_OFFSET_MS);
}

function datePart(lima: Date): string {
  const year = lima.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`Year ${year} cannot be written as yyyy`);
  return `${String(year).padStart(4, "0")}-${pad(lima.getUTCMonth() + 1)}-${pad(lima.getUTCDate())}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
