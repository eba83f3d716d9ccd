import { err, ok, type Result } from "../lib/result";

/**
 * Peru keeps UTC-5 all year (no daylight saving since 1994), so Lima time is a fixed offset and needs
 * no time-zone database. PagoEfectivo reads and writes every date in this form: 2020-11-15T15:45:00-05:00.
 */
export const LIMA_UTC_OFFSET = "-05:00";
const LIMA_OFFSET_MS = -5 * 60 * 60 * 1000;

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
