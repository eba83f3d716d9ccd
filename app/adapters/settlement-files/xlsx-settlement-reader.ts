import path from "node:path";
import { Readable } from "node:stream";

import ExcelJS from "exceljs";

import { type SettlementColumnMapping } from "../../domain/settlement/column-mapping";
import type { SettlementFilePreview, SettlementFileSource, SettlementRowResult } from "../../ports/settlement-files";
import { mapSettlementRows, previewSettlementRows, type RawSettlementRow } from "./settlement-file-rows";
import { isBlankRow, type SettlementCell } from "./settlement-row";
import { ZipArchive } from "./zip-archive";

/**
 * Streams the first worksheet of an XLSX settlement export and yields the same results as
 * readSettlementCsv; line numbers are the sheet's row numbers. Numeric cells keep their number (amounts
 * are converted exactly, identifiers without exponent), date cells are read as Lima wall time, formula
 * cells give their cached result. The file is closed when the rows end or the caller stops.
 */
export function readSettlementXlsx(file: SettlementFileSource, mapping: SettlementColumnMapping): AsyncGenerator<SettlementRowResult> {
  return mapSettlementRows(firstSheetRows(file, mapping.headerLine), mapping);
}

/** The header and first `n` data rows of the first worksheet (and, with a mapping, how they import). */
export function previewSettlementXlsx(
  file: SettlementFileSource,
  n = 10,
  options: { readonly mapping?: SettlementColumnMapping } = {},
): Promise<SettlementFilePreview> {
  return previewSettlementRows(firstSheetRows(file, options.mapping?.headerLine), n, options.mapping);
}

const READER_OPTIONS = {
  worksheets: "emit",
  sharedStrings: "cache",
  // Styles tell which numbers are dates; without them a date cell would arrive as a serial number.
  styles: "cache",
  hyperlinks: "ignore",
  entries: "ignore",
} as const;

/**
 * The parts of exceljs's streaming WorkbookReader (4.4.0, lib/stream/xlsx/workbook-reader.js) used here.
 * Its own parse() reads the archive in one forward pass (unzipper.Parse) and can lose parts: it pauses the
 * entry stream while it handles one part, unzipper keeps parsing the rest of the file into that paused
 * stream, and when the file's end is reached unzipper emits 'end' at once, so exceljs stops before the
 * parts still queued, typically xl/workbook.xml (stored last by exceljs itself; then "Cannot read
 * properties of undefined (reading 'sheets')") or xl/sharedStrings.xml (then every text cell is empty).
 * Whether the parse or the pause wins depends on timing: disk and zlib speed, and STORED (uncompressed)
 * parts always lose (exceljs issues #3064, #962). So the archive is opened through its central directory
 * and exceljs is given each part it needs, in the order it needs them, through the same helpers its
 * parse() calls; the worksheet is still parsed row by row from a stream. A renamed helper in a later
 * exceljs fails every XLSX test.
 */
interface WorkbookParts {
  workbookRels?: { Id: string; Type?: string; Target: string }[];
  model?: { sheets?: { rId: string }[] };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Generator<{ eventType: string; value: ExcelJS.stream.xlsx.WorksheetReader }>;
}

/**
 * The non-blank rows of the workbook's first worksheet (its first tab), from `headerLine` on, as plain
 * cells. A file that is not a readable XLSX ends as one fatal row rather than an exception.
 */
async function* firstSheetRows(file: SettlementFileSource, headerLine: number | undefined): AsyncGenerator<RawSettlementRow> {
  const opened: Readable[] = [];
  let lastRow = 0;
  try {
    const zip = await ZipArchive.open(file);
    // Every part is decoded as one UTF-8 stream: exceljs decodes each chunk apart, which garbles a
    // character split between two chunks (an "ó" at a 16 KiB boundary of a large shared strings part).
    const part = async (name: string): Promise<Readable | null> => {
      const entry = zip.entry(name);
      if (!entry) return null;
      const stream = (await zip.openEntry(entry)).setEncoding("utf8");
      opened.push(stream);
      return stream;
    };
    const required = async (name: string): Promise<Readable> => {
      const stream = await part(name);
      if (!stream) throw new Error(`${name} is missing`);
      return stream;
    };
    const workbook = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), READER_OPTIONS) as unknown as WorkbookParts;
    await workbook._parseRels(await required("xl/_rels/workbook.xml.rels"));
    await workbook._parseWorkbook(await required("xl/workbook.xml"));
    const sharedStrings = await part(relatedPart(workbook, "sharedStrings") ?? "xl/sharedStrings.xml");
    // Cached in the reader (sharedStrings: "cache"): the generator yields nothing.
    if (sharedStrings) await drain(workbook._parseSharedStrings(sharedStrings));
    const styles = await part(relatedPart(workbook, "styles") ?? "xl/styles.xml");
    if (styles) await workbook._parseStyles(styles);

    const firstSheet = workbook.model?.sheets?.[0];
    const sheetPath = firstSheet && relatedPart(workbook, null, firstSheet.rId);
    if (!sheetPath) throw new Error("the workbook has no worksheet");
    const sheetNo = /sheet(\d+)\.xml$/.exec(sheetPath)?.[1] ?? "1";
    for (const { value: worksheet } of workbook._parseWorksheet(await required(sheetPath), sheetNo)) {
      for await (const row of worksheet) {
        lastRow = row.number;
        if (headerLine !== undefined && row.number < headerLine) continue;
        const cells = rowCells(row.values);
        if (isBlankRow(cells)) continue;
        yield { ok: true, lineNumber: row.number, cells };
      }
    }
  } catch (error) {
    yield { ok: false, fatal: true, lineNumber: lastRow, detail: `not a readable XLSX file (${describe(error)})` };
  } finally {
    for (const stream of opened) stream.destroy();
    await file.close();
  }
}

/**
 * The archive path of a part the workbook refers to, by relationship type ("sharedStrings", "styles") or
 * id; targets are relative to xl/ unless absolute (ECMA-376 Part 2, 9.2).
 */
function relatedPart(workbook: WorkbookParts, type: string | null, id?: string): string | undefined {
  const rel = workbook.workbookRels?.find((candidate) => (id !== undefined ? candidate.Id === id : candidate.Type?.endsWith(`/${type}`)));
  if (!rel) return undefined;
  return rel.Target.startsWith("/") ? rel.Target.slice(1) : path.posix.normalize(path.posix.join("xl", rel.Target));
}

/** exceljs row values are 1-based and sparse; cells are 0-based like CSV columns. */
function rowCells(values: ExcelJS.CellValue[] | { [key: string]: ExcelJS.CellValue }): SettlementCell[] {
  if (!Array.isArray(values)) return [];
  const cells: SettlementCell[] = [];
  for (let i = 1; i < values.length; i += 1) cells.push(plainCell(values[i]));
  return cells;
}

function plainCell(value: ExcelJS.CellValue | undefined): SettlementCell {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Date) return value;
  if (typeof value === "object") {
    if ("richText" in value && Array.isArray(value.richText)) return value.richText.map((part) => part.text).join("");
    if ("result" in value) return plainCell(value.result as ExcelJS.CellValue);
    if ("text" in value && typeof value.text === "string") return value.text;
  }
  // Error cells (#N/A) and formulas without a cached result carry no value.
  return null;
}

async function drain(items: AsyncIterable<unknown>): Promise<void> {
  const iterator = items[Symbol.asyncIterator]();
  while (!(await iterator.next()).done);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
