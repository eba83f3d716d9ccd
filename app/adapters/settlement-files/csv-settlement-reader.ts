import { Readable } from "node:stream";

import { type CsvError, Parser } from "csv-parse";

import { type SettlementColumnMapping } from "./column-mapping";
import {
  mapSettlementRows,
  previewSettlementRows,
  type RawSettlementRow,
  type SettlementFilePreview,
} from "./settlement-file-rows";
import { isBlankRow, type SettlementRowResult } from "./settlement-row";

export type CsvDelimiter = "," | ";" | "\t";
export type CsvEncoding = "utf8" | "latin1";

export interface CsvReadOptions {
  /** Default: detected from the first line (the one of , ; tab that occurs most outside quotes). */
  readonly delimiter?: CsvDelimiter;
  /**
   * Default "auto": UTF-8 (a BOM is stripped) unless the first line is not valid UTF-8, in which case
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
 * lines counted from 1. Blank lines and a preamble above the header are skipped. Memory stays flat
 * whatever the file size.
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

/**
 * The non-blank records of a CSV stream with their line numbers, after sniffing delimiter and encoding
 * from the first line. Records csv-parse cannot read (e.g. an unclosed quote) come out as failures in
 * line order instead of stopping the file. Lines before `headerLine` are dropped.
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
    if (chunk.includes(0x0a)) break;
  }
  const headBuffer = Buffer.concat(head);
  const encoding = options.encoding && options.encoding !== "auto" ? options.encoding : sniffEncoding(headBuffer);
  const firstLine = firstLineOf(headBuffer, encoding);
  const separatorHint = /^sep=(.)\s*$/i.exec(firstLine);
  const delimiter =
    options.delimiter ?? (separatorHint ? asDelimiter(separatorHint[1]) : undefined) ?? sniffDelimiter(firstLine);
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
      parser.pushSkipped(error?.message ?? "unreadable line");
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
  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    const record: CsvRecord = { ok: true, lineNumber: this.info.lines, cells: chunk as string[] };
    return super.push(record, encoding);
  }

  pushSkipped(detail: string): void {
    const record: CsvRecord = { ok: false, fatal: false, lineNumber: this.info.lines, detail };
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

function firstLineOf(head: Buffer, encoding: CsvEncoding): string {
  const newline = head.indexOf(0x0a);
  const bytes = newline >= 0 ? head.subarray(0, newline) : head;
  return bytes.toString(encoding).replace(/^\uFEFF/, "").replace(/\r$/, "");
}

function sniffDelimiter(line: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "," || char === ";" || char === "\t")) counts[char] += 1;
  }
  if (counts[";"] === 0 && counts["\t"] === 0) return ",";
  // Ties go to ";" then tab: a comma may also be a decimal or thousands separator inside amounts.
  let best: CsvDelimiter = ";";
  for (const candidate of ["\t", ","] as const) if (counts[candidate] > counts[best]) best = candidate;
  return best;
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
