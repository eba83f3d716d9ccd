import { LIMA_OFFSET_MS, limaWallToInstant } from "../../domain/lima-time";
import { err, ok, type Result } from "../../lib/result";

export type DateParseError =
  | { readonly kind: "empty" }
  | { readonly kind: "invalid_date"; readonly input: string; readonly detail: string };

const ISO_LIKE =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const DAY_FIRST =
  /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap])\.?\s*m\.?)?)?$/i;

/** Excel's day 0 of the 1900 date system is 1899-12-30 (it counts the fictitious 1900-02-29). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const MAX_EXCEL_SERIAL = 2_958_465; // 9999-12-31

/**
 * A date or date-time cell as an instant. Accepted: ISO 8601 ("2025-07-15", "2025-07-15T10:30:00",
 * "2025-07-15T10:30:00-05:00", "...Z"), "yyyy-mm-dd hh:mm:ss", Peruvian day-first "dd/mm/yyyy",
 * "dd/mm/yyyy hh:mm", "dd/mm/yyyy hh:mm:ss" (also with "-" or "." and Excel's Spanish "a. m."/"p. m."),
 * Date values and Excel serial numbers from XLSX cells. Anything written without an offset is Lima wall
 * time (UTC-5), which is how PagoEfectivo and its portal write dates; a date alone is 00:00 Lima.
 * Excel cells carry no zone: their wall-clock value is read as Lima time too (1900 date system).
 */
export function parseSettlementDate(cell: string | number | Date): Result<Date, DateParseError> {
  if (cell instanceof Date) return fromWallClockDate(cell);
  if (typeof cell === "number") return fromExcelSerial(cell);
  const text = cell.trim();
  if (text === "") return err({ kind: "empty" });
  // Payout dates repeat on every line of a file: remember the few distinct date-only values.
  if (text.length <= 10) {
    const cached = dateOnlyCache.get(text);
    if (cached !== undefined) return ok(new Date(cached));
    const parsed = parseText(text, cell);
    if (parsed.ok) {
      if (dateOnlyCache.size >= DATE_CACHE_LIMIT) dateOnlyCache.clear();
      dateOnlyCache.set(text, parsed.value.getTime());
    }
    return parsed;
  }
  return parseText(text, cell);
}

const DATE_CACHE_LIMIT = 4096;
const dateOnlyCache = new Map<string, number>();

// No closures in here: this runs for two cells of every line of million-line files.
function parseText(text: string, cell: string): Result<Date, DateParseError> {
  const iso = ISO_LIKE.exec(text);
  if (iso) {
    const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", offset] = iso;
    const millis = Number(fraction.slice(0, 3).padEnd(3, "0"));
    const wall = wallClockMs(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), millis);
    if (wall === null) return invalidDate(cell, "no such date or time");
    const offsetMs = offset === undefined ? LIMA_OFFSET_MS : parseOffset(offset);
    if (offsetMs === null) return invalidDate(cell, "bad UTC offset");
    return ok(new Date(wall - offsetMs));
  }

  const dayFirst = DAY_FIRST.exec(text);
  if (dayFirst) {
    const [, d, mo, y, h = "0", mi = "0", s = "0", meridiem] = dayFirst;
    let hour = Number(h);
    if (meridiem !== undefined) {
      if (hour < 1 || hour > 12) return invalidDate(cell, "hour out of range for a. m./p. m.");
      hour = (hour % 12) + (meridiem.toLowerCase() === "p" ? 12 : 0);
    }
    const wall = wallClockMs(Number(y), Number(mo), Number(d), hour, Number(mi), Number(s), 0);
    if (wall === null) return invalidDate(cell, "no such date or time");
    return ok(limaWallToInstant(wall));
  }

  return invalidDate(cell, "expected yyyy-mm-dd[Thh:mm[:ss]], dd/mm/yyyy [hh:mm[:ss]] or an Excel date");
}

function invalidDate(input: string, detail: string): Result<never, DateParseError> {
  return err({ kind: "invalid_date", input, detail });
}

/** Wall-clock components as UTC milliseconds, or null when they name no real date or time. */
function wallClockMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
): number | null {
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  if (hour > 23 || minute > 59 || second > 59 || day > daysInMonth(year, month)) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function parseOffset(offset: string): number | null {
  if (offset.toUpperCase() === "Z") return 0;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
  if (!match) return null;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? "0");
  if (hours > 14 || minutes > 59) return null;
  return (match[1] === "-" ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

function fromWallClockDate(value: Date): Result<Date, DateParseError> {
  const ms = value.getTime();
  if (Number.isNaN(ms)) return err({ kind: "invalid_date", input: "Invalid Date", detail: "not a date" });
  // Spreadsheet libraries hand Excel's zone-less value over as if it were UTC.
  return ok(limaWallToInstant(ms));
}

function fromExcelSerial(serial: number): Result<Date, DateParseError> {
  if (!Number.isFinite(serial) || serial < 1 || serial > MAX_EXCEL_SERIAL) {
    return err({ kind: "invalid_date", input: String(serial), detail: "not an Excel date serial" });
  }
  // Round to the second: serials are fractions of a day and carry float noise.
  const wall = Math.round((EXCEL_EPOCH_MS + serial * 86_400_000) / 1000) * 1000;
  return ok(limaWallToInstant(wall));
}
