import {
  exceptionAnswer,
  exceptionListAnswer,
  feeEntryAnswer,
  feeScheduleAnswer,
  importAnswer,
  importListAnswer,
  mappingAnswer,
  type PaymentInsightsAnswer,
  paymentInsightsAnswer,
  payoutCycleAnswer,
  previewAnswer,
  reconciliationSummaryAnswer,
  runAnswer,
  sampleSetupAnswer,
  settlementReportAnswer,
  startedImportAnswer,
  startRunAnswer,
  upcomingPayoutsAnswer,
} from "../../../app/contracts/admin-api";
import type { AdminClient, ApiResult } from "./admin-client";
import type { ColumnMapping, ExceptionQuery, NewFeeEntry, PayoutTermsUpdate, ReportQuery } from "./reconciliation-types";
import { toException, toFeeEntry, toImport, toPayoutTerms, toPreview, toReport, toRun, toStatus, toUpcoming } from "./reconciliation-wire";

/** Every path of the reconciliation and settlement API in one place. */
export const RECON_PATHS = {
  status: "/api/reconciliation/summary",
  runs: "/api/reconciliation/runs",
  run: (id: string) => `/api/reconciliation/runs/${encodeURIComponent(id)}`,
  exceptions: "/api/reconciliation/exceptions",
  exception: (id: string) => `/api/reconciliation/exceptions/${encodeURIComponent(id)}`,
  resolve: (id: string) => `/api/reconciliation/exceptions/${encodeURIComponent(id)}/resolve`,
  exceptionsCsv: "/api/reconciliation/exceptions/export.csv",
  mapping: "/api/settlements/mapping",
  preview: "/api/settlements/preview",
  imports: "/api/settlements/imports",
  import: (id: string) => `/api/settlements/imports/${encodeURIComponent(id)}`,
  report: "/api/reports/settlements",
  reportCsv: "/api/reports/settlements/export.csv",
  upcoming: "/api/reports/upcoming-payouts",
  upcomingCsv: "/api/reports/upcoming-payouts/export.csv",
  insights: "/api/reports/payment-insights",
  insightsCsv: "/api/reports/payment-insights/export.csv",
  fees: "/api/settlements/fee-schedule",
  fee: (id: string) => `/api/settlements/fee-schedule/${encodeURIComponent(id)}`,
  payoutTerms: "/api/settlements/payout-cycle",
  sample: "/api/settlements/sample.csv",
  sampleSetup: "/api/settlements/sample/setup",
  evidence: (paymentId: string) => `/api/payments/${encodeURIComponent(paymentId)}/evidence`,
} as const;

/** Days ahead the upcoming payouts cover. */
export const UPCOMING_DAYS = 14;

/** How many preview rows the import form shows. */
export const PREVIEW_ROWS = 10;

/**
 * The panel's calls to the reconciliation and settlement API. The admin client parses every answer with
 * the wire contract; this maps it onto the pages' shapes (reconciliation-wire.ts).
 */
export class ReconciliationClient {
  constructor(private readonly admin: AdminClient) {}

  status = () => map(this.admin.send("GET", RECON_PATHS.status, reconciliationSummaryAnswer), toStatus);
  /** Queues a run, or answers the one already queued or going (a double click queues one run). */
  runNow = () => map(this.admin.send("POST", RECON_PATHS.runs, startRunAnswer, {}), (body) => ({ run: toRun(body.run), alreadyQueued: body.alreadyQueued }));
  run = (id: string) => map(this.admin.send("GET", RECON_PATHS.run(id), runAnswer), toRun);

  exceptions = (query: ExceptionQuery) =>
    map(this.admin.send("GET", `${RECON_PATHS.exceptions}${exceptionSearch(query, true)}`, exceptionListAnswer), (list) => ({ ...list, items: list.items.map(toException) }));
  /** Every exception about one payment (open and resolved), for its detail page. */
  exceptionsOfPayment = (paymentSessionId: string) =>
    map(this.admin.send("GET", `${RECON_PATHS.exceptions}?${new URLSearchParams({ paymentSessionId, pageSize: "50" })}`, exceptionListAnswer), (list) => ({
      ...list,
      items: list.items.map(toException),
    }));
  exception = (id: string) => map(this.admin.send("GET", RECON_PATHS.exception(id), exceptionAnswer), toException);
  resolve = (id: string, note: string) => map(this.admin.send("POST", RECON_PATHS.resolve(id), exceptionAnswer, { note }), toException);
  exceptionsCsvUrl = (query: ExceptionQuery) => this.admin.url(`${RECON_PATHS.exceptionsCsv}${exceptionSearch(query, false)}`);

  /** The shop's saved mapping; null before the first one is saved. */
  mapping = (): Promise<ApiResult<ColumnMapping | null>> => map(this.admin.send("GET", RECON_PATHS.mapping, mappingAnswer), (body) => body.mapping);
  saveMapping = (mapping: ColumnMapping) =>
    map(this.admin.send("PUT", RECON_PATHS.mapping, mappingAnswer, mapping), (body) => body.mapping ?? mapping);

  /** Uploads the file (raw body) and answers its first rows, headers and a suggested mapping. */
  preview = (file: File) =>
    map(
      this.admin.upload("POST", `${RECON_PATHS.preview}?${new URLSearchParams({ rows: String(PREVIEW_ROWS), fileName: file.name })}`, previewAnswer, file, fileHeaders(file)),
      toPreview,
    );
  /** Imports an upload already previewed (the server keeps it for an hour). */
  startImport = (uploadId: string, fileName: string) =>
    map(this.admin.send("POST", RECON_PATHS.imports, startedImportAnswer, { uploadId, fileName }), (body) => ({ import: toImport(body.import), duplicate: body.duplicate }));
  /** Imports a file directly (raw body), with the saved mapping. */
  importFile = (file: File) =>
    map(
      this.admin.upload("POST", `${RECON_PATHS.imports}?${new URLSearchParams({ fileName: file.name })}`, startedImportAnswer, file, fileHeaders(file)),
      (body) => ({ import: toImport(body.import), duplicate: body.duplicate }),
    );
  imports = (page: number, pageSize: number) =>
    map(this.admin.send("GET", `${RECON_PATHS.imports}?${new URLSearchParams({ page: String(page), pageSize: String(pageSize) })}`, importListAnswer), (list) => ({
      items: list.items.map(toImport),
      total: list.total,
    }));
  importStatus = (id: string) => map(this.admin.send("GET", RECON_PATHS.import(id), importAnswer), toImport);

  report = (query: ReportQuery) => map(this.admin.send("GET", `${RECON_PATHS.report}${reportSearch(query)}`, settlementReportAnswer), toReport);
  reportCsvUrl = (query: ReportQuery) => this.admin.url(`${RECON_PATHS.reportCsv}${reportSearch(query)}`);
  upcomingPayouts = () => map(this.admin.send("GET", `${RECON_PATHS.upcoming}?days=${UPCOMING_DAYS}`, upcomingPayoutsAnswer), toUpcoming);
  upcomingCsvUrl = () => this.admin.url(`${RECON_PATHS.upcomingCsv}?days=${UPCOMING_DAYS}`);
  /** No dates: the server's last 30 Lima days by the app's clock; the answer says which. */
  insights = (period: InsightsPeriod): Promise<ApiResult<PaymentInsightsAnswer>> => this.admin.send("GET", `${RECON_PATHS.insights}${periodSearch(period)}`, paymentInsightsAnswer);
  insightsCsvUrl = (period: InsightsPeriod) => this.admin.url(`${RECON_PATHS.insightsCsv}${periodSearch(period)}`);

  fees = () => map(this.admin.send("GET", RECON_PATHS.fees, feeScheduleAnswer), (body) => body.entries.map(toFeeEntry));
  addFee = (entry: NewFeeEntry) => map(this.admin.send("POST", RECON_PATHS.fees, feeEntryAnswer, entry), toFeeEntry);
  removeFee = (id: string) => this.admin.sendNoContent("DELETE", RECON_PATHS.fee(id));
  payoutTerms = () => map(this.admin.send("GET", RECON_PATHS.payoutTerms, payoutCycleAnswer), toPayoutTerms);
  savePayoutTerms = (terms: PayoutTermsUpdate) => map(this.admin.send("PUT", RECON_PATHS.payoutTerms, payoutCycleAnswer, terms), toPayoutTerms);

  sampleFileUrl = () => this.admin.url(RECON_PATHS.sample);
  /** Sandbox: the sample file's column mapping, fee schedule and payout cycle, where the shop has none yet. */
  setUpSample = () => this.admin.send("POST", RECON_PATHS.sampleSetup, sampleSetupAnswer, {});
  evidenceUrl = (paymentId: string) => this.admin.url(RECON_PATHS.evidence(paymentId));
}

async function map<A, B>(call: Promise<ApiResult<A>>, to: (answer: A) => B): Promise<ApiResult<B>> {
  const result = await call;
  return result.ok ? { ok: true, value: to(result.value) } : result;
}

/** The file as the raw request body: its own type, or one picked from its name (the name goes in ?fileName=). */
function fileHeaders(file: File): Record<string, string> {
  return { "Content-Type": contentTypeOf(file) };
}

export function contentTypeOf(file: { name: string; type: string }): string {
  const name = file.name.toLowerCase();
  if (name.endsWith(".xlsx")) return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  if (name.endsWith(".csv") || name.endsWith(".txt")) return "text/csv";
  return file.type || "application/octet-stream";
}

export function exceptionSearch(query: ExceptionQuery, paging: boolean): string {
  const params = new URLSearchParams();
  if (query.status) params.set("status", query.status);
  if (query.kind.length > 0) params.set("kind", query.kind.join(","));
  if (paging) {
    params.set("page", String(query.page));
    params.set("pageSize", String(query.pageSize));
  }
  const search = params.toString();
  return search ? `?${search}` : "";
}

export interface InsightsPeriod {
  from: string | null;
  to: string | null;
}

function periodSearch(period: InsightsPeriod): string {
  const params = new URLSearchParams();
  if (period.from) params.set("from", period.from);
  if (period.to) params.set("to", period.to);
  const search = params.toString();
  return search ? `?${search}` : "";
}

export function reportSearch(query: ReportQuery): string {
  const params = new URLSearchParams({ granularity: query.granularity });
  if (query.basis !== "payment") params.set("basis", query.basis);
  if (query.from) params.set("from", query.from);
  if (query.to) params.set("to", query.to);
  return `?${params.toString()}`;
}
