import { paymentQuerySearch } from "./payment-query";
import type {
  ConnectionTest,
  CredentialsUpdate,
  Environment,
  PaymentDetail,
  PaymentList,
  PaymentQuery,
  RecordRefundInput,
  RefundList,
  RefundRow,
  RefundState,
  SessionInfo,
  Settings,
  SettingsUpdate,
  SetupInfo,
  TodaySummary,
} from "./types";

/** One field's problem, from a 400's `details`; `field` is the first path segment. */
export interface FieldError {
  field: string;
  message: string;
}

export type ApiError =
  | { kind: "unauthenticated"; message: string }
  | { kind: "server"; status: number; code: string; message: string; fieldErrors: FieldError[] }
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
 * The admin panel's only way to the server. Every call resolves to a result (never throws); a 401 is
 * also broadcast so the whole panel can switch to the "session expired" screen at once.
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

  loginUrl(shop: string | null): string {
    return shop ? `${this.baseUrl}/auth/login?shop=${encodeURIComponent(shop)}` : `${this.baseUrl}/auth/login`;
  }

  async session(): Promise<ApiResult<SessionInfo>> {
    const result = await this.request<SessionInfo>("GET", "/api/session");
    if (result.ok) {
      this.shop = result.value.shop.domain;
      writeStorage(SHOP_STORAGE_KEY, result.value.shop.domain);
    }
    return result;
  }

  setup = () => this.request<SetupInfo>("GET", "/api/setup");
  summaryToday = () => this.request<TodaySummary>("GET", "/api/summary/today");
  settings = () => this.request<Settings>("GET", "/api/settings");
  saveSettings = (update: SettingsUpdate) => this.request<Settings>("PUT", "/api/settings", update);
  saveCredentials = (environment: Environment, update: CredentialsUpdate) =>
    this.request<Settings>("PUT", `/api/credentials/${environment}`, update);
  testConnection = (environment: Environment) => this.request<ConnectionTest>("POST", `/api/credentials/${environment}/test`);
  confirmNotificationUrl = () => this.request<Settings>("POST", "/api/notification-url/confirm");
  activate = (externalHandle: string | null) =>
    this.request<Settings>("POST", "/api/activate", externalHandle ? { externalHandle } : {});
  deactivate = () => this.request<Settings>("POST", "/api/deactivate");

  payments = (query: PaymentQuery) => this.request<PaymentList>("GET", `/api/payments${paymentQuerySearch(query)}`);
  payment = (id: string) => this.request<PaymentDetail>("GET", `/api/payments/${encodeURIComponent(id)}`);
  /** A plain link: the browser downloads the streamed CSV itself, with the session cookie. */
  paymentsExportUrl = (query: PaymentQuery) =>
    `${this.baseUrl}/api/payments/export.csv${paymentQuerySearch({ ...query, page: 1 }, { paging: false })}`;

  refunds = (state: RefundState, page: number, pageSize: number) =>
    this.request<RefundList>("GET", `/api/refunds?${new URLSearchParams({ state, page: String(page), pageSize: String(pageSize) })}`);
  recordRefund = (id: string, input: RecordRefundInput) =>
    this.request<RefundRow>("POST", `/api/refunds/${encodeURIComponent(id)}/record`, input);
  rejectRefund = (id: string, reason: string) =>
    this.request<RefundRow>("POST", `/api/refunds/${encodeURIComponent(id)}/reject`, { reason });

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
  upload = <T>(method: Method, path: string, body: Blob, headers: Record<string, string>) =>
    this.request<T>(method, path, undefined, { body, headers });

  /** Any JSON call by path: feature clients (reconciliation, settlements) build on this. */
  send = <T>(method: Method, path: string, body?: unknown) => this.request<T>(method, path, body);

  private async request<T>(method: Method, path: string, body?: unknown, raw?: { body: Blob; headers: Record<string, string> }): Promise<ApiResult<T>> {
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
    if (response.status === 204) return { ok: true, value: undefined as T };
    if (payload === undefined) {
      return { ok: false, error: { kind: "server", status: response.status, code: "bad_response", message: "", fieldErrors: [] } };
    }
    return { ok: true, value: payload as T };
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

function serverError(response: Response, payload: unknown): ApiError {
  const error = isRecord(payload) && isRecord(payload.error) ? payload.error : {};
  const details = Array.isArray(error.details) ? error.details : [];
  const fieldErrors: FieldError[] = [];
  for (const detail of details) {
    if (!isRecord(detail) || typeof detail.message !== "string") continue;
    const path = Array.isArray(detail.path) ? detail.path : typeof detail.path === "string" ? detail.path.split(".") : [];
    const field = path[0];
    if (field !== undefined) fieldErrors.push({ field: String(field), message: detail.message });
  }
  return {
    kind: "server",
    status: response.status,
    code: typeof error.code === "string" ? error.code : `http_${response.status}`,
    message: typeof error.message === "string" ? error.message : "",
    fieldErrors,
  };
}

function errorMessageOf(payload: unknown): string | null {
  return isRecord(payload) && isRecord(payload.error) && typeof payload.error.message === "string" ? payload.error.message : null;
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
