import type {
  ColumnMapping,
  ExceptionHistoryEntry,
  ExceptionList,
  ExceptionStatus,
  FeeEntry,
  FilePreview,
  Granularity,
  ImportList,
  ImportStatus,
  PayoutTerms,
  PreviewParsedRow,
  ReconciliationException,
  ReconciliationRun,
  ReconciliationStatus,
  ReportRow,
  RunStatus,
  SettlementImport,
  SettlementReport,
  StartedImport,
  Totals,
  UpcomingPayout,
  UpcomingPayouts,
} from "./reconciliation-types";
import type { Currency } from "./types";

/**
 * Lenient readers from the server's JSON to the panel's types. The API is young: a field it renames or
 * leaves out becomes null/0 here instead of breaking a page; a body that is not the expected thing at all
 * reads as null (the client turns that into a "bad response" error).
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === "string" ? value : typeof value === "number" ? String(value) : null);
const int = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const first = (object: Json, ...keys: string[]): unknown => keys.map((key) => object[key]).find((value) => value !== undefined && value !== null);
const currencyOf = (value: unknown): Currency => (value === "USD" ? "USD" : "PEN");

/** Instants may come as ISO strings or epoch milliseconds. */
function instant(value: unknown): string | null {
  if (typeof value === "string" && value) return value;
  if (typeof value === "number" && Number.isFinite(value)) return new Date(value).toISOString();
  return null;
}

/** A calendar day: "YYYY-MM-DD" as is, or the date part of an ISO instant. */
function day(value: unknown): string | null {
  const text = str(value);
  if (!text) return null;
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : text;
}

function counts(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (isObject(value)) {
    for (const [key, count] of Object.entries(value)) if (typeof count === "number") out[key] = count;
  } else {
    // [{kind, count}] or [{status, count}]
    for (const item of arr(value)) {
      if (!isObject(item)) continue;
      const key = str(first(item, "kind", "status", "key"));
      const count = int(first(item, "count", "open", "total"));
      if (key && count !== null) out[key] = count;
    }
  }
  return out;
}

export function readRun(value: unknown): ReconciliationRun | null {
  if (!isObject(value)) return null;
  const id = str(value.id);
  if (!id) return null;
  const stats = isObject(value.stats) ? value.stats : {};
  const status = str(value.status);
  return {
    id,
    trigger: str(value.trigger) ?? "manual",
    status: (["queued", "running", "done", "failed"].includes(status ?? "") ? status : "running") as RunStatus,
    startedAt: instant(first(value, "startedAt", "createdAt")) ?? "",
    finishedAt: instant(value.finishedAt),
    error: str(value.error),
    newExceptions: counts(first(value, "newExceptions") ?? stats.newExceptions),
  };
}

/**
 * GET /api/reconciliation/summary: `{ lastRun, exceptions: { open, resolved, openByKind }, lines, imports }`
 * (older drafts had `openByKind`/`openTotal` at the top).
 */
export function readStatus(value: unknown): ReconciliationStatus | null {
  if (!isObject(value)) return null;
  const exceptions = isObject(value.exceptions) ? value.exceptions : value;
  const openByKind = counts(first(exceptions, "openByKind", "byKind"));
  const total = int(first(exceptions, "open", "openTotal")) ?? Object.values(openByKind).reduce((sum, count) => sum + count, 0);
  const lastRun = readRun(first(value, "lastRun", "latestRun"));
  const active = readRun(first(value, "activeRun", "runningRun", "currentRun"));
  return {
    openByKind,
    openTotal: total,
    lastRun,
    activeRun: active ?? (lastRun && (lastRun.status === "queued" || lastRun.status === "running") ? lastRun : null),
    lineStatus: counts(first(value, "lines", "lineStatus", "settlementLines")),
  };
}

function readHistory(value: unknown): ExceptionHistoryEntry[] {
  return arr(value)
    .filter(isObject)
    .map((entry) => ({
      at: instant(entry.at) ?? "",
      action: str(entry.action) ?? "",
      by: str(entry.by),
      note: str(entry.note),
    }));
}

export function readException(value: unknown): ReconciliationException | null {
  if (!isObject(value)) return null;
  const id = str(value.id);
  if (!id) return null;
  const action = first(value, "suggestedAction", "suggestion");
  const resolution = isObject(value.resolution) ? value.resolution : {};
  const order = isObject(value.order) ? value.order : {};
  const status: ExceptionStatus = value.status === "resolved" ? "resolved" : "open";
  return {
    id,
    kind: str(value.kind) ?? "unknown",
    status,
    cip: str(value.cip),
    paymentSessionId: str(first(value, "paymentSessionId", "sessionId", "paymentId")),
    source: str(value.source),
    detectedAt: instant(first(value, "detectedAt", "createdAt")) ?? "",
    evidence: isObject(value.evidence) ? value.evidence : {},
    suggestedAction: isObject(action)
      ? { es: str(action.es) ?? "", en: str(action.en) ?? str(action.es) ?? "" }
      : { es: str(value.suggestedActionEs) ?? str(action) ?? "", en: str(value.suggestedActionEn) ?? str(action) ?? "" },
    resolvedAt: instant(first(value, "resolvedAt") ?? resolution.at),
    resolvedBy: str(first(value, "resolvedBy") ?? resolution.by),
    resolutionNote: str(first(value, "resolutionNote", "note") ?? resolution.note),
    history: readHistory(value.history),
    orderName: str(first(value, "orderName") ?? order.name),
    orderFinancialStatus: str(first(value, "orderFinancialStatus") ?? order.financialStatus),
  };
}

export function readExceptionList(value: unknown): ExceptionList | null {
  if (!isObject(value) || !Array.isArray(value.items)) return null;
  const items = value.items.map(readException).filter((item): item is ReconciliationException => item !== null);
  return {
    items,
    total: int(value.total) ?? items.length,
    page: int(value.page) ?? 1,
    pageSize: int(value.pageSize) ?? items.length,
  };
}

function readMapping(value: unknown): ColumnMapping | null {
  return isObject(value) && isObject(value.columns) ? (value as unknown as ColumnMapping) : null;
}

function readParsed(value: unknown): PreviewParsedRow | null {
  if (!isObject(value)) return null;
  const lineNumber = int(first(value, "lineNumber", "line")) ?? 0;
  if (value.ok === false) return { ok: false, lineNumber, reason: str(value.reason) ?? "" };
  const line = isObject(value.value) ? value.value : isObject(value.line) ? value.line : value;
  return {
    ok: true,
    lineNumber,
    cip: str(line.cip) ?? "",
    amountMinor: int(line.amountMinor) ?? 0,
    currency: currencyOf(line.currency),
    paymentDate: instant(line.paymentDate),
    channel: str(line.channel),
    commissionMinor: int(line.commissionMinor),
    netMinor: int(line.netMinor),
  };
}

export function readPreview(value: unknown): FilePreview | null {
  if (!isObject(value)) return null;
  const inner = isObject(value.preview) ? value.preview : value;
  const uploadId = str(value.uploadId);
  if (!uploadId || !Array.isArray(inner.headers)) return null;
  const suggested = isObject(inner.suggestedMapping) ? inner.suggestedMapping : {};
  return {
    uploadId,
    format: value.format === "xlsx" ? "xlsx" : "csv",
    sizeBytes: int(value.sizeBytes) ?? 0,
    headers: inner.headers.map((header) => str(header) ?? ""),
    headerLineNumber: int(inner.headerLineNumber) ?? 1,
    rows: arr(inner.rows)
      .filter(isObject)
      .map((row) => ({ lineNumber: int(row.lineNumber) ?? 0, cells: arr(row.cells).map((cell) => str(cell) ?? "") })),
    suggestedMapping: Object.fromEntries(Object.entries(suggested).filter(([, header]) => typeof header === "string")) as FilePreview["suggestedMapping"],
    savedMapping: readMapping(first(value, "mapping", "savedMapping")),
    mappingApplied: value.mappingApplied === true,
    parsed: Array.isArray(inner.parsed) ? inner.parsed.map(readParsed).filter((row): row is PreviewParsedRow => row !== null) : null,
    alreadyImported: readImport(value.alreadyImported),
  };
}

const IMPORT_STATUSES: readonly ImportStatus[] = ["queued", "importing", "reconciling", "done", "failed"];

export function readImport(value: unknown): SettlementImport | null {
  if (!isObject(value)) return null;
  const id = str(value.id);
  if (!id) return null;
  const status = str(value.status) as ImportStatus | null;
  const progress = int(value.progress);
  const coverage = isObject(value.coverage) ? value.coverage : null;
  return {
    id,
    fileName: str(value.fileName) ?? "",
    format: str(value.format) ?? "",
    status: status && IMPORT_STATUSES.includes(status) ? status : "queued",
    sizeBytes: int(value.sizeBytes) ?? 0,
    bytesRead: int(value.bytesRead) ?? 0,
    totalRows: int(value.totalRows) ?? 0,
    goodRows: int(first(value, "goodRows", "importedRows")) ?? 0,
    badRows: int(value.badRows) ?? 0,
    duplicateRows: int(value.duplicateRows) ?? 0,
    errors: arr(first(value, "errors", "badRowDetails"))
      .filter(isObject)
      .map((error) => ({ line: int(first(error, "line", "lineNumber")) ?? 0, reason: str(error.reason) ?? "" })),
    failureReason: str(value.failureReason),
    coverageFrom: coverage ? day(coverage.from) : instant(value.coverageFrom),
    coverageTo: coverage ? day(coverage.to) : instant(value.coverageTo),
    createdAt: instant(value.createdAt) ?? "",
    finishedAt: instant(value.finishedAt),
    createdBy: str(value.createdBy),
    // Some servers send 0..100.
    progress: progress === null ? null : progress > 1 ? progress / 100 : progress,
  };
}

export function readStartedImport(value: unknown): StartedImport | null {
  if (!isObject(value)) return null;
  const record = readImport(first(value, "import") ?? value);
  return record ? { import: record, duplicate: value.duplicate === true } : null;
}

export function readImportList(value: unknown): ImportList | null {
  const items = isObject(value) ? value.items : value;
  if (!Array.isArray(items)) return null;
  const list = items.map(readImport).filter((item): item is SettlementImport => item !== null);
  return { items: list, total: (isObject(value) ? int(value.total) : null) ?? list.length };
}

function readTotals(value: unknown): Totals {
  const object = isObject(value) ? value : {};
  return {
    count: int(object.count) ?? 0,
    grossMinor: int(object.grossMinor) ?? 0,
    commissionMinor: int(object.commissionMinor) ?? 0,
    netMinor: int(object.netMinor) ?? 0,
  };
}

export function readReport(value: unknown): SettlementReport | null {
  if (!isObject(value)) return null;
  const report = isObject(value.report) ? value.report : value;
  if (!Array.isArray(report.rows)) return null;
  const rows: ReportRow[] = report.rows.filter(isObject).map((row) => ({
    ...readTotals(row),
    period: str(row.period),
    periodStart: instant(row.periodStart),
    channel: str(row.channel),
    currency: currencyOf(row.currency),
  }));
  const totals: SettlementReport["totals"] = {};
  if (isObject(report.totals)) {
    for (const currency of ["PEN", "USD"] as const) {
      if (isObject(report.totals[currency])) totals[currency] = readTotals(report.totals[currency]);
    }
  } else {
    for (const item of arr(report.totals).filter(isObject)) totals[currencyOf(item.currency)] = readTotals(item);
  }
  const granularity = str(report.granularity);
  return { granularity: (["day", "week", "month"].includes(granularity ?? "") ? granularity : "day") as Granularity, rows, totals };
}

export function readUpcoming(value: unknown): UpcomingPayouts | null {
  const items = isObject(value) ? first(value, "rows", "items", "payouts", "upcoming") : value;
  if (!Array.isArray(items)) return null;
  const rows: UpcomingPayout[] = items.filter(isObject).map((item) => ({
    expected: item.source === "expected",
    date: day(first(item, "date", "payoutDate", "expectedPayoutDate")) ?? "",
    currency: currencyOf(item.currency),
    channel: str(item.channel),
    count: int(item.count) ?? 0,
    grossMinor: int(first(item, "grossMinor", "amountMinor")) ?? 0,
    netMinor: int(first(item, "netMinor", "expectedNetMinor")) ?? int(first(item, "grossMinor", "amountMinor")) ?? 0,
  }));
  const overdue: UpcomingPayouts["overdue"] = {};
  const rawOverdue = isObject(value) && isObject(value.overdue) ? value.overdue : {};
  for (const currency of ["PEN", "USD"] as const) {
    const entry = rawOverdue[currency];
    if (isObject(entry)) overdue[currency] = { count: int(entry.count) ?? 0, grossMinor: int(entry.grossMinor) ?? 0 };
  }
  return { rows, overdue };
}

export function readFeeEntry(value: unknown): FeeEntry | null {
  if (!isObject(value)) return null;
  const id = str(value.id);
  if (!id) return null;
  return {
    id,
    currency: currencyOf(value.currency),
    channel: str(value.channel) ?? "*",
    percentBps: int(value.percentBps) ?? 0,
    fixedMinor: int(value.fixedMinor) ?? 0,
    taxBps: int(value.taxBps),
    effectiveFrom: day(value.effectiveFrom) ?? "",
  };
}

export function readFeeList(value: unknown): FeeEntry[] | null {
  const items = isObject(value) ? first(value, "items", "entries", "schedule") : value;
  if (!Array.isArray(items)) return null;
  return items.map(readFeeEntry).filter((entry): entry is FeeEntry => entry !== null);
}

export function readPayoutTerms(value: unknown): PayoutTerms | null {
  if (!isObject(value)) return null;
  const terms = isObject(value.terms) ? value.terms : value;
  const defaultDays = int(terms.defaultDays);
  if (defaultDays === null) return null;
  const currencies = isObject(terms.settlementCurrencies) ? terms.settlementCurrencies : {};
  return {
    daysByChannel: counts(terms.daysByChannel),
    defaultDays,
    cutoffHour: int(terms.cutoffHour),
    extraClosedDays: arr(terms.extraClosedDays).map(str).filter((d): d is string => d !== null),
    settlementCurrencies: { PEN: currencyOf(currencies.PEN ?? "PEN"), USD: currencyOf(currencies.USD ?? "USD") },
    configured: value.configured !== false,
  };
}
