import { z } from "zod";

import { assertUnreachable } from "../../lib/assert-unreachable";
import { err, ok, type Result } from "../../lib/result";

/** The logical fields of a settlement line a merchant maps onto the columns of their portal export. */
export const SETTLEMENT_FIELDS = [
  "cip",
  "amount",
  "currency",
  "paymentDate",
  "channel",
  "commission",
  "net",
  "payoutDate",
  "operationNumber",
] as const;
export type SettlementField = (typeof SETTLEMENT_FIELDS)[number];

/** A header name (matched ignoring case, accents and punctuation) or a 0-based column index. */
const columnRefSchema = z.union([z.string().trim().min(1), z.number().int().min(0).max(16_383)]);
export type ColumnRef = z.infer<typeof columnRefSchema>;

/**
 * The column mapping a merchant sets once per shop, since PagoEfectivo publishes no settlement format.
 * Only cip and amount are required. Currency comes from a column, from `defaultCurrency`, or both (the
 * default fills empty cells). `headerLine` is the 1-based line (CSV) or row (XLSX) of the header when the
 * export has a title above it; by default the first non-empty line is the header.
 */
export const settlementColumnMappingSchema = z
  .object({
    columns: z.object({
      cip: columnRefSchema,
      amount: columnRefSchema,
      currency: columnRefSchema.optional(),
      paymentDate: columnRefSchema.optional(),
      channel: columnRefSchema.optional(),
      commission: columnRefSchema.optional(),
      net: columnRefSchema.optional(),
      payoutDate: columnRefSchema.optional(),
      operationNumber: columnRefSchema.optional(),
    }),
    defaultCurrency: z.enum(["PEN", "USD"]).optional(),
    hasHeaderRow: z.boolean().default(true),
    headerLine: z.number().int().min(1).optional(),
  })
  .superRefine((mapping, ctx) => {
    if (mapping.columns.currency === undefined && mapping.defaultCurrency === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["defaultCurrency"],
        message: "map a currency column or set a default currency",
      });
    }
    if (!mapping.hasHeaderRow) {
      for (const field of SETTLEMENT_FIELDS) {
        if (typeof mapping.columns[field] === "string") {
          ctx.addIssue({
            code: "custom",
            path: ["columns", field],
            message: "without a header row, columns can only be given by index",
          });
        }
      }
      if (mapping.headerLine !== undefined) {
        ctx.addIssue({ code: "custom", path: ["headerLine"], message: "headerLine needs hasHeaderRow" });
      }
    }
    const seen = new Map<string, SettlementField>();
    for (const field of SETTLEMENT_FIELDS) {
      const ref = mapping.columns[field];
      if (ref === undefined) continue;
      const key = typeof ref === "number" ? `#${ref}` : normalizeHeader(ref);
      const other = seen.get(key);
      if (other) {
        ctx.addIssue({ code: "custom", path: ["columns", field], message: `same column as ${other}` });
      }
      seen.set(key, field);
    }
  });

export type SettlementColumnMapping = z.infer<typeof settlementColumnMappingSchema>;
export type SettlementColumnMappingInput = z.input<typeof settlementColumnMappingSchema>;

/** The mapping with every column turned into a 0-based index for one file. */
export interface ResolvedColumnMapping {
  readonly indexes: Readonly<Record<"cip" | "amount", number>> &
    Readonly<Partial<Record<Exclude<SettlementField, "cip" | "amount">, number>>>;
  readonly defaultCurrency: "PEN" | "USD" | null;
}

export type MappingResolutionError =
  | { readonly kind: "header_not_found"; readonly field: SettlementField; readonly header: string; readonly available: string[] }
  | { readonly kind: "ambiguous_header"; readonly field: SettlementField; readonly header: string; readonly indexes: number[] }
  | { readonly kind: "column_out_of_range"; readonly field: SettlementField; readonly index: number; readonly columnCount: number }
  | { readonly kind: "no_header_row" };

/** Case-, accent-, punctuation- and spacing-insensitive form: "Nro. Operación" → "nro operacion". */
export function normalizeHeader(header: string): string {
  return header
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** Resolves header names against a file's header row (null when the mapping says there is none). */
export function resolveColumnMapping(
  mapping: SettlementColumnMapping,
  headers: readonly string[] | null,
): Result<ResolvedColumnMapping, MappingResolutionError> {
  const byName = new Map<string, number[]>();
  headers?.forEach((header, index) => {
    const key = normalizeHeader(header);
    if (key === "") return;
    byName.set(key, [...(byName.get(key) ?? []), index]);
  });

  const indexes: Partial<Record<SettlementField, number>> = {};
  for (const field of SETTLEMENT_FIELDS) {
    const ref = mapping.columns[field];
    if (ref === undefined) continue;
    if (typeof ref === "number") {
      if (headers && ref >= headers.length) {
        return err({ kind: "column_out_of_range", field, index: ref, columnCount: headers.length });
      }
      indexes[field] = ref;
      continue;
    }
    if (!headers) return err({ kind: "no_header_row" });
    const found = byName.get(normalizeHeader(ref)) ?? [];
    if (found.length === 0) {
      return err({ kind: "header_not_found", field, header: ref, available: headers.filter((h) => h.trim() !== "") });
    }
    if (found.length > 1) return err({ kind: "ambiguous_header", field, header: ref, indexes: found });
    indexes[field] = found[0];
  }
  const { cip, amount } = indexes;
  // The schema requires both; a hand-built mapping might not.
  if (cip === undefined || amount === undefined) throw new TypeError("mapping lacks cip or amount");
  return ok({ indexes: { ...indexes, cip, amount }, defaultCurrency: mapping.defaultCurrency ?? null });
}

export function describeMappingError(error: MappingResolutionError): string {
  switch (error.kind) {
    case "header_not_found":
      return `column "${error.header}" for ${error.field} is not in the header row (found: ${error.available.join(", ")})`;
    case "ambiguous_header":
      return `column "${error.header}" for ${error.field} appears more than once (columns ${error.indexes.join(", ")})`;
    case "column_out_of_range":
      return `column ${error.index} for ${error.field} does not exist: the file has ${error.columnCount} columns`;
    case "no_header_row":
      return "the mapping names columns by header but the file has no header row";
    default:
      return assertUnreachable(error);
  }
}

/** Header spellings seen in Peruvian payment exports, normalized, per field. */
const KNOWN_HEADERS: Readonly<Record<SettlementField, readonly string[]>> = {
  cip: ["cip", "codigo cip", "cod cip", "nro cip", "numero cip", "n cip", "codigo de pago", "cip code"],
  amount: ["monto", "importe", "monto pagado", "importe pagado", "monto bruto", "importe bruto", "monto total", "amount", "gross"],
  currency: ["moneda", "divisa", "currency"],
  paymentDate: ["fecha de pago", "fecha pago", "fecha de cancelacion", "fecha cancelacion", "fecha de operacion", "payment date", "fecha"],
  channel: ["canal", "canal de pago", "medio de pago", "canal de cobro", "channel"],
  commission: ["comision", "comisiones", "comision total", "commission", "fee"],
  net: ["neto", "monto neto", "importe neto", "neto a abonar", "net"],
  payoutDate: ["fecha de abono", "fecha abono", "fecha de liquidacion", "fecha liquidacion", "fecha de deposito", "payout date"],
  operationNumber: [
    "nro operacion",
    "nro de operacion",
    "numero de operacion",
    "numero operacion",
    "n operacion",
    "no operacion",
    "cod operacion",
    "codigo de operacion",
    "operacion",
    "operation number",
  ],
};

/**
 * A starting mapping guessed from a file's headers, for the mapping form to pre-fill after the preview.
 * Only exact matches of known spellings count; the merchant confirms or corrects it.
 */
export function suggestColumnMapping(headers: readonly string[]): Partial<Record<SettlementField, string>> {
  const normalized = headers.map(normalizeHeader);
  const suggestion: Partial<Record<SettlementField, string>> = {};
  const taken = new Set<number>();
  for (const field of SETTLEMENT_FIELDS) {
    for (const spelling of KNOWN_HEADERS[field]) {
      const index = normalized.findIndex((header, i) => header === spelling && !taken.has(i));
      const original = headers[index];
      if (index >= 0 && original !== undefined) {
        suggestion[field] = original;
        taken.add(index);
        break;
      }
    }
  }
  return suggestion;
}
