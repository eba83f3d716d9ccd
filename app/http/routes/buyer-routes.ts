import { timingSafeEqual } from "node:crypto";

import express, { type Request, type Response, Router } from "express";

import type { BuyerPhoneProblem } from "../../domain/buyer-phone";
import type { SubmitBuyerPhone } from "../../use-cases/submit-buyer-phone/submit-buyer-phone";
import { cipReminderIcs } from "../views/buyer-calendar";
import { BUYER_PHONE_FORM_FIELDS, buyerPageCsp } from "../views/buyer-page";
import { BUYER_PAGE_STRINGS, type BuyerLocale } from "../views/i18n";
import { encode, pickEncoding } from "./buyer-page-cache";
import {
  type BuyerPageDeps,
  BuyerPageResponder,
  csrfToken,
  displayName,
  formatAmount,
  notFoundResponse,
  pageHeaders,
  type PageResponse,
  pageState,
  pickLocale,
  SECURITY_HEADERS,
} from "./buyer-page-responder";

export interface BuyerRouteDeps extends BuyerPageDeps {
  submitPhone: SubmitBuyerPhone;
  /** Nudges the outbox worker so the pending mutation (and its redirect) happens now. */
  wakeWorker: () => void;
  /** The responder the server's fast path uses too (one page cache); made here when not given. */
  responder?: BuyerPageResponder;
}

const CONTINUE_WAIT_MS = 6_000;

/**
 * The shopper's page: server-rendered, no third-party assets, strict hash-based CSP. Opening it again
 * shows the session's current state; while a code is pending the page polls /status and reloads itself
 * when the state changes. A bad link gets a page in the shopper's language, never an API error.
 */
export function buyerRoutes(deps: BuyerRouteDeps): Router {
  const router = Router();
  const responder = deps.responder ?? new BuyerPageResponder(deps);

  router.get("/pay/:token", async (req, res) => {
    send(res, await responder.page({ token: String(req.params.token), ...requestInfo(req) }));
  });

  router.get("/pay/:token/status", async (req, res) => {
    const found = await responder.load(String(req.params.token));
    res.set(SECURITY_HEADERS);
    if (!found) {
      res.status(404).json({ error: { code: "not_found", message: "No payment for this link" } });
      return;
    }
    // `now` is the server's business clock: the page's countdown re-bases on it.
    res.json({ state: pageState(found.session), now: deps.clock.now().toISOString() });
  });

  router.get("/pay/:token/calendar.ics", async (req, res) => {
    const found = await responder.load(String(req.params.token));
    const session = found?.session;
    if (!found || !session?.cip || !session.cipExpiresAt || session.state !== "pending") return send(res, notFoundResponse(requestInfo(req)));
    const locale = pickLocale(req.query.lang, session);
    const t = BUYER_PAGE_STRINGS[locale];
    const shopName = displayName(found);
    const ics = cipReminderIcs({
      uid: `cip-${session.cip}@pagoefectivo-for-shopify`,
      summary: t.calendarSummary(session.cip, shopName),
      description: t.calendarDescription(session.cip, formatAmount(session, locale)),
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
    const found = await responder.load(token);
    if (!found) return send(res, notFoundResponse(requestInfo(req)));
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const locale = pickLocale(req.query.lang, found.session);
    const t = BUYER_PAGE_STRINGS[locale];
    const input = { countryCode: body[BUYER_PHONE_FORM_FIELDS.countryCode] ?? "+51", phone: body[BUYER_PHONE_FORM_FIELDS.phone] ?? "" };
    const fresh = async (status: number, message: string) => {
      const encoding = pickEncoding(req.get("accept-encoding"));
      const html = await responder.render(found, locale, deps.clock.now(), message, input);
      send(res, { status, headers: pageHeaders(encoding, buyerPageCsp()), body: encode(Buffer.from(html, "utf8"), encoding) });
    };
    if (!validCsrf(deps.formSecret, token, body[BUYER_PHONE_FORM_FIELDS.csrfToken])) return fresh(403, t.formExpired);
    const result = await deps.submitPhone.execute(token, input);
    if (!result.ok) {
      if (result.error.kind === "not_found") return send(res, notFoundResponse(requestInfo(req)));
      return fresh(422, phoneProblemText(locale, result.error.problem));
    }
    res.redirect(303, `${deps.buyerPageUrl(token)}${locale === "en" ? "?lang=en" : ""}`);
  });

  router.get("/pay/:token/continue", async (req, res) => {
    const token = String(req.params.token);
    let found = await responder.load(token);
    if (!found) return send(res, notFoundResponse(requestInfo(req)));
    const deadline = Date.now() + CONTINUE_WAIT_MS;
    deps.wakeWorker();
    // Shopify's redirect comes back from paymentSessionPending/Resolve/Reject, delivered by the worker.
    while (found && !found.session.nextActionUrl && Date.now() < deadline && found.session.state !== "awaiting_phone") {
      await new Promise((r) => setTimeout(r, 200));
      found = await responder.load(token);
    }
    const session = found?.session;
    if (session?.nextActionUrl) return res.redirect(303, session.nextActionUrl);
    if (session?.state === "awaiting_phone" && session.cancelUrl) return res.redirect(303, session.cancelUrl);
    res.redirect(303, `${deps.buyerPageUrl(token)}?waiting=1`);
  });

  // Anything else under /pay/ is a mangled link too.
  const notFound = (req: Request, res: Response) => send(res, notFoundResponse(requestInfo(req)));
  router.get("/pay", notFound);
  router.get("/pay/*rest", notFound);

  return router;
}

function requestInfo(req: Request) {
  return { lang: req.query.lang, acceptEncoding: req.get("accept-encoding"), acceptLanguage: req.get("accept-language"), path: req.path, ifNoneMatch: req.get("if-none-match") };
}

function send(res: Response, page: PageResponse): void {
  res.status(page.status).set(page.headers).end(page.body);
}

function phoneProblemText(locale: BuyerLocale, problem: BuyerPhoneProblem): string {
  const text = BUYER_PAGE_STRINGS[locale].phoneProblems[problem.kind];
  return "digits" in problem ? text.replace("{n}", String(problem.digits)) : text;
}

function validCsrf(secret: Buffer, buyerToken: string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(csrfToken(secret, buyerToken));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
