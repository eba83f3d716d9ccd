import { expect } from "vitest";

import { type AdminApi, CSRF } from "./admin-browser";
import { checkAdminAnswer } from "./admin-contract";
import { eventually, type TestApp } from "./test-app";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export interface ImportView {
  id: string;
  fileName: string;
  format: string;
  status: string;
  totalRows: number;
  goodRows: number;
  badRows: number;
  duplicateRows: number;
  progress: number;
  errors: { line: number; reason: string }[];
  failureReason: string | null;
  reconciliationRunId: string | null;
  coverage: { from: string; to: string } | null;
}

export interface ExceptionView {
  id: string;
  kind: string;
  status: string;
  source: string;
  cip: string | null;
  paymentSessionId: string | null;
  orderName: string | null;
  orderFinancialStatus: string | null;
  evidence: Record<string, unknown>;
  suggestedAction: { es: string; en: string };
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  history: { action: string; note: string | null; by: string | null }[];
}

export interface RunView {
  id: string;
  status: string;
  trigger: string;
  stats: Record<string, unknown>;
  error: string | null;
}

/** POSTs a file as the raw body, as the admin panel does (CSRF header, cookie, ?fileName=). */
export async function uploadRaw(
  api: AdminApi,
  path: string,
  body: string | Buffer,
  options: { fileName?: string; contentType?: string; csrf?: boolean } = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const separator = path.includes("?") ? "&" : "?";
  const url = options.fileName === undefined ? path : `${path}${separator}fileName=${encodeURIComponent(options.fileName)}`;
  const headers: Record<string, string> = { "Content-Type": options.contentType ?? "text/csv", Accept: "application/json" };
  if (options.csrf !== false) Object.assign(headers, CSRF);
  const response = await api.raw(url, { method: "POST", headers, body: typeof body === "string" ? body : new Uint8Array(body) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  checkAdminAnswer("POST", url, response, parsed);
  return { status: response.status, body: parsed, headers: response.headers };
}

/** Uploads a settlement file for import and waits until the import (and the run it triggers) is done. */
export async function importFile(api: AdminApi, body: string | Buffer, fileName: string, contentType = "text/csv"): Promise<{ started: { import: ImportView; duplicate: boolean }; finished: ImportView }> {
  const started = await uploadRaw(api, "/api/settlements/imports", body, { fileName, contentType });
  expect([200, 202], JSON.stringify(started.body)).toContain(started.status);
  const view = started.body as { import: ImportView; duplicate: boolean };
  const finished = await waitForImport(api, view.import.id);
  return { started: view, finished };
}

export async function waitForImport(api: AdminApi, id: string): Promise<ImportView> {
  return eventually(async () => {
    const response = await api.get<ImportView>(`/api/settlements/imports/${id}`);
    return response.body.status === "done" || response.body.status === "failed" ? response.body : null;
  }, 30_000);
}

/** Starts a reconciliation run and waits for it. */
export async function runReconciliation(api: AdminApi, linkOrders = true): Promise<RunView> {
  const started = await api.post<{ run: RunView }>("/api/reconciliation/runs", { linkOrders });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return eventually(async () => {
    const response = await api.get<RunView>(`/api/reconciliation/runs/${started.body.run.id}`);
    return response.body.status === "done" || response.body.status === "failed" ? response.body : null;
  }, 30_000);
}

export async function listExceptions(api: AdminApi, query = ""): Promise<{ items: ExceptionView[]; total: number }> {
  const response = await api.get<{ items: ExceptionView[]; total: number }>(`/api/reconciliation/exceptions?pageSize=100${query ? `&${query}` : ""}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** A checkout through the Shopify simulator; returns the session id and its CIP. `test` sessions use the sandbox credentials. */
export async function checkout(t: TestApp, shop: string, amount: string, currency: "PEN" | "USD" = "PEN", test = false): Promise<{ id: string; cip: string }> {
  const answer = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop, amount, currency, test });
  expect(answer.body.status, JSON.stringify(answer.body)).toBe(201);
  const session = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: answer.body.id } });
  expect(session.cip).toMatch(/^\d+$/);
  return { id: session.id, cip: session.cip ?? "" };
}

/** Pays the CIP in the emulator and waits until the app has marked the session paid. */
export async function pay(t: TestApp, payment: { id: string; cip: string }, body: Record<string, unknown> = {}): Promise<void> {
  const paid = await t.json("POST", `/sandbox/pagoefectivo/cips/${payment.cip}/pay`, body);
  expect(paid.status, JSON.stringify(paid.body)).toBe(200);
}

export async function waitPaid(t: TestApp, id: string): Promise<void> {
  await eventually(async () => (await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } })).state === "paid");
}

export async function checkoutAndPay(t: TestApp, shop: string, amount: string, currency: "PEN" | "USD" = "PEN", channel = "agente", test = false): Promise<{ id: string; cip: string }> {
  const payment = await checkout(t, shop, amount, currency, test);
  await pay(t, payment, { channel });
  await waitPaid(t, payment.id);
  return payment;
}

/** The sample file's column mapping, spelled as a merchant would set it. */
export const PORTAL_MAPPING = {
  columns: {
    cip: "Código CIP",
    amount: "Monto",
    currency: "Moneda",
    paymentDate: "Fecha de pago",
    channel: "Canal",
    commission: "Comisión",
    net: "Neto",
    payoutDate: "Fecha de abono",
    operationNumber: "Nro. operación",
  },
};

export const PORTAL_HEADER = "Código CIP;Monto;Moneda;Fecha de pago;Canal;Comisión;Neto;Fecha de abono;Nro. operación";
