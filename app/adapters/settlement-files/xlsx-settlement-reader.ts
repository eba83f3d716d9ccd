import { type Readable } from "node:stream";

import ExcelJS from "exceljs";

import { type SettlementColumnMapping } from "../../domain/settlement/column-mapping";
import type { SettlementFilePreview, SettlementRowResult } from "../../ports/settlement-files";
import { mapSettlementRows, previewSettlementRows, type RawSettlementRow } from "./settlement-file-rows";
import { isBlankRow, type SettlementCell } from "./settlement-row";

/**
 * Streams the first worksheet of an XLSX settlement export (exceljs's streaming WorkbookReader, so the
 * sheet is never held in memory) and yields the same results as readSettlementCsv; line numbers are the
 * sheet's row numbers. Numeric cells keep their number (amounts are converted exactly, identifiers
 * without exponent), date cells are read as Lima wall time, formula cells give their cached result.
 */
export function readSettlementXlsx(
  stream: Readable,
  mapping: SettlementColumnMapping,
): AsyncGenerator<SettlementRowResult> {
  return mapSettlementRows(firstSheetRows(stream, mapping.headerLine), mapping);
}

/** The header and first `n` data rows of the first worksheet (and, with a mapping, how they import). */
export function previewSettlementXlsx(
  stream: Readable,
  n = 10,
  options: { readonly mapping?: SettlementColumnMapping } = {},
): Promise<SettlementFilePreview> {
  return previewSettlementRows(firstSheetRows(stream, options.mapping?.headerLine), n, options.mapping);
}

/**
 * The non-blank rows of the workbook's first worksheet, from `headerLine` on, as plain cells. A file that
 * is not a readable XLSX ends as one fatal row rather than an exception.
 */
async function* firstSheetRows(stream: Readable, headerLine: number | undefined): AsyncGenerator<RawSettlementRow> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    worksheets: "emit",
    sharedStrings: "cache",
    // Styles tell which numbers are dates; without them a date cell would arrive as a serial number.
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  let lastRow = 0;
  try {
    for await (const worksheet of workbook) {
      for await (const row of worksheet) {
        lastRow = row.number;
        if (headerLine !== undefined && row.number < headerLine) continue;
        const cells = rowCells(row.values);
        if (isBlankRow(cells)) continue;
        yield { ok: true, lineNumber: row.number, cells };
      }
      // Only the first worksheet is read; stop before unzipping the rest.
      return;
    }
  } catch (error) {
    yield { ok: false, fatal: true, lineNumber: lastRow, detail: `not a readable XLSX file (${describe(error)})` };
  } finally {
    stream.destroy();
  }
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

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
