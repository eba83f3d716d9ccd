export type CsvValue = string | number | null | undefined;

export interface CsvWriteOptions {
  /** "," by default; ";" suits Excel in Spanish locales. */
  readonly delimiter?: "," | ";";
}

/**
 * One CSV record (RFC 4180, CRLF-terminated). Text that a spreadsheet would run as a formula (starting
 * with = + - @ or a tab/CR) is prefixed with an apostrophe, because exports are opened in Excel and a
 * legal name or channel name comes from outside; numbers are written as they are.
 */
export function csvRecord(values: readonly CsvValue[], options: CsvWriteOptions = {}): string {
  const delimiter = options.delimiter ?? ",";
  return `${values.map((value) => csvField(value, delimiter)).join(delimiter)}\r\n`;
}

/** A negative amount such as "-12.50" is data, not a formula. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

function csvField(value: CsvValue, delimiter: string): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "number" ? String(value) : value;
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  if (text.includes(delimiter) || /["\r\n]/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}
