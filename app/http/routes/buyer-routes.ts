import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

import express, { type Response, Router } from "express";

import type { Clock } from "../../lib/clock";
import type { PaymentSessionRecord, PaymentStore } from "../../ports/payment-store";
import type { IssueCip } from "../../use-cases/issue-cip/issue-cip";
import type { SubmitBuyerPhone } from "../../use-cases/submit-buyer-phone/submit-buyer-phone";
import { notFound } from "../http-error";
import { BUYER_PHONE_FORM_FIELDS, type BuyerPageState, renderBuyerPage } from "../views/buyer-page";

export interface BuyerRouteDeps {
  store: PaymentStore;
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

/**
 * The shopper's page: server-rendered, no third-party assets, strict CSP with a per-response
 * nonce. Opening it again shows the session's current state.
 */
export function buyerRoutes(deps: BuyerRouteDeps): Router {
  const router = Router();

  router.get("/pay/:token", async (req, res) => {
    const session = await load(deps, String(req.params.token));
    let current = session;
    // A session whose CIP creation failed transiently gets another try when the buyer looks again.
    if (!session.cip && session.state === "pending") current = (await deps.issueCip.execute(session.id)).session;
    if (!session.cip && session.state === "awaiting_phone" && session.phone) current = (await deps.issueCip.execute(session.id)).session;
    await render(deps, res, current, pickLocale(req.query.lang, current), null, null);
  });

  router.post("/pay/:token/phone", express.urlencoded({ extended: false, limit: "4kb" }), async (req, res) => {
    const token = String(req.params.token);
    const session = await load(deps, token);
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const locale = pickLocale(req.query.lang, session);
    if (!validCsrf(deps.formSecret, token, body[BUYER_PHONE_FORM_FIELDS.csrfToken])) {
      res.status(403);
      await render(deps, res, session, locale, locale === "en" ? "The form expired. Please try again." : "El formulario venció. Inténtalo de nuevo.", null);
      return;
    }
    const country = body[BUYER_PHONE_FORM_FIELDS.countryCode] ?? "+51";
    const phone = body[BUYER_PHONE_FORM_FIELDS.phone] ?? "";
    const result = await deps.submitPhone.execute(token, `${country}${phone.replace(/^\+?51(?=9\d{8}$)/, "")}`);
    if (!result.ok) {
      res.status(result.error.kind === "not_found" ? 404 : 422);
      const message =
        locale === "en"
          ? "Enter a Peruvian mobile number: 9 digits starting with 9."
          : "Ingresa un celular peruano: 9 dígitos que empiezan con 9.";
      await render(deps, res, session, locale, message, { countryCode: country, phone });
      return;
    }
    res.redirect(303, `${deps.buyerPageUrl(token)}${locale === "en" ? "?lang=en" : ""}`);
  });

  router.get("/pay/:token/continue", async (req, res) => {
    const token = String(req.params.token);
    let session = await load(deps, token);
    const deadline = Date.now() + CONTINUE_WAIT_MS;
    deps.wakeWorker();
    // Shopify's redirect comes back from paymentSessionPending/Resolve/Reject, delivered by the worker.
    while (!session.nextActionUrl && Date.now() < deadline && session.state !== "awaiting_phone") {
      await new Promise((r) => setTimeout(r, 200));
      session = await load(deps, token);
    }
    if (session.nextActionUrl) {
      res.redirect(303, session.nextActionUrl);
      return;
    }
    if (session.state === "awaiting_phone" && session.cancelUrl) {
      res.redirect(303, session.cancelUrl);
      return;
    }
    res.redirect(303, `${deps.buyerPageUrl(token)}?waiting=1`);
  });

  return router;
}

async function load(deps: BuyerRouteDeps, token: string): Promise<PaymentSessionRecord> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(token)) throw notFound("Payment not found");
  const session = await deps.store.findSessionByBuyerToken(token);
  if (!session) throw notFound("Payment not found");
  return session;
}

function pickLocale(query: unknown, session: PaymentSessionRecord): "es" | "en" {
  if (query === "en" || query === "es") return query;
  return session.buyerLocale === "en" ? "en" : "es";
}

function pageState(session: PaymentSessionRecord): BuyerPageState {
  if (session.state === "awaiting_phone") return session.phone ? "issuing" : "awaiting_phone";
  // A lost creation answer (cipExpiresAt without a cip): pending, with no code to show; PagoEfectivo may have e-mailed it.
  if (session.state === "pending") return session.cip || session.cipExpiresAt ? "pending" : "issuing";
  return session.state;
}

async function render(
  deps: BuyerRouteDeps,
  res: Response,
  session: PaymentSessionRecord,
  locale: "es" | "en",
  phoneError: string | null,
  phoneInput: { countryCode: string; phone: string } | null,
): Promise<void> {
  const shop = await deps.store.findShopById(session.shopId);
  const nonce = randomBytes(16).toString("base64");
  const base = deps.buyerPageUrl(session.buyerToken);
  const html = await renderBuyerPage({
    locale,
    shopName: shop?.domain.replace(/\.myshopify\.com$/, "") ?? "",
    state: pageState(session),
    cip: session.cip,
    cipUrl: session.cipUrl,
    amountMinor: session.amountMinor,
    currency: session.currency,
    expiresAt: session.cipExpiresAt,
    now: deps.clock.now(),
    continueUrl: `${base}/continue`,
    cancelUrl: session.cancelUrl,
    formAction: `${base}/phone${locale === "en" ? "?lang=en" : ""}`,
    phoneError,
    phoneInput,
    csrfToken: csrfToken(deps.formSecret, session.buyerToken),
    languageSwitchUrl: { es: `${base}?lang=es`, en: `${base}?lang=en` },
    rejectionMessage: null,
    nonce,
  });
  res
    .set({
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": `default-src 'none'; img-src 'self' data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
    })
    .send(html);
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
