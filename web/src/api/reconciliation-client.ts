import type { AdminClient, ApiResult } from "./admin-client";
import type { ColumnMapping, ExceptionQuery, NewFeeEntry, PayoutTermsUpdate, ReportQuery } from "./reconciliation-types";
import {
  readException,
  readExceptionList,
  readFeeEntry,
  readFeeList,
  readImport,
  readImportList,
  readPayoutTerms,
  readPreview,
  readReport,
  readRun,
  readStartedImport,
  readStatus,
  readUpcoming,
} from "./reconciliation-wire";

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
 * The panel's calls to the reconciliation and settlement API. Answers are read leniently into the
 * panel's own types (reconciliation-wire.ts), so a renamed or missing field degrades one cell, not a page.
 */
export class ReconciliationClient {
  constructor(private readonly admin: AdminClient) {}

  status = () => this.get(RECON_PATHS.status, readStatus);
  runNow = () => this.map(this.admin.send<unknown>("POST", RECON_PATHS.runs, {}), (body) => readRun(pick(body, "run")));
  run = (id: string) => this.get(RECON_PATHS.run(id), (body) => readRun(pick(body, "run")));

  exceptions = (query: ExceptionQuery) => this.get(`${RECON_PATHS.exceptions}${exceptionSearch(query, true)}`, readExceptionList);
  /** Every exception about one payment (open and resolved), for its detail page. */
  exceptionsOfPayment = (paymentSessionId: string) =>
    this.get(`${RECON_PATHS.exceptions}?${new URLSearchParams({ paymentSessionId, pageSize: "50" })}`, readExceptionList);
  exception = (id: string) => this.get(RECON_PATHS.exception(id), (body) => readException(pick(body, "exception")));
  resolve = (id: string, note: string) =>
    this.map(this.admin.send<unknown>("POST", RECON_PATHS.resolve(id), { note }), (body) => readException(pick(body, "exception")));
  exceptionsCsvUrl = (query: ExceptionQuery) => this.admin.url(`${RECON_PATHS.exceptionsCsv}${exceptionSearch(query, false)}`);

  /** The shop's saved mapping; null before the first import. */
  mapping = async (): Promise<ApiResult<ColumnMapping | null>> => {
    const result = await this.admin.send<unknown>("GET", RECON_PATHS.mapping);
    if (!result.ok) return result.error.kind === "server" && result.error.status === 404 ? { ok: true, value: null } : result;
    return { ok: true, value: readMappingBody(result.value) };
  };
  saveMapping = (mapping: ColumnMapping) =>
    this.map(this.admin.send<unknown>("PUT", RECON_PATHS.mapping, mapping), (body) => readMappingBody(body) ?? mapping);

  /** Uploads the file (raw body) and answers its first rows, headers and a suggested mapping. */
  preview = (file: File) =>
    this.map(
      this.admin.upload<unknown>("POST", `${RECON_PATHS.preview}?${new URLSearchParams({ rows: String(PREVIEW_ROWS), fileName: file.name })}`, file, fileHeaders(file)),
      readPreview,
    );
  /** Imports an upload already previewed (the server keeps it for an hour). */
  startImport = (uploadId: string, fileName: string) =>
    this.map(this.admin.send<unknown>("POST", RECON_PATHS.imports, { uploadId, fileName }), readStartedImport);
  /** Imports a file directly (raw body), with the saved mapping. */
  importFile = (file: File) =>
    this.map(
      this.admin.upload<unknown>("POST", `${RECON_PATHS.imports}?${new URLSearchParams({ fileName: file.name })}`, file, fileHeaders(file)),
      readStartedImport,
    );
  imports = (page: number, pageSize: number) =>
    this.get(`${RECON_PATHS.imports}?${new URLSearchParams({ page: String(page), pageSize: String(pageSize) })}`, readImportList);
  importStatus = (id: string) => this.get(RECON_PATHS.import(id), (body) => readImport(pick(body, "import")));

  report = (query: ReportQuery) => this.get(`${RECON_PATHS.report}${reportSearch(query)}`, readReport);
  reportCsvUrl = (query: ReportQuery) => this.admin.url(`${RECON_PATHS.reportCsv}${reportSearch(query)}`);
  upcomingPayouts = () => this.get(`${RECON_PATHS.upcoming}?days=${UPCOMING_DAYS}`, readUpcoming);
  upcomingCsvUrl = () => this.admin.url(`${RECON_PATHS.upcomingCsv}?days=${UPCOMING_DAYS}`);

  fees = () => this.get(RECON_PATHS.fees, readFeeList);
  addFee = (entry: NewFeeEntry) => this.map(this.admin.send<unknown>("POST", RECON_PATHS.fees, entry), (body) => readFeeEntry(pick(body, "entry")));
  removeFee = (id: string) => this.admin.send<unknown>("DELETE", RECON_PATHS.fee(id));
  payoutTerms = () => this.get(RECON_PATHS.payoutTerms, readPayoutTerms);
  savePayoutTerms = (terms: PayoutTermsUpdate) =>
    this.map(this.admin.send<unknown>("PUT", RECON_PATHS.payoutTerms, terms), (body) => readPayoutTerms(body) ?? { ...terms, configured: true });

  sampleFileUrl = () => this.admin.url(RECON_PATHS.sample);
  /** Sandbox: the sample file's column mapping, fee schedule and payout cycle, where the shop has none yet. */
  setUpSample = () => this.admin.send<{ configured: { mapping: boolean; feeSchedule: boolean; payoutCycle: boolean } }>("POST", RECON_PATHS.sampleSetup, {});
  evidenceUrl = (paymentId: string) => this.admin.url(RECON_PATHS.evidence(paymentId));

  private get<T>(path: string, read: (body: unknown) => T | null): Promise<ApiResult<T>> {
    return this.map(this.admin.send<unknown>("GET", path), read);
  }

  private async map<T>(call: Promise<ApiResult<unknown>>, read: (body: unknown) => T | null): Promise<ApiResult<T>> {
    const result = await call;
    if (!result.ok) return result;
    const value = read(result.value);
    if (value === null) return { ok: false, error: { kind: "server", status: 200, code: "bad_response", message: "", fieldErrors: [] } };
    return { ok: true, value };
  }
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

export function reportSearch(query: ReportQuery): string {
  const params = new URLSearchParams({ granularity: query.granularity });
  if (query.basis !== "payment") params.set("basis", query.basis);
  if (query.from) params.set("from", query.from);
  if (query.to) params.set("to", query.to);
  return `?${params.toString()}`;
}

function pick(body: unknown, key: string): unknown {
  return typeof body === "object" && body !== null && key in body ? (body as Record<string, unknown>)[key] : body;
}

function readMappingBody(body: unknown): ColumnMapping | null {
  const mapping = pick(body, "mapping");
  if (typeof mapping !== "object" || mapping === null || !("columns" in mapping)) return null;
  return mapping as ColumnMapping;
}
