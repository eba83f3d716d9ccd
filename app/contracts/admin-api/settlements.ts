import { z } from "zod";

import { settlementColumnMappingSchema } from "../../domain/settlement/column-mapping";
import { payoutTermsInputSchema } from "../../domain/settlement/payout-terms";
import { count, currency, instant, limaDate, minor, paged } from "./common";

export const SETTLEMENT_FIELDS = ["cip", "amount", "currency", "paymentDate", "channel", "commission", "net", "payoutDate", "operationNumber"] as const;
export const settlementField = z.enum(SETTLEMENT_FIELDS);
export type SettlementField = z.infer<typeof settlementField>;

/** A header name or a 0-based column index. */
const columnRef = z.union([z.string().trim().min(1), z.number().int().min(0).max(16_383)]);

/** The shop's column mapping as it travels (the server checks its rules: app/adapters/settlement-files/column-mapping.ts). */
export const columnMapping = z.strictObject({
  columns: z.strictObject({
    cip: columnRef,
    amount: columnRef,
    currency: columnRef.optional(),
    paymentDate: columnRef.optional(),
    channel: columnRef.optional(),
    commission: columnRef.optional(),
    net: columnRef.optional(),
    payoutDate: columnRef.optional(),
    operationNumber: columnRef.optional(),
  }),
  defaultCurrency: currency.optional(),
  hasHeaderRow: z.boolean(),
  headerLine: z.number().int().min(1).optional(),
});
export type ColumnMapping = z.infer<typeof columnMapping>;

/** GET and PUT /api/settlements/mapping */
export const mappingAnswer = z.strictObject({ mapping: columnMapping.nullable(), fields: z.array(settlementField) });

export const importStatus = z.enum(["queued", "importing", "reconciling", "done", "failed"]);
export type ImportStatus = z.infer<typeof importStatus>;

/** A settlement file import; `failureReason` is a code with its parameters when the whole file is unusable. */
export const importAnswer = z.strictObject({
  id: z.string(),
  fileName: z.string(),
  fileHash: z.string(),
  format: z.enum(["csv", "xlsx"]),
  status: importStatus,
  sizeBytes: count,
  totalRows: count,
  goodRows: count,
  badRows: count,
  duplicateRows: count,
  /** 0..1 */
  progress: z.number().min(0).max(1),
  errors: z.array(z.strictObject({ line: z.number().int(), reason: z.string() })),
  failureReason: z.string().nullable(),
  coverage: z.strictObject({ from: limaDate, to: limaDate }).nullable(),
  reconciliationRunId: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: instant,
  startedAt: instant.nullable(),
  finishedAt: instant.nullable(),
});
export type ImportAnswer = z.infer<typeof importAnswer>;

export const importListAnswer = paged(importAnswer);
/** POST /api/settlements/imports: 202 started, or 200 with `duplicate: true` for a file already imported. */
export const startedImportAnswer = z.strictObject({ import: importAnswer, duplicate: z.boolean() });
export type StartedImportAnswer = z.infer<typeof startedImportAnswer>;
export const importFromUploadRequest = z.strictObject({
  uploadId: z.string().regex(/^upl_[a-z0-9]{24}$/, "is not an upload id"),
  fileName: z.string().trim().min(1).max(200),
});

export const parsedLine = z.strictObject({
  cip: z.string(),
  amountMinor: minor,
  currency,
  paymentDate: instant.nullable(),
  channel: z.string().nullable(),
  commissionMinor: minor.nullable(),
  netMinor: minor.nullable(),
  payoutDate: instant.nullable(),
  operationNumber: z.string().nullable(),
  lineNumber: z.number().int(),
});

/** POST /api/settlements/preview: the file's first rows, headers, a suggested mapping and how rows would import. */
export const previewAnswer = z.strictObject({
  uploadId: z.string(),
  fileName: z.string(),
  format: z.enum(["csv", "xlsx"]),
  sizeBytes: count,
  fileHash: z.string(),
  alreadyImported: importAnswer.nullable(),
  mappingApplied: z.boolean(),
  headers: z.array(z.string()),
  headerLineNumber: z.number().int().min(0),
  rows: z.array(z.strictObject({ lineNumber: z.number().int(), cells: z.array(z.string()) })),
  suggestedMapping: z.partialRecord(settlementField, z.string()),
  parsed: z
    .array(
      z.discriminatedUnion("ok", [
        z.strictObject({ line: z.number().int(), ok: z.literal(true), value: parsedLine }),
        z.strictObject({ line: z.number().int(), ok: z.literal(false), reason: z.string() }),
      ]),
    )
    .nullable(),
  delimiter: z.string().nullable(),
  encoding: z.string().nullable(),
});
export type PreviewAnswer = z.infer<typeof previewAnswer>;

export const feeEntryAnswer = z.strictObject({
  id: z.string(),
  currency,
  /** A channel name, or "*" for every other channel. */
  channel: z.string(),
  percentBps: z.number().int(),
  fixedMinor: minor,
  taxBps: z.number().int().nullable(),
  effectiveFrom: limaDate,
  createdAt: instant,
  updatedAt: instant.nullable(),
});
export type FeeEntryAnswer = z.infer<typeof feeEntryAnswer>;

export const feeScheduleAnswer = z.strictObject({ entries: z.array(feeEntryAnswer), commissionToleranceMinor: minor });
export const feeEntryRequest = z.strictObject({
  currency,
  channel: z.string().trim().min(1).max(60),
  percentBps: z.number().int().min(0).max(10_000),
  fixedMinor: z.number().int().min(0).max(100_000_000),
  taxBps: z.number().int().min(0).max(10_000).nullable().default(null),
  effectiveFrom: limaDate,
});
export type FeeEntryRequest = z.input<typeof feeEntryRequest>;
export type FeeEntryRequestParsed = z.output<typeof feeEntryRequest>;

/** GET and PUT /api/settlements/payout-cycle */
export const payoutCycleAnswer = z.strictObject({
  daysByChannel: z.record(z.string(), z.number().int()),
  defaultDays: z.number().int(),
  cutoffHour: z.number().int().nullable(),
  extraClosedDays: z.array(limaDate),
  settlementCurrencies: z.strictObject({ PEN: currency, USD: currency }),
  configured: z.boolean(),
  /** Peruvian public holidays (and extra closed days) by year, this year and next. */
  holidays: z.record(z.string(), z.array(limaDate)),
});
export type PayoutCycleAnswer = z.infer<typeof payoutCycleAnswer>;

/** POST /api/settlements/sample/setup (sandbox) */
export const sampleSetupAnswer = z.strictObject({
  configured: z.strictObject({ mapping: z.boolean(), feeSchedule: z.boolean(), payoutCycle: z.boolean() }),
});

/** PUT /api/settlements/mapping: the mapping's rules are the domain's (app/domain/settlement/column-mapping.ts). */
export const columnMappingRequest = settlementColumnMappingSchema;

/** PUT /api/settlements/payout-cycle: the terms' rules are the domain's (app/domain/settlement/payout-terms.ts). */
export const payoutCycleRequest = payoutTermsInputSchema;

/** POST /api/settlements/preview?rows=: how many rows to show. */
export const previewQuery = z.object({ rows: z.coerce.number().int().min(1).max(50).default(10) });

/** POST /api/settlements/preview and /imports with the file as the raw body: ?fileName= names it. */
export const fileNameQuery = z.object({ fileName: z.string().trim().min(1, "is required").max(200) });
