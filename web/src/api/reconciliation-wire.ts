import type {
  ExceptionAnswer,
  FeeEntryAnswer,
  ImportAnswer,
  PayoutCycleAnswer,
  PreviewAnswer,
  ReconciliationSummaryAnswer,
  RunAnswer,
  SettlementReportAnswer,
  UpcomingPayoutsAnswer,
} from "../../../app/contracts/admin-api";
import type {
  FeeEntry,
  FilePreview,
  PayoutTerms,
  ReconciliationException,
  ReconciliationRun,
  ReconciliationStatus,
  SettlementImport,
  SettlementReport,
  UpcomingPayouts,
} from "./reconciliation-types";

/**
 * From the wire contract's answers (already parsed and checked by the client) to the shapes the pages
 * use. Field for field, no guessing: a renamed server field fails the contract, not a page.
 */

export function toRun(run: RunAnswer): ReconciliationRun {
  return {
    id: run.id,
    trigger: run.trigger,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    error: run.error,
    // A queued or running run has no stats yet.
    newExceptions: run.stats.newExceptions ?? {},
  };
}

export function toStatus(summary: ReconciliationSummaryAnswer): ReconciliationStatus {
  return {
    openByKind: summary.exceptions.openByKind,
    openTotal: summary.exceptions.open,
    lastRun: summary.lastRun ? toRun(summary.lastRun) : null,
    activeRun: summary.activeRun ? toRun(summary.activeRun) : null,
    lineStatus: summary.lines,
  };
}

export function toException(exception: ExceptionAnswer): ReconciliationException {
  return {
    id: exception.id,
    kind: exception.kind,
    status: exception.status,
    cip: exception.cip,
    paymentSessionId: exception.paymentSessionId,
    source: exception.source,
    detectedAt: exception.detectedAt,
    evidence: exception.evidence,
    suggestedAction: exception.suggestedAction,
    resolvedAt: exception.resolvedAt,
    resolvedBy: exception.resolvedBy,
    resolutionNote: exception.resolutionNote,
    history: exception.history.map((entry) => ({ at: entry.at, action: entry.action, by: entry.by, note: entry.note })),
    orderName: exception.orderName,
    orderFinancialStatus: exception.orderFinancialStatus,
  };
}

export function toImport(record: ImportAnswer): SettlementImport {
  return {
    id: record.id,
    fileName: record.fileName,
    format: record.format,
    status: record.status,
    sizeBytes: record.sizeBytes,
    totalRows: record.totalRows,
    goodRows: record.goodRows,
    badRows: record.badRows,
    duplicateRows: record.duplicateRows,
    errors: record.errors,
    failureReason: record.failureReason,
    coverageFrom: record.coverage?.from ?? null,
    coverageTo: record.coverage?.to ?? null,
    createdAt: record.createdAt,
    finishedAt: record.finishedAt,
    createdBy: record.createdBy,
    progress: record.progress,
  };
}

/** The preview; `savedMapping` is the page's to fill from GET /api/settlements/mapping. */
export function toPreview(preview: PreviewAnswer): FilePreview {
  return {
    uploadId: preview.uploadId,
    format: preview.format,
    sizeBytes: preview.sizeBytes,
    headers: preview.headers,
    headerLineNumber: preview.headerLineNumber,
    rows: preview.rows,
    suggestedMapping: preview.suggestedMapping,
    savedMapping: null,
    mappingApplied: preview.mappingApplied,
    parsed:
      preview.parsed?.map((row) =>
        row.ok
          ? {
              ok: true as const,
              lineNumber: row.line,
              cip: row.value.cip,
              amountMinor: row.value.amountMinor,
              currency: row.value.currency,
              paymentDate: row.value.paymentDate,
              channel: row.value.channel,
              commissionMinor: row.value.commissionMinor,
              netMinor: row.value.netMinor,
            }
          : { ok: false as const, lineNumber: row.line, reason: row.reason },
      ) ?? null,
    alreadyImported: preview.alreadyImported ? toImport(preview.alreadyImported) : null,
  };
}

export function toReport(report: SettlementReportAnswer): SettlementReport {
  const totals = (t: SettlementReportAnswer["totals"]["PEN"]) => ({ count: t.count, grossMinor: t.grossMinor, commissionMinor: t.commissionMinor, netMinor: t.netMinor });
  return {
    granularity: report.granularity,
    rows: report.rows.map((row) => ({ ...totals(row), period: row.period, periodStart: row.periodStart, channel: row.channel, currency: row.currency })),
    totals: { PEN: totals(report.totals.PEN), USD: totals(report.totals.USD) },
  };
}

export function toUpcoming(upcoming: UpcomingPayoutsAnswer): UpcomingPayouts {
  return {
    rows: upcoming.rows.map((row) => ({
      expected: row.source === "expected",
      date: row.date,
      currency: row.currency,
      channel: row.channel,
      count: row.count,
      grossMinor: row.grossMinor,
      netMinor: row.netMinor,
    })),
    overdue: upcoming.overdue,
  };
}

export function toFeeEntry(entry: FeeEntryAnswer): FeeEntry {
  return {
    id: entry.id,
    currency: entry.currency,
    channel: entry.channel,
    percentBps: entry.percentBps,
    fixedMinor: entry.fixedMinor,
    taxBps: entry.taxBps,
    effectiveFrom: entry.effectiveFrom,
  };
}

export function toPayoutTerms(cycle: PayoutCycleAnswer): PayoutTerms {
  return {
    daysByChannel: cycle.daysByChannel,
    defaultDays: cycle.defaultDays,
    cutoffHour: cycle.cutoffHour,
    extraClosedDays: cycle.extraClosedDays,
    settlementCurrencies: cycle.settlementCurrencies,
    configured: cycle.configured,
  };
}
