import { createHash, createHmac } from "node:crypto";

import { formatForDisplay, isCurrency } from "../../domain/money";
import type { Clock } from "../../lib/clock";
import type { BuyerPageReader, BuyerPageRecord, BuyerPageSession } from "../../ports/buyer-page-reader";
import type { IssueCip } from "../../use-cases/issue-cip/issue-cip";
import { buyerNotFoundCsp, renderBuyerNotFoundPage } from "../views/buyer-not-found-page";
import { buyerPageCsp, type BuyerPageState, renderBuyerPage } from "../views/buyer-page";
import type { BuyerLocale } from "../views/i18n";
import { BuyerPageCache, type ContentEncoding, encode, isExpired, pickEncoding } from "./buyer-page-cache";

/**
 * GET /pay/:token as plain data (status, headers, bytes), so the Express route and the server's fast
 * path (buyer-page-fast-path.ts) answer exactly the same. One read per request (the state is never
 * older than that read); rendering and compression are reused from BuyerPageCache.
 */

export interface BuyerPageDeps {
  pages: BuyerPageReader;
  issueCip: IssueCip;
  clock: Clock;
  /** Signs the phone form's CSRF token; any stable server secret. */
  formSecret: Buffer;
  buyerPageUrl: (token: string) => string;
}

export interface PageResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: Buffer;
}

export const TOKEN = /^[A-Za-z0-9_-]{10,64}$/;

/**
 * The page itself (GET /pay/:token, 200 and 304): the browser may keep it but must ask again every time it shows
 * it (no-cache), and gets a 304 while nothing it shows has changed (ETag). `private`: it is one buyer's page.
 * The live status comes from /status, which stays no-store.
 */
export const PAGE_CACHE_CONTROL = "private, no-cache";
/** The ETag changes at least this often, so a revalidated page's countdown text is never older than this. */
const ETAG_WINDOW_MS = 60_000;

export const SECURITY_HEADERS = {
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
} as const;

export class BuyerPageResponder {
  private readonly cache = new BuyerPageCache();
  // Built once: the page's headers depend only on the encoding (the CSP pins static hashes).
  private readonly headers = {
    br: { ...pageHeaders("br", buyerPageCsp()), "Cache-Control": PAGE_CACHE_CONTROL },
    gzip: { ...pageHeaders("gzip", buyerPageCsp()), "Cache-Control": PAGE_CACHE_CONTROL },
    identity: { ...pageHeaders("identity", buyerPageCsp()), "Cache-Control": PAGE_CACHE_CONTROL },
  };

  constructor(private readonly deps: BuyerPageDeps) {}

  async load(token: string): Promise<BuyerPageRecord | null> {
    if (!TOKEN.test(token)) return null;
    return this.deps.pages.findByBuyerToken(token);
  }

  async page(request: {
    token: string;
    lang: unknown;
    acceptEncoding: string | undefined;
    acceptLanguage: string | undefined;
    path: string;
    ifNoneMatch?: string | undefined;
  }): Promise<PageResponse> {
    if (!TOKEN.test(request.token)) return notFoundResponse(request);
    const encoding = pickEncoding(request.acceptEncoding);
    const now = this.deps.clock.now();
    // The language asked for in the URL, if any; the session's own language is behind its version.
    const key = `${request.token}|${request.lang === "en" || request.lang === "es" ? request.lang : ""}`;
    // The common path: a page rendered in this window; only its version is read, so a change is never hidden.
    if (this.cache.has(key, now)) {
      const version = await this.deps.pages.findVersionByBuyerToken(request.token);
      const entry = version === null ? undefined : this.cache.fresh(key, version, now);
      if (entry) {
        const etag = (entry.etags[encoding] ??= etagOf(entry.version, entry.expired, entry.variant, encoding, now));
        return this.answer(encoding, etag, request.ifNoneMatch, () => this.cache.encoded(key, entry, encoding));
      }
    }
    const found = await this.deps.pages.findByBuyerToken(request.token);
    if (!found) return notFoundResponse(request);
    let record = found;
    const { session } = found;
    // A session whose CIP creation failed transiently gets another try when the buyer looks again; such a page is not
    // cached (its version is the one before the try), so the next look tries again too.
    const retry = !session.cip && (session.state === "pending" || (session.state === "awaiting_phone" && session.phone !== null));
    if (retry) record = { ...found, session: (await this.deps.issueCip.execute(session.id)).session };
    const locale = pickLocale(request.lang, record.session);
    const s = record.session;
    const expired = isExpired(s.cipExpiresAt ? s.cipExpiresAt.getTime() : null, now);
    const etag = etagOf(retry ? `${found.version}|${s.state}|${s.updatedAt.getTime()}|${s.cip ?? ""}` : found.version, expired, locale, encoding, now);
    return this.answer(encoding, etag, request.ifNoneMatch, async () => {
      const html = await this.render(record, locale, now, null, null);
      if (retry) return encode(Buffer.from(html, "utf8"), encoding);
      const entry = this.cache.put(key, { version: found.version, variant: locale, expiresAt: s.cipExpiresAt, html }, now);
      return this.cache.encoded(key, entry, encoding);
    });
  }

  private async answer(encoding: ContentEncoding, etag: string, ifNoneMatch: string | undefined, body: () => Buffer | Promise<Buffer>): Promise<PageResponse> {
    const headers = { ...this.headers[encoding], ETag: etag };
    if (ifNoneMatch !== undefined && matchesEtag(ifNoneMatch, etag)) return { status: 304, headers, body: EMPTY };
    return { status: 200, headers, body: await body() };
  }

  render(
    record: BuyerPageRecord,
    locale: BuyerLocale,
    now: Date,
    phoneError: string | null,
    phoneInput: { countryCode: string; phone: string } | null,
  ): Promise<string> {
    const { session } = record;
    const base = this.deps.buyerPageUrl(session.buyerToken);
    const lang = locale === "en" ? "?lang=en" : "";
    const paidCurrency = isCurrency(session.paidCurrency) ? session.paidCurrency : session.currency;
    return renderBuyerPage({
      locale,
      shopName: displayName(record),
      state: pageState(session),
      cip: session.cip,
      cipUrl: session.cipUrl,
      amountMinor: session.amountMinor,
      currency: session.currency,
      expiresAt: session.cipExpiresAt,
      now,
      continueUrl: `${base}/continue`,
      cancelUrl: session.cancelUrl,
      formAction: `${base}/phone${lang}`,
      phoneError,
      phoneInput,
      csrfToken: csrfToken(this.deps.formSecret, session.buyerToken),
      languageSwitchUrl: { es: `${base}?lang=es`, en: `${base}?lang=en` },
      statusUrl: `${base}/status`,
      calendarUrl: session.cip && session.cipExpiresAt ? `${base}/calendar.ics${lang}` : null,
      paid: { amountMinor: session.paidAmountMinor ?? session.amountMinor, currency: paidCurrency, at: session.paidAt },
      rejectionMessage: null,
    });
  }
}

const EMPTY = Buffer.alloc(0);

/** Everything the page shows: the session's version, expired or not, the language, the encoding, the countdown's minute. */
function etagOf(version: string, expired: boolean, variant: string, encoding: ContentEncoding, now: Date): string {
  const minute = Math.floor(now.getTime() / ETAG_WINDOW_MS);
  return `W/"${createHash("sha256").update(`${version}|${expired ? "expired" : ""}|${variant}|${encoding}|${minute}`).digest("base64url").slice(0, 27)}"`;
}

/** If-None-Match holds this ETag (weak comparison, as RFC 9110 §13.1.2 asks for GET), or is `*`. */
function matchesEtag(ifNoneMatch: string, etag: string): boolean {
  const opaque = etag.replace(/^W\//, "");
  return ifNoneMatch.split(",").some((candidate) => {
    const tag = candidate.trim();
    return tag === "*" || tag.replace(/^W\//, "") === opaque;
  });
}

export function pageHeaders(encoding: "br" | "gzip" | "identity", csp: string): Readonly<Record<string, string>> {
  return Object.freeze({
    ...SECURITY_HEADERS,
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": csp,
    Vary: "Accept-Encoding",
    ...(encoding === "identity" ? {} : { "Content-Encoding": encoding }),
  });
}

export function notFoundResponse(request: { lang: unknown; acceptEncoding: string | undefined; acceptLanguage: string | undefined; path: string }): PageResponse {
  const locale = pickLocale(request.lang, null, request.acceptLanguage);
  const html = renderBuyerNotFoundPage(locale, { es: `${request.path}?lang=es`, en: `${request.path}?lang=en` });
  const encoding = pickEncoding(request.acceptEncoding);
  return { status: 404, headers: pageHeaders(encoding, buyerNotFoundCsp()), body: encode(Buffer.from(html, "utf8"), encoding) };
}

export function pickLocale(query: unknown, session: BuyerPageSession | null, acceptLanguage?: string): BuyerLocale {
  if (query === "en" || query === "es") return query;
  if (session) return session.buyerLocale === "en" ? "en" : "es";
  // No session to ask: the browser's first preference between the two we speak.
  const first = (acceptLanguage ?? "").toLowerCase().match(/\b(es|en)\b/);
  return first?.[1] === "en" ? "en" : "es";
}

export function pageState(session: BuyerPageSession): BuyerPageState {
  if (session.state === "awaiting_phone") return session.phone ? "issuing" : "awaiting_phone";
  // A lost creation answer (cipExpiresAt without a cip): pending, with no code to show; PagoEfectivo may have e-mailed it.
  if (session.state === "pending") return session.cip || session.cipExpiresAt ? "pending" : "issuing";
  return session.state;
}

export function displayName(record: BuyerPageRecord): string {
  return record.shopName ?? record.shopDomain.replace(/\.myshopify\.com$/, "");
}

export function formatAmount(session: BuyerPageSession, locale: BuyerLocale): string {
  return formatForDisplay({ amountMinor: session.amountMinor, currency: session.currency }, locale);
}

export function csrfToken(secret: Buffer, buyerToken: string): string {
  return createHmac("sha256", secret).update(`phone-form:${buyerToken}`).digest("base64url");
}
