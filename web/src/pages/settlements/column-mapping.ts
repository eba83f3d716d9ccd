import {
  type ColumnMapping,
  type FilePreview,
  REQUIRED_FIELDS,
  SETTLEMENT_FIELDS,
  type SettlementField,
} from "../../api/reconciliation-types";
import type { Currency } from "../../api/types";

/** The mapping form's state: a header per field ("" = not in the file) and the currency for empty cells. */
export interface MappingDraft {
  columns: Record<SettlementField, string>;
  defaultCurrency: Currency | "";
}

export type MappingProblem = "required" | "duplicate" | "currency";

/** Matches headers the way the server does: ignoring case, accents, punctuation and spacing. */
export function normalizeHeader(header: string): string {
  return header
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** The saved mapping where it fits this file's headers, else the server's suggestion from them. */
export function initialDraft(preview: FilePreview): MappingDraft {
  const byName = new Map(preview.headers.map((header) => [normalizeHeader(header), header]));
  const fromRef = (ref: string | number | undefined): string => {
    if (ref === undefined) return "";
    if (typeof ref === "number") return preview.headers[ref] ?? "";
    return byName.get(normalizeHeader(ref)) ?? "";
  };
  const saved = preview.savedMapping;
  const savedFits = saved !== null && REQUIRED_FIELDS.every((field) => fromRef(saved.columns[field]) !== "");
  const columns = {} as Record<SettlementField, string>;
  for (const field of SETTLEMENT_FIELDS) {
    columns[field] = savedFits ? fromRef(saved.columns[field]) : fromRef(preview.suggestedMapping[field]);
  }
  const defaultCurrency = saved?.defaultCurrency ?? (columns.currency ? "" : "PEN");
  return { columns, defaultCurrency };
}

/** What is wrong with each field, if anything; an empty object means the mapping can be used. */
export function mappingProblems(draft: MappingDraft): Partial<Record<SettlementField | "defaultCurrency", MappingProblem>> {
  const problems: Partial<Record<SettlementField | "defaultCurrency", MappingProblem>> = {};
  const seen = new Map<string, SettlementField>();
  for (const field of SETTLEMENT_FIELDS) {
    const header = draft.columns[field];
    if (!header) {
      if (REQUIRED_FIELDS.includes(field)) problems[field] = "required";
      continue;
    }
    const key = normalizeHeader(header);
    if (seen.has(key)) problems[field] = "duplicate";
    else seen.set(key, field);
  }
  if (!draft.columns.currency && !draft.defaultCurrency) problems.defaultCurrency = "currency";
  return problems;
}

export function draftToMapping(draft: MappingDraft): ColumnMapping {
  const columns: ColumnMapping["columns"] = {};
  for (const field of SETTLEMENT_FIELDS) {
    const header = draft.columns[field];
    if (header) columns[field] = header;
  }
  return { columns, hasHeaderRow: true, ...(draft.defaultCurrency ? { defaultCurrency: draft.defaultCurrency } : {}) };
}
