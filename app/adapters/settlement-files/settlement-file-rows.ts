import { describeMappingError, resolveColumnMapping, type ResolvedColumnMapping, type SettlementColumnMapping, suggestColumnMapping } from "../../domain/settlement/column-mapping";
import type { SettlementFilePreview, SettlementRowResult } from "../../ports/settlement-files";
import { guessHeaderIndex, HEADER_SEARCH_ROWS, HeaderSearch } from "./header-detection";
import { parseSettlementRow, rowFailure, type SettlementCell } from "./settlement-row";

/** A row as a file reader produces it, before mapping: cells, or a line the format itself could not read. */
export type RawSettlementRow =
  | { readonly ok: true; readonly lineNumber: number; readonly cells: readonly SettlementCell[] }
  | { readonly ok: false; readonly lineNumber: number; readonly detail: string; readonly fatal: boolean };

/**
 * Applies a mapping to a file's rows: finds the header (see HeaderSearch), then parses every data row.
 * Rows the format could not read are bad rows with their line; a fatal one (or a mapping that fits no
 * header) is the last result.
 */
export async function* mapSettlementRows(
  rows: AsyncIterable<RawSettlementRow>,
  mapping: SettlementColumnMapping,
): AsyncGenerator<SettlementRowResult> {
  const search = mapping.hasHeaderRow ? new HeaderSearch(mapping) : null;
  let resolved: ResolvedColumnMapping | null = null;
  if (!search) {
    const outcome = resolveWithoutHeader(mapping);
    if ("failure" in outcome) {
      yield outcome.failure;
      return;
    }
    resolved = outcome.mapping;
  }
  for await (const row of rows) {
    if (!row.ok) {
      // Unreadable lines above the header are preamble, not data.
      if (resolved || row.fatal) yield rowFailure(row.lineNumber, { kind: "malformed_line", detail: row.detail }, row.fatal);
      if (row.fatal) return;
      continue;
    }
    if (!resolved) {
      const step = search?.offer(row.cells.map(cellText), row.lineNumber);
      if (step?.kind === "failed") {
        yield step.failure;
        return;
      }
      if (step?.kind === "found") resolved = step.mapping;
      continue;
    }
    yield parseSettlementRow(row.cells, resolved, row.lineNumber);
  }
  if (!resolved && search) yield search.endOfFile();
}

/**
 * Reads at most HEADER_SEARCH_ROWS + n rows and shows the header and the first n data rows; with a
 * mapping, also how they would import. The caller's iterator is closed early, which stops the reader.
 */
export async function previewSettlementRows(
  rows: AsyncIterable<RawSettlementRow>,
  n: number,
  mapping: SettlementColumnMapping | undefined,
): Promise<SettlementFilePreview> {
  const collected: { lineNumber: number; cells: readonly SettlementCell[] }[] = [];
  const limit = HEADER_SEARCH_ROWS + n;
  for await (const row of rows) {
    if (!row.ok) {
      if (row.fatal) break;
      continue;
    }
    collected.push(row);
    if (collected.length >= limit) break;
  }
  const texts = collected.map((row) => row.cells.map(cellText));
  const hasHeader = mapping?.hasHeaderRow ?? true;

  let headerIndex = hasHeader ? guessHeaderIndex(texts) : -1;
  let parsedMapping: MappingOutcome | null = null;
  if (mapping && hasHeader) {
    const search = new HeaderSearch(mapping);
    for (let i = 0; i < collected.length && parsedMapping === null; i += 1) {
      const step = search.offer(texts[i] ?? [], collected[i]?.lineNumber ?? 0);
      if (step.kind === "found") {
        headerIndex = i;
        parsedMapping = { mapping: step.mapping };
      } else if (step.kind === "failed") {
        parsedMapping = { failure: step.failure };
      }
    }
    parsedMapping ??= { failure: search.endOfFile() };
  } else if (mapping) {
    parsedMapping = resolveWithoutHeader(mapping);
  }

  const data = collected.slice(headerIndex + 1, headerIndex + 1 + n);
  const headers = headerIndex >= 0 ? (texts[headerIndex] ?? []) : [];
  let parsed: SettlementRowResult[] | undefined;
  if (parsedMapping && "mapping" in parsedMapping) {
    const resolvedMapping = parsedMapping.mapping;
    parsed = data.map((row) => parseSettlementRow(row.cells, resolvedMapping, row.lineNumber));
  } else if (parsedMapping) {
    parsed = [parsedMapping.failure];
  }
  return {
    headers,
    headerLineNumber: headerIndex >= 0 ? (collected[headerIndex]?.lineNumber ?? 0) : 0,
    rows: data.map((row) => ({ lineNumber: row.lineNumber, cells: row.cells.map(cellText) })),
    suggestedMapping: suggestColumnMapping(headers),
    ...(parsed ? { parsed } : {}),
  };
}

type MappingOutcome = { readonly mapping: ResolvedColumnMapping } | { readonly failure: SettlementRowResult };

function resolveWithoutHeader(mapping: SettlementColumnMapping): MappingOutcome {
  const result = resolveColumnMapping(mapping, null);
  if (result.ok) return { mapping: result.value };
  return { failure: rowFailure(0, { kind: "bad_mapping", detail: describeMappingError(result.error) }, true) };
}

/** A cell as text for headers and previews. Excel date cells are zone-less wall time: shown without "Z". */
export function cellText(cell: SettlementCell): string {
  if (cell === null || cell === undefined) return "";
  if (cell instanceof Date) {
    const wall = cell.toISOString().slice(0, 19).replace("T", " ");
    return wall.endsWith(" 00:00:00") ? wall.slice(0, 10) : wall;
  }
  return String(cell).trim();
}
