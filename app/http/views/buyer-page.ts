import { toString as qrToString } from "qrcode";

import { formatForDisplay } from "../../domain/money";
import { assertUnreachable } from "../../lib/assert-unreachable";
import { BUYER_PAGE_JS } from "./buyer-page-script";
import { BUYER_PAGE_CSS } from "./buyer-page-style";
import { escapeHtml } from "./html";
import {
  BUYER_PAGE_STRINGS,
  type BuyerLocale,
  type BuyerPageStrings,
  PHONE_COUNTRY_CODES,
  type PhoneCountryCode,
} from "./i18n";
import { formatCountdown, formatLimaExpiry } from "./lima-display-time";

export const BUYER_PAGE_STATES = [
  "awaiting_phone",
  "issuing",
  "pending",
  "paid",
  "expired",
  "rejected",
  "cancelled",
] as const;
export type BuyerPageState = (typeof BUYER_PAGE_STATES)[number];

/** Names of the fields the phone form posts to `formAction`; the route parses exactly these. */
export const BUYER_PHONE_FORM_FIELDS = {
  countryCode: "phoneCountryCode",
  phone: "phone",
  csrfToken: "_csrf",
} as const;

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
  currency: "PEN" | "USD";
  expiresAt: Date | null;
  /** The server's business time (Clock); the countdown starts from it, not from the phone's clock. */
  now: Date;
  /** Our /pay/:token/continue link: returns to the store via Shopify. */
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
  /** Meta refresh interval while issuing; defaults to DEFAULT_ISSUING_REFRESH_SECONDS. */
  refreshSeconds?: number | null;
  /** Shown instead of the default text in the rejected and cancelled states. */
  rejectionMessage?: string | null;
  /** CSP nonce put on every <script> and <style>. */
  nonce: string;
}

interface Ctx {
  readonly view: BuyerPageView;
  readonly t: BuyerPageStrings;
  readonly amount: string;
}

/**
 * The page a shopper sees after choosing PagoEfectivo: one self-contained HTML document (inline CSS,
 * one small static script, inline SVG QR), so it is fast on a cheap phone and runs under a nonce CSP
 * with no external hosts. Every interpolated value goes through escapeHtml.
 */
export async function renderBuyerPage(view: BuyerPageView): Promise<string> {
  const t = BUYER_PAGE_STRINGS[view.locale];
  const ctx: Ctx = { view, t, amount: formatForDisplay({ amountMinor: view.amountMinor, currency: view.currency }, view.locale) };
  const main = await renderMain(ctx);
  const usesScript = view.state === "pending" || view.state === "awaiting_phone";
  const nonce = escapeHtml(view.nonce);
  const other: BuyerLocale = view.locale === "es" ? "en" : "es";
  const otherStrings = BUYER_PAGE_STRINGS[other];
  return `<!doctype html>
<html lang="${escapeHtml(t.htmlLang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex,nofollow">
${view.state === "issuing" ? `<meta http-equiv="refresh" content="${refreshSeconds(view.refreshSeconds)}">\n` : ""}<title>${escapeHtml(t.title(view.shopName))}</title>
<style nonce="${nonce}">${BUYER_PAGE_CSS}</style>
</head>
<body>
<header><span class="brand">PagoEfectivo</span><a data-testid="language-switch" href="${escapeHtml(view.languageSwitchUrl[other])}" hreflang="${escapeHtml(otherStrings.htmlLang)}" lang="${escapeHtml(otherStrings.htmlLang)}" title="${escapeHtml(t.switchToLabel)}">${escapeHtml(otherStrings.languageName)}</a></header>
<main data-testid="state" data-state="${escapeHtml(view.state)}">
${main}
</main>
${usesScript ? `<script nonce="${nonce}">${BUYER_PAGE_JS}</script>\n` : ""}</body>
</html>
`;
}

async function renderMain(ctx: Ctx): Promise<string> {
  const { view, t } = ctx;
  switch (view.state) {
    case "awaiting_phone":
      return [orderSummary(ctx, "h1"), phoneForm(ctx), cancelLink(ctx)].join("\n");
    case "issuing":
      return [
        orderSummary(ctx, "h2"),
        card(
          `<h1>${escapeHtml(t.issuingHeading)}</h1>
<p>${escapeHtml(t.issuingText)}</p>
<p><a href="">${escapeHtml(t.issuingRefresh)}</a></p>`,
        ),
        cancelLink(ctx),
      ].join("\n");
    case "pending":
      return [
        orderSummary(ctx, "h1"),
        view.cip === null ? card(`<h1>${escapeHtml(t.unconfirmedHeading)}</h1>\n<p>${escapeHtml(t.unconfirmedText)}</p>`) : cipCard(ctx, view.cip),
        continueCard(ctx, true),
        view.cip === null ? "" : await qrCard(ctx, view.cip),
        howToPay(t),
        cancelLink(ctx),
      ].join("\n");
    case "paid":
      return [
        card(
          `<h1>${escapeHtml(t.paidHeading)}</h1>
<p>${escapeHtml(t.paidText(ctx.amount, view.shopName))}</p>
${view.cip === null ? "" : `<p class="muted">${escapeHtml(t.cipReference)}: <span data-testid="cip-reference">${escapeHtml(view.cip)}</span></p>`}`,
          "success",
        ),
        orderSummary(ctx, "h2"),
        continueCard(ctx, false),
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
  return [
    card(`<h1>${escapeHtml(heading)}</h1>\n<p>${escapeHtml(text)}</p>`, "alert"),
    orderSummary(ctx, "h2"),
    continueCard(ctx, false),
    cancelLink(ctx),
  ].join("\n");
}

function card(inner: string, modifier?: "success" | "alert"): string {
  return `<section class="card${modifier ? ` ${modifier}` : ""}">\n${inner}\n</section>`;
}

function orderSummary(ctx: Ctx, heading: "h1" | "h2"): string {
  const { view, t } = ctx;
  return card(
    `<${heading}>${escapeHtml(t.payAtShop(view.shopName))}</${heading}>
<p class="muted">${escapeHtml(t.amountLabel)}</p>
<p class="amount" data-testid="amount">${escapeHtml(ctx.amount)}</p>`,
  );
}

function phoneForm(ctx: Ctx): string {
  const { view, t } = ctx;
  const f = BUYER_PHONE_FORM_FIELDS;
  const selected = selectedCountryCode(view.phoneInput?.countryCode);
  const options = PHONE_COUNTRY_CODES.map(
    (code) =>
      `<option value="${escapeHtml(code)}"${code === selected ? " selected" : ""}>${escapeHtml(`${code} ${t.countryNames[code]}`)}</option>`,
  ).join("");
  const error = view.phoneError ?? null;
  const describedBy = error ? "phone-hint phone-error" : "phone-hint";
  return card(`<h2>${escapeHtml(t.phoneHeading)}</h2>
<p class="muted">${escapeHtml(t.phoneWhy)}</p>
<form method="post" action="${escapeHtml(view.formAction)}" data-testid="phone-form" data-phone-form>
<input type="hidden" name="${f.csrfToken}" value="${escapeHtml(view.csrfToken)}">
<label for="phone">${escapeHtml(t.phoneLabel)}</label>
<div class="phone-row">
<select id="phone-country" name="${f.countryCode}" aria-label="${escapeHtml(t.phoneCountryLabel)}" autocomplete="tel-country-code">${options}</select>
<input id="phone" name="${f.phone}" type="tel" inputmode="numeric" autocomplete="tel-national" required maxlength="15" value="${escapeHtml(view.phoneInput?.phone ?? "")}" aria-describedby="${describedBy}"${error ? ' aria-invalid="true"' : ""}>
</div>
<p id="phone-hint" class="muted">${escapeHtml(t.phoneHint)}</p>
${error ? `<p id="phone-error" class="error" role="alert" data-testid="phone-error">${escapeHtml(error)}</p>\n` : ""}<div class="actions"><button class="btn btn-primary" type="submit">${escapeHtml(t.phoneSubmit)}</button></div>
</form>`);
}

function selectedCountryCode(input: string | null | undefined): PhoneCountryCode {
  return PHONE_COUNTRY_CODES.find((code) => code === input) ?? "+51";
}

function cipCard(ctx: Ctx, cip: string): string {
  const { view, t } = ctx;
  const expiry =
    view.expiresAt === null
      ? ""
      : `<p>${escapeHtml(t.expiresLabel)} <time data-testid="expiry" datetime="${escapeHtml(view.expiresAt.toISOString())}">${escapeHtml(formatLimaExpiry(view.expiresAt, view.locale))}</time> (${escapeHtml(t.limaTime)})</p>
<p>${escapeHtml(t.countdownLabel)}: ${countdown(ctx, view.expiresAt)}</p>`;
  return card(`<h2>${escapeHtml(t.cipHeading)}</h2>
<div class="cip-row">
<span id="cip-value" class="cip" data-testid="cip" data-value="${escapeHtml(cip)}">${escapeHtml(cip)}</span>
<button type="button" class="btn btn-small" data-testid="copy-button" data-copy-target="cip-value" data-copy-status="copy-status" data-copied-text="${escapeHtml(t.copied)}" hidden>${escapeHtml(t.copy)}</button>
<span id="copy-status" role="status" aria-live="polite"></span>
</div>
${expiry}`);
}

function countdown(ctx: Ctx, expiresAt: Date): string {
  const { view, t } = ctx;
  const remainingMs = expiresAt.getTime() - view.now.getTime();
  // Without JavaScript this server-rendered text is all the shopper gets, so it must already be right.
  const text = remainingMs > 0 ? formatCountdown(remainingMs) : t.countdownExpired;
  return `<span class="countdown" role="timer" data-testid="countdown" data-countdown data-expires-at="${escapeHtml(expiresAt.toISOString())}" data-server-now="${escapeHtml(view.now.toISOString())}" data-expired-text="${escapeHtml(t.countdownExpired)}">${escapeHtml(text)}</span>`;
}

function continueCard(ctx: Ctx, explain: boolean): string {
  const { view, t } = ctx;
  return card(
    `<a class="btn btn-primary" data-testid="continue-button" href="${escapeHtml(view.continueUrl)}">${escapeHtml(t.continueButton)}</a>${
      explain ? `\n<p class="muted">${escapeHtml(t.continueExplanation)}</p>` : ""
    }`,
  );
}

async function qrCard(ctx: Ctx, cip: string): Promise<string> {
  const { view, t } = ctx;
  const voucher =
    view.cipUrl === null
      ? ""
      : `\n<p><a data-testid="voucher-link" href="${escapeHtml(view.cipUrl)}" target="_blank" rel="noopener noreferrer">${escapeHtml(t.voucherLink)}</a> <span class="muted">(${escapeHtml(t.newTab)})</span></p>`;
  return card(`<figure class="qr" data-testid="qr">${await qrSvg(cip)}<figcaption>${escapeHtml(t.qrCaption)}</figcaption></figure>${voucher}`);
}

/**
 * The QR as inline SVG, no image request. The SVG namespace attribute is dropped because the HTML parser
 * puts <svg> in that namespace anyway, and the page then names no host besides the ones it links to.
 * The figcaption describes it, so the drawing itself is hidden from screen readers.
 */
async function qrSvg(cip: string): Promise<string> {
  const svg = await qrToString(cip, { type: "svg", margin: 1 });
  return svg
    .trim()
    .replace(/\s+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, "")
    .replace(/^<svg\b/, '<svg aria-hidden="true" focusable="false"');
}

function howToPay(t: BuyerPageStrings): string {
  const sections = t.channels.map(
    (channel) => `<div data-testid="channel-${channel.id}">
<h3>${escapeHtml(channel.title)}</h3>
<p class="muted">${escapeHtml(channel.where)}</p>
<ol>${channel.steps.map((step) => `<li>${escapeHtml(step)}</li>`).join("")}</ol>
</div>`,
  );
  return card(`<h2>${escapeHtml(t.howToPayHeading)}</h2>\n${sections.join("\n")}`);
}

function cancelLink(ctx: Ctx): string {
  const { view, t } = ctx;
  if (view.cancelUrl === null) return "";
  return `<a class="secondary-link" data-testid="cancel-link" href="${escapeHtml(view.cancelUrl)}">${escapeHtml(t.chooseOtherMethod)}</a>`;
}

function refreshSeconds(value: number | null | undefined): number {
  if (value === null || value === undefined || !Number.isFinite(value)) return DEFAULT_ISSUING_REFRESH_SECONDS;
  return Math.min(MAX_REFRESH_SECONDS, Math.max(1, Math.round(value)));
}
