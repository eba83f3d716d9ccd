import { checkAdminAnswer } from "./admin-contract";
import type { TestApp } from "./test-app";

/**
 * A tiny browser for the admin tests: a cookie jar, a real browser User-Agent (shopify-api refuses
 * bots, and Node's fetch says "node"), manual redirects, and the Shopify simulator's consent form.
 */

export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
export const CSRF = { "X-Requested-With": "pagoefectivo-admin" } as const;

export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair = "", ...rest] = header.split(";");
  const index = pair.indexOf("=");
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const [key = "", ...value] = part.split("=");
    if (key.trim()) attributes[key.trim().toLowerCase()] = value.length > 0 ? value.join("=").trim() : true;
  }
  return { name: pair.slice(0, index).trim(), value: pair.slice(index + 1).trim(), attributes };
}

export class CookieJar {
  private readonly cookies = new Map<string, string>();
  readonly received: SetCookie[] = [];

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const cookie = parseSetCookie(header);
      this.received.push(cookie);
      const expires = typeof cookie.attributes.expires === "string" ? Date.parse(cookie.attributes.expires) : NaN;
      const maxAge = typeof cookie.attributes["max-age"] === "string" ? Number(cookie.attributes["max-age"]) : NaN;
      if (cookie.value === "" || maxAge <= 0 || (!Number.isNaN(expires) && expires <= Date.now())) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  delete(name: string): void {
    this.cookies.delete(name);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

export async function browse(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("User-Agent", BROWSER_UA);
  const cookie = jar.header();
  if (cookie) headers.set("Cookie", cookie);
  const response = await fetch(url, { ...init, headers, redirect: "manual" });
  jar.store(response);
  return response;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, "`")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The simulator's "Install app" consent form: where it posts and its hidden fields. */
export function consentForm(html: string): { action: string; fields: Record<string, string> } | null {
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  if (!action) return null;
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[decodeEntities(match[1] ?? "")] = decodeEntities(match[2] ?? "");
  }
  return { action: decodeEntities(action), fields };
}

export interface OAuthTrail {
  /** Every URL visited, in order. */
  urls: string[];
  /** The admin session cookie the flow ended with. */
  adminCookie: string;
}

/**
 * Follows redirects from `startPath` like a browser, pressing "Install" on each consent screen,
 * until the app sends the browser to /admin. Throws on anything else.
 */
export async function completeOAuth(t: TestApp, jar: CookieJar, startPath: string): Promise<OAuthTrail> {
  const urls: string[] = [];
  // An https APP_URL (TLS proxy in front) while the test server listens on http: go to the listener.
  const listener = new URL(t.url);
  const reach = (target: string) => {
    const next = new URL(target);
    if (next.host === listener.host) next.protocol = listener.protocol;
    return next.toString();
  };
  let url = new URL(startPath, t.url).toString();
  for (let step = 0; step < 20; step += 1) {
    url = reach(url);
    urls.push(url);
    if (new URL(url).pathname === "/admin" && new URL(url).origin === new URL(t.url).origin) {
      const adminCookie = jar.get("pe_admin");
      if (!adminCookie) throw new Error(`Reached /admin without a pe_admin cookie: ${urls.join(" → ")}`);
      return { urls, adminCookie };
    }
    const response = await browse(jar, url);
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get("location") ?? "", url).toString();
      continue;
    }
    const body = await response.text();
    const form = response.status === 200 ? consentForm(body) : null;
    if (!form) throw new Error(`Unexpected ${response.status} at ${url}: ${body.slice(0, 400)}`);
    const submitted = await browse(jar, reach(new URL(form.action, url).toString()), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form.fields).toString(),
    });
    if (submitted.status !== 302) throw new Error(`Consent answered ${submitted.status}: ${(await submitted.text()).slice(0, 400)}`);
    url = new URL(submitted.headers.get("location") ?? "", url).toString();
  }
  throw new Error(`Too many redirects: ${urls.join(" → ")}`);
}

export interface AdminApi {
  request<T = unknown>(method: string, path: string, body?: unknown, options?: { csrf?: boolean }): Promise<{ status: number; body: T; headers: Headers }>;
  get<T = unknown>(path: string): Promise<{ status: number; body: T; headers: Headers }>;
  post<T = unknown>(path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }>;
  put<T = unknown>(path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }>;
  raw(path: string, init?: RequestInit): Promise<Response>;
}

/** The admin JSON API as the SPA calls it: the session cookie, and the CSRF header on writes. */
export function adminApi(t: TestApp, cookie: string | null): AdminApi {
  const raw = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookie) headers.set("Cookie", `pe_admin=${cookie}`);
    return fetch(`${t.url}${path}`, { ...init, headers, redirect: "manual" });
  };
  const request = async <T>(method: string, path: string, body?: unknown, options: { csrf?: boolean } = {}) => {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (method !== "GET" && options.csrf !== false) Object.assign(headers, CSRF);
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await raw(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    checkAdminAnswer(method, path, response, parsed);
    return { status: response.status, body: parsed as T, headers: response.headers };
  };
  return {
    request,
    get: (path) => request("GET", path),
    post: (path, body) => request("POST", path, body),
    put: (path, body) => request("PUT", path, body),
    raw,
  };
}

/** Installs the app on `shop` through the simulator (or just signs in, if installed) and returns the API. */
export async function signIn(t: TestApp, shop: string, path: "install" | "login" = "install"): Promise<{ api: AdminApi; trail: OAuthTrail; jar: CookieJar }> {
  const jar = new CookieJar();
  const trail = await completeOAuth(t, jar, `/auth/${path}?shop=${encodeURIComponent(shop)}`);
  return { api: adminApi(t, trail.adminCookie), trail, jar };
}
