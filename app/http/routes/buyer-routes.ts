import { createHmac, timingSafeEqual } from "node:crypto";

import express, { type Request, type Response, Router } from "express";

import type { BuyerPhoneProblem } from "../../domain/buyer-phone";
import { formatForDisplay } from "../../domain/money";
import type { Clock } from "../../lib/clock";
import type { BuyerPageReader, BuyerPageRecord, BuyerPageSession } from "../../ports/buyer-page-reader";
import type { IssueCip } from "../../use-cases/issue-cip/issue-cip";
import type { SubmitBuyerPhone } from "../../use-cases/submit-buyer-phone/submit-buyer-phone";
import { cipReminderIcs } from "../views/buyer-calendar";
import { buyerNotFoundCsp, renderBuyerNotFoundPage } from "../views/buyer-not-found-page";
import { BUYER_PHONE_FORM_FIELDS, buyerPageCsp, type BuyerPageState, renderBuyerPage } from "../views/buyer-page";
import { BUYER_PAGE_STRINGS, type BuyerLocale } from "../views/i18n";
import { BuyerPageCache, type ContentEncoding, encode, pickEncoding } from "./buyer-page-cache";

export interface BuyerRouteDeps {
  pages: BuyerPageReader;
  issueCip: IssueCip;
  submitPhone: SubmitBuyerPhone;
  clock: Clock;
  /** Signs the phone form's CSRF token; any stable server secret. */
  formSecret: Buffer;
  /** Nudges the outbox worker so the pending mutation (and its redirect) happens now. */
  wakeWorker: () => void;
  buyerPageUrl: (token: string) => string;
}

const CONTINUE_WAIT_MS = 6_000;
const TOKEN = /^[A-Za-z0-9_-]{10,64}$/;

const SECURITY_HEADERS = {
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
} as const;

/**
 * The shopper's page: server-rendered, no third-party assets, strict hash-based CSP. Opening it again
 * shows the session's current state; while a code is pending the page polls /status and reloads itself
 * when the state changes. A bad link gets a page in the shopper's language, never an API error.
 */
export function buyerRoutes(deps: BuyerRouteDeps): Router {
  const router = Router();
  const cache = new BuyerPageCache();

  router.get("/pay/:token", async (req, res) => {
    const found = await load(deps, String(req.params.token));
    if (!found) return notFoundPage(req, res);
    let record = found;
    const { session } = found;
    // A session whose CIP creation failed transiently gets another try when the buyer looks again.
    const retry = !session.cip && (session.state === "pending" || (session.state === "awaiting_phone" && session.phone !== null));
    if (retry) record = { ...found, session: (await deps.issueCip.execute(session.id)).session };
    const locale = pickLocale(req.query.lang, record.session);
    const encoding = pickEncoding(req.get("accept-encoding"));
    const now = deps.clock.now();
    const version = `${record.session.state}|${record.session.updatedAt.getTime()}|${record.session.cip ?? ""}|${record.shopName ?? ""}`;
    const body = await cache.body(`${record.session.buyerToken}|${locale}`, version, now, encoding, () =>
      renderPage(deps, record, locale, now, null, null),
    );
    sendPage(res, 200, body, encoding);
  });

  router.get("/pay/:token/status", async (req, res) => {
    const found = await load(deps, String(req.params.token));
    res.set(SECURITY_HEADERS);
    if (!found) {
      res.status(404).json({ error: { code: "not_found", message: "No payment for this link" } });
      return;
    }
    res.json({ state: pageState(found.session) });
  });

  router.get("/pay/:token/calendar.ics", async (req, res) => {
    const found = await load(deps, String(req.params.token));
    const session = found?.session;
    if (!found || !session?.cip || !session.cipExpiresAt || session.state !== "pending") return notFoundPage(req, res);
    const locale = pickLocale(req.query.lang, session);
    const t = BUYER_PAGE_STRINGS[locale];
    const shopName = displayName(found);
    const amount = formatAmount(session, locale);
    const ics = cipReminderIcs({
      uid: `cip-${session.cip}@pagoefectivo-for-shopify`,
      summary: t.calendarSummary(session.cip, shopName),
      description: t.calendarDescription(session.cip, amount),
      url: deps.buyerPageUrl(session.buyerToken),
      expiresAt: session.cipExpiresAt,
      now: deps.clock.now(),
    });
    res
      .set({ ...SECURITY_HEADERS, "Content-Type": "text/calendar; charset=utf-8", "Content-Disposition": `attachment; filename="cip-${session.cip}.ics"` })
      .send(ics);
  });

  router.post("/pay/:token/phone", express.urlencoded({ extended: false, limit: "4kb" }), async (req, res) => {
    const token = String(req.params.token);
    const found = await load(deps, token);
    if (!found) return notFoundPage(req, res);
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const locale = pickLocale(req.query.lang, found.session);
    const t = BUYER_PAGE_STRINGS[locale];
    const input = { countryCode: body[BUYER_PHONE_FORM_FIELDS.countryCode] ?? "+51", phone: body[BUYER_PHONE_FORM_FIELDS.phone] ?? "" };
    if (!validCsrf(deps.formSecret, token, body[BUYER_PHONE_FORM_FIELDS.csrfToken])) {
      return sendFresh(res, 403, await renderPage(deps, found, locale, deps.clock.now(), t.formExpired, input), req);
    }
    const result = await deps.submitPhone.execute(token, input);
    if (!result.ok) {
      if (result.error.kind === "not_found") return notFoundPage(req, res);
      const message = phoneProblemText(locale, result.error.problem);
      return sendFresh(res, 422, await renderPage(deps, found, locale, deps.clock.now(), message, input), req);
    }
    res.redirect(303, `${deps.buyerPageUrl(token)}${locale === "en" ? "?lang=en" : ""}`);
  });

  router.get("/pay/:token/continue", async (req, res) => {
    const token = String(req.params.token);
    let found = await load(deps, token);
    if (!found) return notFoundPage(req, res);
    const deadline = Date.now() + CONTINUE_WAIT_MS;
    deps.wakeWorker();
    // Shopify's redirect comes back from paymentSessionPending/Resolve/Reject, delivered by the worker.
    while (found && !found.session.nextActionUrl && Date.now() < deadline && found.session.state !== "awaiting_phone") {
      await new Promise((r) => setTimeout(r, 200));
      found = await load(deps, token);
    }
    const session = found?.session;
    if (session?.nextActionUrl) return res.redirect(303, session.nextActionUrl);
    if (session?.state === "awaiting_phone" && session.cancelUrl) return res.redirect(303, session.cancelUrl);
    res.redirect(303, `${deps.buyerPageUrl(token)}?waiting=1`);
  });

  // Anything else under /pay/ is a mangled link too.
  router.get("/pay", notFoundPage);
  router.get("/pay/*rest", notFoundPage);

  return router;
}

async function load(deps: BuyerRouteDeps, token: string): Promise<BuyerPageRecord | null> {
  if (!TOKEN.test(token)) return null;
  return deps.pages.findByBuyerToken(token);
}

function pickLocale(query: unknown, session: BuyerPageSession | null, acceptLanguage?: string): BuyerLocale {
  if (query === "en" || query === "es") return query;
  if (session) return session.buyerLocale === "en" ? "en" : "es";
  // No session to ask: the browser's first preference between the two we speak.
  const first = (acceptLanguage ?? "").toLowerCase().match(/\b(es|en)\b/);
  return first?.[1] === "en" ? "en" : "es";
}

function pageState(session: BuyerPageSession): BuyerPageState {
  if (session.state === "awaiting_phone") return session.phone ? "issuing" : "awaiting_phone";
  if (session.state === "pending") return session.cip ? "pending" : "issuing";
  return session.state;
}

function displayName(record: BuyerPageRecord): string {
  return record.shopName ?? record.shopDomain.replace(/\.myshopify\.com$/, "");
}

function formatAmount(session: BuyerPageSession, locale: BuyerLocale): string {
  return formatForDisplay({ amountMinor: session.amountMinor, currency: session.currency }, locale);
}

function phoneProblemText(locale: BuyerLocale, problem: BuyerPhoneProblem): string {
  const text = BUYER_PAGE_STRINGS[locale].phoneProblems[problem.kind];
  return "digits" in problem ? text.replace("{n}", String(problem.digits)) : text;
}

function renderPage(
  deps: BuyerRouteDeps,
  record: BuyerPageRecord,
  locale: BuyerLocale,
  now: Date,
  phoneError: string | null,
  phoneInput: { countryCode: string; phone: string } | null,
): Promise<string> {
  const { session } = record;
  const base = deps.buyerPageUrl(session.buyerToken);
  const lang = locale === "en" ? "?lang=en" : "";
  const paidCurrency = session.paidCurrency === "USD" || session.paidCurrency === "PEN" ? session.paidCurrency : session.currency;
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
    csrfToken: csrfToken(deps.formSecret, session.buyerToken),
    languageSwitchUrl: { es: `${base}?lang=es`, en: `${base}?lang=en` },
    statusUrl: `${base}/status`,
    calendarUrl: session.cip && session.cipExpiresAt ? `${base}/calendar.ics${lang}` : null,
    paid: { amountMinor: session.paidAmountMinor ?? session.amountMinor, currency: paidCurrency, at: session.paidAt },
    rejectionMessage: null,
  });
}

function sendPage(res: Response, status: number, body: Buffer, encoding: ContentEncoding, csp = buyerPageCsp()): void {
  res.status(status).set({
    ...SECURITY_HEADERS,
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": csp,
    Vary: "Accept-Encoding",
  });
  if (encoding !== "identity") res.set("Content-Encoding", encoding);
  res.end(body);
}

function sendFresh(res: Response, status: number, html: string, req: Request): void {
  const encoding = pickEncoding(req.get("accept-encoding"));
  sendPage(res, status, encode(Buffer.from(html, "utf8"), encoding), encoding);
}

function notFoundPage(req: Request, res: Response): void {
  const locale = pickLocale(req.query.lang, null, req.get("accept-language"));
  const path = req.path;
  const html = renderBuyerNotFoundPage(locale, { es: `${path}?lang=es`, en: `${path}?lang=en` });
  const encoding = pickEncoding(req.get("accept-encoding"));
  sendPage(res, 404, encode(Buffer.from(html, "utf8"), encoding), encoding, buyerNotFoundCsp());
}

function csrfToken(secret: Buffer, buyerToken: string): string {
  return createHmac("sha256", secret).update(`phone-form:${buyerToken}`).digest("base64url");
}

function validCsrf(secret: Buffer, buyerToken: string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(csrfToken(secret, buyerToken));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
