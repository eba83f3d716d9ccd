import { LIMA_TIME_ZONE } from "../../domain/lima-time";
import { type BuyerLocale } from "./i18n";

// Built once: Intl formatters are costly to create and these are used on every page render.
const FORMATTERS: Record<BuyerLocale, Intl.DateTimeFormat> = {
  es: new Intl.DateTimeFormat("es-PE", {
    timeZone: LIMA_TIME_ZONE,
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }),
  en: new Intl.DateTimeFormat("en-US", {
    timeZone: LIMA_TIME_ZONE,
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    hour12: true,
  }),
};

/**
 * "sábado 28 de noviembre de 2026, 15:30" / "Saturday, November 28, 2026, 3:30 PM", in Lima time.
 * Intl supplies the names and the Lima conversion; the punctuation is assembled here from the parts
 * because ICU's literals ("sábado, 28", "2026 at 3:30", a narrow no-break space before "PM") vary
 * between ICU versions and would make the page differ between Node releases.
 */
export function formatLimaExpiry(date: Date, locale: BuyerLocale): string {
  if (Number.isNaN(date.getTime())) throw new RangeError("Cannot format an invalid Date");
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of FORMATTERS[locale].formatToParts(date)) {
    if (part.type !== "literal") parts[part.type] = part.value;
  }
  const { weekday = "", day = "", month = "", year = "", hour = "", minute = "", dayPeriod = "" } = parts;
  return locale === "es"
    ? `${weekday} ${day} de ${month} de ${year}, ${hour}:${minute}`
    : `${weekday}, ${month} ${day}, ${year}, ${hour}:${minute} ${dayPeriod}`;
}

/**
 * Time left as "HH:MM:SS" with unbounded hours ("47:59:59"), never negative. The page's inline script
 * prints the same format while it counts down, so the text does not jump when the script takes over.
 */
export function formatCountdown(remainingMs: number): string {
  const totalSeconds = Math.max(0, Math.floor(remainingMs / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
