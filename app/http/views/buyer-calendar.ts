/**
 * An iCalendar file (RFC 5545) with one event: the hour before a CIP expires, with a reminder at its
 * start. The shopper's own calendar app opens it; nothing is sent to any service.
 */

export interface CipReminder {
  /** Unique and stable per CIP, so importing twice updates instead of duplicating. */
  uid: string;
  summary: string;
  description: string;
  /** The voucher or the buyer page, so the event leads back to the code. */
  url: string | null;
  expiresAt: Date;
  now: Date;
}

const HOUR_MS = 3_600_000;

export function cipReminderIcs(reminder: CipReminder): string {
  const start = new Date(Math.max(reminder.expiresAt.getTime() - HOUR_MS, reminder.now.getTime()));
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//PagoEfectivo for Shopify//Buyer page//ES",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${text(reminder.uid)}`,
    `DTSTAMP:${utc(reminder.now)}`,
    `DTSTART:${utc(start)}`,
    `DTEND:${utc(reminder.expiresAt)}`,
    `SUMMARY:${text(reminder.summary)}`,
    `DESCRIPTION:${text(reminder.description)}`,
    ...(reminder.url ? [`URL:${reminder.url.replace(/[\r\n]/g, "")}`] : []),
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    `DESCRIPTION:${text(reminder.summary)}`,
    "TRIGGER:PT0S",
    "END:VALARM",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return `${lines.map(fold).join("\r\n")}\r\n`;
}

/** 20261128T203000Z */
function utc(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 §3.3.11). */
function text(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1), never inside a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    if (octets + size > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join("\r\n ");
}
