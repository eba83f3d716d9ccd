import type { ExceptionAnswer, FeeEntryAnswer, ImportAnswer, RunAnswer, SettlementReportAnswer } from "../../contracts/admin-api";
import { suggestedActionForAnyKind } from "../../domain/reconciliation/suggested-actions";
import type { SettlementReport, SettlementTotals } from "../../domain/settlement/settlement-report";
import type { RunRecord } from "../../ports/reconciliation";
import type { ExceptionRecord } from "../../ports/reconciliation-admin";
import type { FeeEntryRecord } from "../../ports/reconciliation-admin";
import type { SettlementImportRecord } from "../../ports/settlement-imports";
import { limaDateOf } from "../../use-cases/settlement-reports/report-period";
import { iso } from "./admin-views";

/** JSON shapes of the reconciliation and settlement endpoints (docs/admin-api.md); fields listed by hand. */

export function importView(record: SettlementImportRecord): ImportAnswer {
  return {
    id: record.id,
    fileName: record.fileName,
    fileHash: record.fileHash,
    format: record.format,
    status: record.status,
    sizeBytes: record.sizeBytes,
    totalRows: record.totalRows,
    goodRows: record.goodRows,
    badRows: record.badRows,
    duplicateRows: record.duplicateRows,
    progress: progressOf(record),
    errors: record.errors.map((e) => ({ line: e.line, reason: e.reason })),
    failureReason: record.failureReason,
    coverage: record.coverageFrom && record.coverageTo ? { from: limaDateOf(record.coverageFrom), to: limaDateOf(record.coverageTo) } : null,
    reconciliationRunId: record.reconciliationRunId,
    createdBy: record.createdBy,
    createdAt: record.createdAt.toISOString(),
    startedAt: iso(record.startedAt),
    finishedAt: iso(record.finishedAt),
  };
}

/** 0..1: bytes read while importing; 1 once the lines are stored (reconciling, done, failed). */
function progressOf(record: SettlementImportRecord): number {
  switch (record.status) {
    case "queued":
      return 0;
    case "importing":
      return record.sizeBytes > 0 ? Math.min(0.99, Math.floor((record.bytesRead / record.sizeBytes) * 1000) / 1000) : 0;
    default:
      return 1;
  }
}

export function runView(run: RunRecord): RunAnswer {
  return {
    id: run.id,
    trigger: run.trigger,
    status: run.status,
    error: run.error,
    startedAt: run.startedAt.toISOString(),
    finishedAt: iso(run.finishedAt),
    stats: run.stats,
  };
}

export function exceptionView(record: ExceptionRecord, order: { orderName: string | null; orderFinancialStatus: string | null } | null): ExceptionAnswer {
  return {
    id: record.id,
    kind: record.kind,
    status: record.status,
    source: record.source,
    cip: record.cip,
    paymentSessionId: record.paymentSessionId,
    orderName: order?.orderName ?? null,
    orderFinancialStatus: order?.orderFinancialStatus ?? null,
    evidence: record.evidence,
    suggestedAction: suggestedActionForAnyKind(record.kind),
    detectedAt: record.detectedAt.toISOString(),
    resolvedAt: iso(record.resolvedAt),
    resolvedBy: record.resolvedBy,
    resolutionNote: record.resolutionNote,
    runId: record.runId,
    history: record.history.map((entry) => ({ at: entry.at, action: entry.action, by: entry.by, note: entry.note, runId: entry.runId ?? null })),
  };
}

export function feeEntryView(entry: FeeEntryRecord): FeeEntryAnswer {
  return {
    id: entry.id,
    currency: entry.currency,
    channel: entry.channel,
    percentBps: entry.percentBps,
    fixedMinor: entry.fixedMinor,
    taxBps: entry.taxBps ?? null,
    effectiveFrom: limaDateOf(entry.effectiveFrom),
    createdAt: entry.createdAt.toISOString(),
    updatedAt: iso(entry.updatedAt),
  };
}

export function settlementReportView(report: SettlementReport, query: { from: string | null; to: string | null }): SettlementReportAnswer {
  return {
    granularity: report.granularity,
    basis: report.dateBasis,
    from: query.from,
    to: query.to,
    rows: report.rows.map((row) => ({
      period: row.period,
      periodStart: row.periodStart ? limaDateOf(row.periodStart) : null,
      channel: row.channel,
      currency: row.currency,
      ...totalsView(row),
    })),
    totals: { PEN: totalsView(report.totals.PEN), USD: totalsView(report.totals.USD) },
  };
}

function totalsView(totals: SettlementTotals) {
  return {
    count: totals.count,
    grossMinor: totals.grossMinor,
    commissionMinor: totals.commissionMinor,
    netMinor: totals.netMinor,
    linesWithoutCommission: totals.linesWithoutCommission,
  };
}
