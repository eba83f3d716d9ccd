import {
  describeMappingError,
  resolveColumnMapping,
  type ResolvedColumnMapping,
  type SettlementColumnMapping,
} from "../../domain/settlement/column-mapping";
import type { SettlementRowResult } from "../../ports/settlement-files";
import { rowFailure } from "./settlement-row";

/** How many non-blank rows may precede the header (portal exports put a title and filters above it). */
export const HEADER_SEARCH_ROWS = 20;

export type HeaderSearchStep =
  | { readonly kind: "found"; readonly mapping: ResolvedColumnMapping }
  | { readonly kind: "keep_looking" }
  | { readonly kind: "failed"; readonly failure: SettlementRowResult };

/**
 * Finds the header row of a file for a mapping: the first row the mapping resolves against, among the
 * first HEADER_SEARCH_ROWS non-blank rows (or exactly the first row read when the mapping fixes
 * `headerLine`, since the reader starts there). Rows before it are a preamble and are not data. When no
 * row fits, the error reported is the one of the row that looked most like a header (most filled cells).
 */
export class HeaderSearch {
  private searched = 0;
  private best: { filled: number; failure: SettlementRowResult } | null = null;

  constructor(private readonly mapping: SettlementColumnMapping) {}

  offer(headers: readonly string[], lineNumber: number): HeaderSearchStep {
    const result = resolveColumnMapping(this.mapping, headers);
    if (result.ok) return { kind: "found", mapping: result.value };
    this.searched += 1;
    const filled = headers.filter((header) => header !== "").length;
    if (!this.best || filled > this.best.filled) {
      this.best = {
        filled,
        failure: rowFailure(lineNumber, { kind: "bad_mapping", detail: describeMappingError(result.error) }, true),
      };
    }
    if (this.mapping.headerLine !== undefined || this.searched >= HEADER_SEARCH_ROWS) {
      return { kind: "failed", failure: this.best.failure };
    }
    return { kind: "keep_looking" };
  }

  /** The failure to report when the file ends before a header was found. */
  endOfFile(): SettlementRowResult {
    return this.best?.failure ?? rowFailure(0, { kind: "empty_file" }, true);
  }
}

/**
 * Without a mapping (the first preview of a file), the header is taken to be the first of the leading
 * rows with the most filled cells: a title row above it has fewer, data rows below it no more.
 */
export function guessHeaderIndex(rows: readonly (readonly string[])[]): number {
  let bestIndex = 0;
  let bestFilled = -1;
  rows.slice(0, HEADER_SEARCH_ROWS).forEach((cells, index) => {
    const filled = cells.filter((cell) => cell.trim() !== "").length;
    if (filled > bestFilled) {
      bestFilled = filled;
      bestIndex = index;
    }
  });
  return bestIndex;
}
