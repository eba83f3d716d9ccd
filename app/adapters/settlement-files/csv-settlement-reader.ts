import { Readable } from "node:stream";

import { type CsvError, Parser } from "csv-parse";

import { type SettlementColumnMapping } from "../../domain/settlement/column-mapping";
import type { SettlementFilePreview, SettlementRowResult } from "../../ports/settlement-files";
import { mapSettlementRows, previewSettlementRows, type RawSettlementRow } from "./settlement-file-rows";
import { isBlankRow } from "./settlement-row";

export type CsvDelimiter = "," | ";" | "\t";
export type CsvEncoding = "utf8" | "latin1";

export interface CsvReadOptions {
  /** Default: detected from the first 20 lines (the one of ; tab , reaching the most per line outside quotes). */
  readonly delimiter?: CsvDelimiter;
  /**
   * Default "auto": UTF-8 (a BOM is stripped) unless the first lines are not valid UTF-8, in which case
   * Latin-1, the encoding Excel on Windows uses for "CSV" in Spanish locales.
   */
  readonly encoding?: CsvEncoding | "auto";
}

export interface CsvFilePreview extends SettlementFilePreview {
  readonly delimiter: CsvDelimiter;
  readonly encoding: CsvEncoding;
}

export interface CsvPreviewOptions extends CsvReadOptions {
  readonly mapping?: SettlementColumnMapping;
}

/**
 * Streams a settlement CSV export and yields every data line as a parsed settlement line or a bad row
 * with its line number and reason; reading goes on after bad rows. A fatal result (fatal: true: the
 * mapping fits no header row, or a quote is never closed) is the last one. Line numbers are physical
 * lines counted from 1 (a record with a quoted line break has the number of its last line). Blank lines
 * and a preamble above the header are skipped. Memory stays flat whatever the file size: about 1.3 µs of
 * mapping per line on top of csv-parse's own tokenizing.
 */
export function readSettlementCsv(
  stream: Readable,
  mapping: SettlementColumnMapping,
  options: CsvReadOptions = {},
): AsyncGenerator<SettlementRowResult> {
  return mapSettlementRows(openCsvRecords(stream, options, mapping.headerLine), mapping);
}

/**
 * The header and first `n` data rows of a CSV, for the merchant to check the file and set the mapping
 * before importing; with a mapping, also how those rows would import. Stops reading after them.
 */
export async function previewSettlementCsv(
  stream: Readable,
  n = 10,
  options: CsvPreviewOptions = {},
): Promise<CsvFilePreview> {
  const detected: { delimiter: CsvDelimiter; encoding: CsvEncoding } = { delimiter: ",", encoding: "utf8" };
  const preview = await previewSettlementRows(
    openCsvRecords(stream, options, options.mapping?.headerLine, detected),
    n,
    options.mapping,
  );
  return { ...preview, ...detected };
}

type CsvRecord = RawSettlementRow;

const SNIFF_LIMIT = 64 * 1024;
/** Lines looked at to guess the delimiter: the header may sit below a title. */
const SNIFF_LINES = 20;

/**
 * The non-blank records of a CSV stream with their line numbers, after sniffing delimiter and encoding
 * from the first lines. Records csv-parse cannot read come out as failures in line order instead of
 * stopping the file; an unclosed quote, which swallows the rest of the file, is fatal. Lines before
 * `headerLine` are dropped. Leaving early (a preview) destroys the caller's stream.
 */
async function* openCsvRecords(
  stream: Readable,
  options: CsvReadOptions,
  headerLine: number | undefined,
  detected: { delimiter: CsvDelimiter; encoding: CsvEncoding } = { delimiter: ",", encoding: "utf8" },
): AsyncGenerator<CsvRecord> {
  const source = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const head: Buffer[] = [];
  let headLength = 0;
  let newlines = 0;
  let ended = false;
  while (headLength < SNIFF_LIMIT) {
    const next = await source.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = typeof next.value === "string" ? Buffer.from(next.value, "utf8") : next.value;
    head.push(chunk);
    headLength += chunk.length;
    newlines += countByte(chunk, 0x0a);
    if (newlines >= SNIFF_LINES) break;
  }
  const headBuffer = Buffer.concat(head);
  const encoding = options.encoding && options.encoding !== "auto" ? options.encoding : sniffEncoding(headBuffer);
  const firstLines = leadingLines(headBuffer, encoding);
  const separatorHint = /^sep=(.)\s*$/i.exec(firstLines[0] ?? "");
  const delimiter =
    options.delimiter ?? (separatorHint ? asDelimiter(separatorHint[1]) : undefined) ?? sniffDelimiter(firstLines);
  detected.delimiter = delimiter;
  detected.encoding = encoding;

  const parser = new LineNumberedParser({
    delimiter,
    encoding: encoding === "utf8" ? "utf8" : "latin1",
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // Excel's "sep=;" hint line is not data.
    from_line: Math.max(separatorHint ? 2 : 1, headerLine ?? 1),
    on_skip: (error: CsvError | undefined) => {
      parser.pushSkipped(error);
      return undefined;
    },
    // Fewer, larger hand-offs between the parser and this generator.
    readableHighWaterMark: 1024,
  } as ParserOptions);

  async function* rest(): AsyncGenerator<Buffer> {
    try {
      if (headBuffer.length > 0) yield headBuffer;
      if (ended) return;
      for (;;) {
        const next = await source.next();
        if (next.done) return;
        yield typeof next.value === "string" ? Buffer.from(next.value, "utf8") : next.value;
      }
    } finally {
      await source.return?.();
    }
  }
  const input = Readable.from(rest(), { objectMode: false });
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);

  try {
    for await (const item of parser as AsyncIterable<CsvRecord>) {
      if (item.ok && isBlankRow(item.cells)) continue;
      yield item;
    }
  } catch (error) {
    // What csv-parse cannot skip (a quote never closed before the end of the file) ends the file.
    if (!isCsvError(error)) throw error;
    yield { ok: false, fatal: true, lineNumber: lineOfError(error, parser), detail: error.message };
  } finally {
    input.destroy();
  }
}

type ParserOptions = ConstructorParameters<typeof Parser>[0];

/**
 * csv-parse's stream parser, tagging each record with the line it ended on. The parser pushes records
 * synchronously while it reads, so its live `info.lines` counter is exactly that record's line here;
 * asking for `info: true` instead would copy the whole info object for every record, which costs more
 * than the parsing itself on million-line files. Skipped (unreadable) records are pushed in the same
 * stream, so bad lines come out in file order.
 */
class LineNumberedParser extends Parser {
  private lastRecordLine = 0;

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    this.lastRecordLine = this.info.lines;
    const record: CsvRecord = { ok: true, lineNumber: this.info.lines, cells: chunk as string[] };
    return super.push(record, encoding);
  }

  pushSkipped(error: CsvError | undefined): void {
    let record: CsvRecord;
    if (error?.code === "CSV_QUOTE_NOT_CLOSED") {
      // The open quote swallowed the rest of the file: nothing after it can be read, so it is fatal, and
      // the useful line is where that record began, not the end of the file.
      const from = this.lastRecordLine + 1;
      record = { ok: false, fatal: true, lineNumber: from, detail: `a quote opened on line ${from} or later is never closed` };
    } else {
      record = { ok: false, fatal: false, lineNumber: this.info.lines, detail: error?.message ?? "unreadable line" };
    }
    this.lastRecordLine = this.info.lines;
    super.push(record);
  }
}

function sniffEncoding(head: Buffer): CsvEncoding {
  try {
    // stream: true tolerates a multi-byte character cut at the end of the sniffed bytes.
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return "utf8";
  } catch {
    return "latin1";
  }
}

function leadingLines(head: Buffer, encoding: CsvEncoding): string[] {
  const lines = head.toString(encoding).replace(/^\uFEFF/, "").split(/\r?\n/);
  // The last piece may be a line cut by the sniff limit; it is still good enough for counting.
  return lines.slice(0, SNIFF_LINES);
}

/**
 * The delimiter is the candidate that reaches the highest count, outside quotes, on any of the first
 * lines: the header and data lines have many, a title line above them few or none. Ties go to ";" then
 * tab, because a comma can also be a decimal or thousands separator inside unquoted amounts.
 */
function sniffDelimiter(lines: readonly string[]): CsvDelimiter {
  const best: Record<CsvDelimiter, number> = { ",": 0, ";": 0, "\t": 0 };
  for (const line of lines) {
    const counts: Record<CsvDelimiter, number> = { ",": 0, ";": 0, "\t": 0 };
    let quoted = false;
    for (const char of line) {
      if (char === '"') quoted = !quoted;
      else if (!quoted && (char === "," || char === ";" || char === "\t")) counts[char] += 1;
    }
    for (const candidate of [",", ";", "\t"] as const) best[candidate] = Math.max(best[candidate], counts[candidate]);
  }
  if (best[";"] === 0 && best["\t"] === 0) return ",";
  let winner: CsvDelimiter = ";";
  for (const candidate of ["\t", ","] as const) if (best[candidate] > best[winner]) winner = candidate;
  return winner;
}

function countByte(buffer: Buffer, byte: number): number {
  let count = 0;
  for (let at = buffer.indexOf(byte); at >= 0; at = buffer.indexOf(byte, at + 1)) count += 1;
  return count;
}

function asDelimiter(char: string | undefined): CsvDelimiter | undefined {
  return char === "," || char === ";" || char === "\t" ? char : undefined;
}

function isCsvError(error: unknown): error is CsvError {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as Error & { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("CSV_");
}

function lineOfError(error: CsvError, parser: Parser): number {
  const lines = error["lines"];
  return typeof lines === "number" ? lines : parser.info.lines;
}
