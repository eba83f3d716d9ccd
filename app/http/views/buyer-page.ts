import { type Currency, formatForDisplay } from "../../domain/money";
import { assertUnreachable } from "../../lib/assert-unreachable";
import { browserScript, cspHash } from "./browser-scripts";
import {
  cancelLink,
  card,
  type CardContext,
  cipCard,
  continueCard,
  howToPay,
  orderSummary,
  paidCard,
  phoneForm,
  qrCard,
} from "./buyer-page-cards";
import { BUYER_PAGE_CSS } from "./buyer-page-style";
import { qrSvg } from "./buyer-qr";
import { escapeHtml } from "./html";
import { BUYER_PAGE_STRINGS, type BuyerLocale, type BuyerPageStrings } from "./i18n";

export { BUYER_PHONE_FORM_FIELDS } from "./buyer-page-cards";

export const BUYER_PAGE_STATES = ["awaiting_phone", "issuing", "pending", "paid", "expired", "rejected", "cancelled"] as const;
export type BuyerPageState = (typeof BUYER_PAGE_STATES)[number];

export const DEFAULT_ISSUING_REFRESH_SECONDS = 3;
const MAX_REFRESH_SECONDS = 60;

export interface BuyerPageView {
  locale: BuyerLocale;
  shopName: string;
  state: BuyerPageState;
  cip: string | null;
  /** PagoEfectivo's hosted voucher; opened in a new tab. */
  cipUrl: string | null;
  amountMinor: number;
  currency: Currency;
  expiresAt: Date | null;
  /** The server's business time (Clock); the countdown starts from it, not from the phone's clock. */
  now: Date;
  /** Our /pay/:token/continue link: returns to the store via Shopify (its order status page once paid). */
  continueUrl: string;
  /** Shopify's cancel_url: back to checkout to choose another payment method. */
  cancelUrl: string | null;
  /** POST target for the phone form. */
  formAction: string;
  phoneError?: string | null;
  /** What the shopper typed, to refill the form when `phoneError` is shown. */
  phoneInput?: { countryCode?: string | null; phone?: string | null } | null;
  csrfToken: string;
  languageSwitchUrl: { es: string; en: string };
  /** The JSON the page's script polls while the code is pending (same origin). */
  statusUrl: string;
  /** The .ics reminder for the expiry; null hides the link. */
  calendarUrl: string | null;
  /** What was paid and when (the notification's figures); shown in the paid state. */
  paid?: { amountMinor: number; currency: Currency; at: Date | null } | null;
  /** Meta refresh interval while issuing; defaults to DEFAULT_ISSUING_REFRESH_SECONDS. */
  refreshSeconds?: number | null;
  /** Shown instead of the default text in the rejected and cancelled states. */
  rejectionMessage?: string | null;
}

interface Ctx extends CardContext {
  readonly view: BuyerPageView;
}

const STYLE_HASH = cspHash(BUYER_PAGE_CSS);

/**
 * The page's Content-Security-Policy. The inline stylesheet and script are allowed by their SHA-256
 * hashes rather than a per-response nonce: both are static text with no data in them, so a hash pins
 * exactly them, an injected <script> still cannot run (its hash differs), and the page's bytes stay the
 * same between requests, which lets the route cache and precompress them. connect-src 'self' is for the
 * status polling.
 */
export function buyerPageCsp(): string {
  const script = browserScript("buyer-page").cspHash;
  return `default-src 'none'; style-src ${STYLE_HASH}; script-src ${script}; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
}

/**
 * The page a shopper sees after choosing PagoEfectivo: one self-contained HTML document (inline CSS,
 * one small static script, inline SVG QR), so it is fast on a cheap phone and runs under a strict CSP
 * with no external hosts. Every interpolated value goes through escapeHtml.
 */
export async function renderBuyerPage(view: BuyerPageView): Promise<string> {
  const t = BUYER_PAGE_STRINGS[view.locale];
  const amount = formatForDisplay({ amountMinor: view.amountMinor, currency: view.currency }, view.locale);
  const ctx: Ctx = { view, t, locale: view.locale, shopName: view.shopName, amount, now: view.now };
  const main = await renderMain(ctx);
  const usesScript = view.state === "pending" || view.state === "awaiting_phone";
  const other: BuyerLocale = view.locale === "es" ? "en" : "es";
  const otherStrings = BUYER_PAGE_STRINGS[other];
  const live = view.state === "pending" ? ` data-status-url="${escapeHtml(view.statusUrl)}"` : "";
  return `<!doctype html>
<html lang="${escapeHtml(t.htmlLang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex,nofollow">
${view.state === "issuing" ? `<meta http-equiv="refresh" content="${refreshSeconds(view.refreshSeconds)}">\n` : ""}<title>${escapeHtml(t.title(view.shopName))}</title>
<style>${BUYER_PAGE_CSS}</style>
</head>
<body>
${header(t, view.shopName, otherStrings, view.languageSwitchUrl[other])}
<main data-testid="state" data-state="${escapeHtml(view.state)}"${live}>
${main}
</main>
${usesScript ? `<script>${browserScript("buyer-page").source}</script>\n` : ""}</body>
</html>
`;
}

/** The store's name over "Pago con PagoEfectivo"; with no store known, just PagoEfectivo. */
export function header(t: BuyerPageStrings, shopName: string | null, other: BuyerPageStrings, switchUrl: string): string {
  const store =
    shopName === null
      ? `<span class="shop-name">PagoEfectivo</span>`
      : `<span class="shop-name" data-testid="shop-name">${escapeHtml(shopName)}</span><span class="via">${escapeHtml(t.headerVia)}</span>`;
  return `<header><div class="store">${store}</div><a data-testid="language-switch" href="${escapeHtml(switchUrl)}" hreflang="${escapeHtml(other.htmlLang)}" lang="${escapeHtml(other.htmlLang)}" title="${escapeHtml(t.switchToLabel)}">${escapeHtml(other.languageName)}</a></header>`;
}

async function renderMain(ctx: Ctx): Promise<string> {
  const { view, t } = ctx;
  switch (view.state) {
    case "awaiting_phone":
      return [
        orderSummary(ctx, "h1"),
        phoneForm(ctx, { action: view.formAction, csrfToken: view.csrfToken, error: view.phoneError ?? null, input: view.phoneInput ?? null }),
        cancelLink(t, view.cancelUrl),
      ].join("\n");
    case "issuing":
      return [
        orderSummary(ctx, "h2"),
        card(`<h1>${escapeHtml(t.issuingHeading)}</h1>
<p>${escapeHtml(t.issuingText)}</p>
<p><a href="">${escapeHtml(t.issuingRefresh)}</a></p>`),
        cancelLink(t, view.cancelUrl),
      ].join("\n");
    case "pending":
      return [
        orderSummary(ctx, "h1"),
        view.cip === null ? card(`<h1>${escapeHtml(t.unconfirmedHeading)}</h1>\n<p>${escapeHtml(t.unconfirmedText)}</p>`) : cipCard(ctx, view.cip, view.expiresAt, view.calendarUrl),
        continueCard(ctx, view.continueUrl, "pending"),
        view.cip === null ? "" : qrCard(t, await qrSvg(view.cip), view.cipUrl),
        howToPay(t, view.cipUrl !== null),
        cancelLink(t, view.cancelUrl),
      ].join("\n");
    case "paid":
      return [
        paidCard(ctx, view.paid ?? { amountMinor: view.amountMinor, currency: view.currency, at: null }, view.cip),
        continueCard(ctx, view.continueUrl, "paid"),
      ].join("\n");
    case "expired":
      return terminal(ctx, t.expiredHeading, t.expiredText);
    case "rejected":
      return terminal(ctx, t.rejectedHeading, view.rejectionMessage || t.rejectedText);
    case "cancelled":
      return terminal(ctx, t.cancelledHeading, view.rejectionMessage || t.cancelledText);
    default:
      return assertUnreachable(view.state);
  }
}

function terminal(ctx: Ctx, heading: string, text: string): string {
  const { view, t } = ctx;
  return [
    card(`<h1>${escapeHtml(heading)}</h1>\n<p>${escapeHtml(text)}</p>`, "alert"),
    orderSummary(ctx, "h2"),
    continueCard(ctx, view.continueUrl, "closed"),
    cancelLink(t, view.cancelUrl),
  ].join("\n");
}

function refreshSeconds(value: number | null | undefined): number {
  if (value === null || value === undefined || !Number.isFinite(value)) return DEFAULT_ISSUING_REFRESH_SECONDS;
  return Math.min(MAX_REFRESH_SECONDS, Math.max(1, Math.round(value)));
}
