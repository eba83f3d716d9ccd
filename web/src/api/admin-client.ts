import type { z } from "zod";

import {
  connectionTestAnswer,
  errorAnswer,
  paymentDetailAnswer,
  paymentListAnswer,
  refundAnswer,
  refundListAnswer,
  sessionAnswer,
  settingsAnswer,
  setupAnswer,
  todaySummaryAnswer,
} from "../../../app/contracts/admin-api";
import { paymentQuerySearch } from "./payment-query";
import type { CredentialsUpdate, Environment, PaymentQuery, RecordRefundInput, RefundState, SessionInfo, SettingsUpdate } from "./types";

/** One field's problem, from a 400's `details`; `field` is the first path segment. */
export interface FieldError {
  field: string;
  message: string;
}

export type ApiError =
  | { kind: "unauthenticated"; message: string }
  | {
      kind: "server";
      status: number;
      /** The server's error code (the panel words it from its catalog), or bad_response when the answer broke the contract. */
      code: string;
      params: Record<string, string | number>;
      message: string;
      fieldErrors: FieldError[];
    }
  | { kind: "network"; message: string };

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** The CSRF guard every mutating request must pass (see docs/admin-api.md). */
export const CSRF_HEADER = { "X-Requested-With": "pagoefectivo-admin" } as const;

const SHOP_STORAGE_KEY = "pe-admin-shop";
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface AdminClientOptions {
  /** Origin + prefix of the API; "" means the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

/**
 * The admin panel's only way to the server. Every call resolves to a result (never throws); every answer
 * is parsed with its schema from the wire contract (app/contracts/admin-api), so a page only ever sees
 * what the contract promises. A 401 is also broadcast so the whole panel can switch to the sign-in screen.
 */
export class AdminClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly unauthenticatedListeners = new Set<() => void>();
  private shop: string | null = null;

  constructor(options: AdminClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? "";
    this.fetchImpl = options.fetch ?? ((input, init) => window.fetch(input, init));
  }

  onUnauthenticated(listener: () => void): () => void {
    this.unauthenticatedListeners.add(listener);
    return () => this.unauthenticatedListeners.delete(listener);
  }

  /** The shop to log back in to: the last session's, else `?shop=` in the address bar. */
  knownShop(): string | null {
    if (this.shop) return this.shop;
    const stored = readStorage(SHOP_STORAGE_KEY);
    if (stored && SHOP_DOMAIN.test(stored)) return stored;
    const fromUrl = new URLSearchParams(window.location.search).get("shop");
    return fromUrl && SHOP_DOMAIN.test(fromUrl) ? fromUrl : null;
  }

  /** Whether this browser ever had a panel session: a 401 then means "expired", else "sign in". */
  signedInBefore(): boolean {
    if (this.shop) return true;
    const stored = readStorage(SHOP_STORAGE_KEY);
    return stored !== null && SHOP_DOMAIN.test(stored);
  }

  loginUrl(shop: string | null): string {
    return shop ? `${this.baseUrl}/auth/login?shop=${encodeURIComponent(shop)}` : `${this.baseUrl}/auth/login`;
  }

  async session(): Promise<ApiResult<SessionInfo>> {
    const result: ApiResult<SessionInfo> = await this.request("GET", "/api/session", sessionAnswer);
    if (result.ok) {
      this.shop = result.value.shop.domain;
      writeStorage(SHOP_STORAGE_KEY, result.value.shop.domain);
    }
    return result;
  }

  setup = () => this.request("GET", "/api/setup", setupAnswer);
  summaryToday = () => this.request("GET", "/api/summary/today", todaySummaryAnswer);
  settings = () => this.request("GET", "/api/settings", settingsAnswer);
  saveSettings = (update: SettingsUpdate) => this.request("PUT", "/api/settings", settingsAnswer, update);
  saveCredentials = (environment: Environment, update: CredentialsUpdate) =>
    this.request("PUT", `/api/credentials/${environment}`, settingsAnswer, update);
  testConnection = (environment: Environment) => this.request("POST", `/api/credentials/${environment}/test`, connectionTestAnswer);
  confirmNotificationUrl = () => this.request("POST", "/api/notification-url/confirm", settingsAnswer);
  activate = (externalHandle: string | null) =>
    this.request("POST", "/api/activate", settingsAnswer, externalHandle ? { externalHandle } : {});
  deactivate = () => this.request("POST", "/api/deactivate", settingsAnswer);

  payments = (query: PaymentQuery) => this.request("GET", `/api/payments${paymentQuerySearch(query)}`, paymentListAnswer);
  payment = (id: string) => this.request("GET", `/api/payments/${encodeURIComponent(id)}`, paymentDetailAnswer);
  /** A plain link: the browser downloads the streamed CSV itself, with the session cookie. */
  paymentsExportUrl = (query: PaymentQuery, language?: "es" | "en") => {
    const search = paymentQuerySearch({ ...query, page: 1 }, { paging: false });
    const lang = language ? `${search ? "&" : "?"}lang=${language}` : "";
    return `${this.baseUrl}/api/payments/export.csv${search}${lang}`;
  };

  refunds = (state: RefundState, page: number, pageSize: number) =>
    this.request("GET", `/api/refunds?${new URLSearchParams({ state, page: String(page), pageSize: String(pageSize) })}`, refundListAnswer);
  recordRefund = (id: string, input: RecordRefundInput) =>
    this.request("POST", `/api/refunds/${encodeURIComponent(id)}/record`, refundAnswer, input);
  rejectRefund = (id: string, reason: string) =>
    this.request("POST", `/api/refunds/${encodeURIComponent(id)}/reject`, refundAnswer, { reason });

  /** Ends the session; whatever the server answers, the panel then shows the signed-out screen. */
  async logout(): Promise<void> {
    try {
      await this.fetchImpl(`${this.baseUrl}/auth/logout`, {
        method: "POST",
        credentials: "same-origin",
        headers: { ...CSRF_HEADER },
        redirect: "manual",
      });
    } catch {
      // Offline or redirected elsewhere: the cookie is gone or will expire; nothing more to do here.
    }
  }

  /** A URL under the API's origin (links the browser follows itself: downloads, exports). */
  url = (path: string) => `${this.baseUrl}${path}`;

  /**
   * Sends a raw body (a file) instead of JSON, with its own Content-Type and extra headers; the same
   * CSRF header, 401 handling and error shape as every other call.
   */
  upload = <S extends z.ZodType>(method: Method, path: string, schema: S, body: Blob, headers: Record<string, string>) =>
    this.request(method, path, schema, undefined, { body, headers });

  /** Any JSON call by path and its answer's schema (null: no body, a 204): feature clients build on this. */
  send = <S extends z.ZodType>(method: Method, path: string, schema: S, body?: unknown) => this.request(method, path, schema, body);
  sendNoContent = (method: Method, path: string) => this.request(method, path, null);

  private async request<S extends z.ZodType | null>(
    method: Method,
    path: string,
    schema: S,
    body?: unknown,
    raw?: { body: Blob; headers: Record<string, string> },
  ): Promise<ApiResult<S extends z.ZodType ? z.output<S> : undefined>> {
    type T = S extends z.ZodType ? z.output<S> : undefined;
    const headers: Record<string, string> = { Accept: "application/json" };
    if (method !== "GET") Object.assign(headers, CSRF_HEADER);
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (raw) Object.assign(headers, raw.headers);
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        credentials: "same-origin",
        headers,
        ...(raw ? { body: raw.body } : body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      return { ok: false, error: { kind: "network", message: error instanceof Error ? error.message : String(error) } };
    }
    const payload = await readJson(response);
    if (response.status === 401) {
      for (const listener of this.unauthenticatedListeners) listener();
      return { ok: false, error: { kind: "unauthenticated", message: errorMessageOf(payload) ?? "" } };
    }
    if (!response.ok) return { ok: false, error: serverError(response, payload) };
    // "No Content" (a delete) is a success without a body.
    if (schema === null) return response.status === 204 ? { ok: true, value: undefined as T } : badResponse(response.status);
    const parsed = schema.safeParse(payload);
    return parsed.success ? { ok: true, value: parsed.data as T } : badResponse(response.status);
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => "");
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function badResponse(status: number): { ok: false; error: ApiError } {
  return { ok: false, error: { kind: "server", status, code: "bad_response", params: {}, message: "", fieldErrors: [] } };
}

/** An error answer as the contract shapes it; anything else is still an error, without a code to word. */
function serverError(response: Response, payload: unknown): ApiError {
  const parsed = errorAnswer.safeParse(payload);
  if (!parsed.success) return { kind: "server", status: response.status, code: `http_${response.status}`, params: {}, message: "", fieldErrors: [] };
  const { code, message, params, details } = parsed.data.error;
  const fieldErrors: FieldError[] = [];
  for (const detail of Array.isArray(details) ? details : []) {
    if (!isRecord(detail) || typeof detail.message !== "string") continue;
    const path = Array.isArray(detail.path) ? detail.path : typeof detail.path === "string" ? detail.path.split(".") : [];
    const field = path[0];
    if (field !== undefined) fieldErrors.push({ field: String(field), message: detail.message });
  }
  return { kind: "server", status: response.status, code, params: params ?? {}, message, fieldErrors };
}

function errorMessageOf(payload: unknown): string | null {
  const parsed = errorAnswer.safeParse(payload);
  return parsed.success ? parsed.data.error.message : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Storage can throw (private mode, disabled cookies); the panel works without it.
function readStorage(key: string): string | null {
  try {
    return window.sessionStorage.getItem(key) ?? window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    window.sessionStorage.setItem(key, value);
    window.localStorage.setItem(key, value);
  } catch {
    // see readStorage
  }
}
