/**
 * PagoEfectivo writes every date in Lima time with a fixed "-05:00" offset (Peru has had no daylight saving
 * since 1994), second precision, e.g. "2020-11-15T15:45:00-05:00" (DOC §5.1.1, dateRequest).
 */
const LIMA_OFFSET_MS = -5 * 60 * 60 * 1000;
// "-0500" too: the Ruby gem (gcarlosc/pago_efectivo_rest) and a production Java client send it and are served
// (reference §7). Other offsets are refused: a guess (G-DATE-OFFSET in guesses.ts).
const LIMA_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})-05:?00$/;

/** What the service writes for a date that has not happened (no payment, no removal). */
export const LIMA_EMPTY_DATE = "1900-01-01T00:00:00-05:00";

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

export function formatLimaDateTime(at: Date): string {
  const lima = new Date(at.getTime() + LIMA_OFFSET_MS);
  return (
    `${pad(lima.getUTCFullYear(), 4)}-${pad(lima.getUTCMonth() + 1)}-${pad(lima.getUTCDate())}` +
    `T${pad(lima.getUTCHours())}:${pad(lima.getUTCMinutes())}:${pad(lima.getUTCSeconds())}-05:00`
  );
}

/** Parses the strict vendor format; anything else (space instead of T, other offsets, 31 Feb) is null. */
export function parseLimaDateTime(text: string): Date | null {
  const m = LIMA_DATE_TIME.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const utcMs = Date.UTC(year, month - 1, day, hour, minute, second) - LIMA_OFFSET_MS;
  const at = new Date(utcMs);
  // Date.UTC rolls 31 Feb over to March; a round trip catches impossible calendar dates.
  return formatLimaDateTime(at) === text.replace(/-0500$/, "-05:00") ? at : null;
}

/**
 * With milliseconds, "2017-06-19T10:53:02.053-05:00": how search answers write dateCreation and datePayment
 * (official demo, Views/Cips/ConsultarCip.cshtml); dateExpiry keeps second precision there.
 */
export function formatLimaDateTimeMillis(at: Date): string {
  const seconds = formatLimaDateTime(at);
  return `${seconds.slice(0, 19)}.${pad(at.getUTCMilliseconds(), 3)}${seconds.slice(19)}`;
}

/** "31/12/2020 23:59" in Lima time, for the human-facing voucher. */
export function formatLimaForPeople(at: Date): string {
  const lima = new Date(at.getTime() + LIMA_OFFSET_MS);
  return (
    `${pad(lima.getUTCDate())}/${pad(lima.getUTCMonth() + 1)}/${pad(lima.getUTCFullYear(), 4)} ` +
    `${pad(lima.getUTCHours())}:${pad(lima.getUTCMinutes())}`
  );
}

/** Drops milliseconds, because vendor dates have second precision and must compare equal after a round trip. */
export function truncateToSecond(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}
