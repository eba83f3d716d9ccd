import { type Currency, formatForDisplay } from "../../domain/money";
import { escapeHtml } from "./html";
import { type BuyerLocale, type BuyerPageStrings, PHONE_COUNTRY_CODES, type PhoneCountryCode } from "./i18n";
import { formatCountdown, formatLimaExpiry } from "./lima-display-time";

/** The buyer page's building blocks. Every interpolated value goes through escapeHtml. */

/** Names of the fields the phone form posts to `formAction`; the route parses exactly these. */
export const BUYER_PHONE_FORM_FIELDS = {
  countryCode: "phoneCountryCode",
  phone: "phone",
  csrfToken: "_csrf",
} as const;

export interface CardContext {
  readonly locale: BuyerLocale;
  readonly t: BuyerPageStrings;
  readonly shopName: string;
  /** The amount to pay, formatted for display ("S/ 150.00"). */
  readonly amount: string;
  readonly now: Date;
}

export function card(inner: string, modifier?: "success" | "alert"): string {
  return `<section class="card${modifier ? ` ${modifier}` : ""}">\n${inner}\n</section>`;
}

export function orderSummary(ctx: CardContext, heading: "h1" | "h2"): string {
  const { t } = ctx;
  return card(
    `<${heading}>${escapeHtml(t.payAtShop(ctx.shopName))}</${heading}>
<p class="muted">${escapeHtml(t.amountLabel)}</p>
<p class="amount" data-testid="amount">${escapeHtml(ctx.amount)}</p>`,
  );
}

export function phoneForm(
  ctx: CardContext,
  form: { action: string; csrfToken: string; error: string | null; input: { countryCode?: string | null; phone?: string | null } | null },
): string {
  const { t } = ctx;
  const f = BUYER_PHONE_FORM_FIELDS;
  const selected = selectedCountryCode(form.input?.countryCode);
  const options = PHONE_COUNTRY_CODES.map(
    (code) =>
      `<option value="${escapeHtml(code)}"${code === selected ? " selected" : ""}>${escapeHtml(`${code} ${t.countryNames[code]}`)}</option>`,
  ).join("");
  const describedBy = form.error ? "phone-hint phone-error" : "phone-hint";
  const p = t.phoneProblems;
  // The script words problems before submitting with these same sentences; the server words them after.
  const messages = [
    ["msg-empty", p.empty],
    ["msg-chars", p.characters],
    ["msg-start", p.peru_start],
    ["msg-length", p.peru_length],
    ["msg-other", p.other_length],
  ]
    .map(([name, text]) => ` data-${name}="${escapeHtml(text ?? "")}"`)
    .join("");
  return card(`<h2>${escapeHtml(t.phoneHeading)}</h2>
<p class="muted">${escapeHtml(t.phoneWhy)}</p>
<form method="post" action="${escapeHtml(form.action)}" data-testid="phone-form" data-phone-form${messages} novalidate>
<input type="hidden" name="${f.csrfToken}" value="${escapeHtml(form.csrfToken)}">
<label for="phone">${escapeHtml(t.phoneLabel)}</label>
<div class="phone-row">
<select id="phone-country" name="${f.countryCode}" aria-label="${escapeHtml(t.phoneCountryLabel)}" autocomplete="tel-country-code">${options}</select>
<input id="phone" name="${f.phone}" type="tel" inputmode="tel" autocomplete="tel-national" required value="${escapeHtml(form.input?.phone ?? "")}" aria-describedby="${describedBy}"${form.error ? ' aria-invalid="true"' : ""}>
</div>
<p id="phone-hint" class="muted">${escapeHtml(t.phoneHint)}</p>
<p id="phone-error" class="error" role="alert" data-testid="phone-error"${form.error ? "" : " hidden"}>${escapeHtml(form.error ?? "")}</p>
<div class="actions"><button class="btn btn-primary" type="submit">${escapeHtml(t.phoneSubmit)}</button></div>
</form>`);
}

function selectedCountryCode(input: string | null | undefined): PhoneCountryCode {
  return PHONE_COUNTRY_CODES.find((code) => code === input) ?? "+51";
}

export function cipCard(ctx: CardContext, cip: string, expiresAt: Date | null, calendarUrl: string | null): string {
  const { t } = ctx;
  const expiryText = expiresAt === null ? null : formatLimaExpiry(expiresAt, ctx.locale);
  const expiry =
    expiresAt === null || expiryText === null
      ? ""
      : `<p>${escapeHtml(t.expiresLabel)} <time data-testid="expiry" datetime="${escapeHtml(expiresAt.toISOString())}">${escapeHtml(expiryText)}</time> (${escapeHtml(t.limaTime)})</p>
<p>${escapeHtml(t.countdownLabel)}: ${countdown(ctx, expiresAt)}</p>`;
  const calendar =
    calendarUrl === null
      ? ""
      : `\n<a class="btn btn-small btn-quiet" data-testid="calendar-link" href="${escapeHtml(calendarUrl)}" download>${escapeHtml(t.addToCalendar)}</a>`;
  return card(`<h2>${escapeHtml(t.cipHeading)}</h2>
<div class="cip-row">
<span id="cip-value" class="cip" data-testid="cip" data-value="${escapeHtml(cip)}">${escapeHtml(cip)}</span>
</div>
<div class="tools">
<button type="button" class="btn btn-small" data-testid="copy-button" data-copy-target="cip-value" data-copy-status="copy-status" data-copied-text="${escapeHtml(t.copied)}" hidden>${escapeHtml(t.copy)}</button>
<button type="button" class="btn btn-small" data-testid="share-button" data-share data-share-title="${escapeHtml(t.cipHeading)}" data-share-text="${escapeHtml(t.shareText(cip, ctx.amount, ctx.shopName, expiryText))}" hidden>${escapeHtml(t.share)}</button>${calendar}
<span id="copy-status" role="status" aria-live="polite"></span>
</div>
${expiry}`);
}

function countdown(ctx: CardContext, expiresAt: Date): string {
  const { t } = ctx;
  const remainingMs = expiresAt.getTime() - ctx.now.getTime();
  // Without JavaScript this server-rendered text is all the shopper gets, so it must already be right.
  const text = remainingMs > 0 ? formatCountdown(remainingMs) : t.countdownExpired;
  return `<span class="countdown" role="timer" data-testid="countdown" data-countdown data-expires-at="${escapeHtml(expiresAt.toISOString())}" data-server-now="${escapeHtml(ctx.now.toISOString())}" data-expired-text="${escapeHtml(t.countdownExpired)}">${escapeHtml(text)}</span>`;
}

export function continueCard(ctx: CardContext, continueUrl: string, mode: "pending" | "paid" | "closed"): string {
  const { t } = ctx;
  const label = mode === "paid" ? t.paidContinue(ctx.shopName) : t.continueButton;
  const explain = mode === "pending" ? `\n<p class="muted">${escapeHtml(t.continueExplanation)}</p>\n<p class="muted" data-testid="live-note">${escapeHtml(t.liveStatusNote)}</p>` : "";
  return card(`<a class="btn btn-primary" data-testid="continue-button" href="${escapeHtml(continueUrl)}">${escapeHtml(label)}</a>${explain}`);
}

export function paidCard(ctx: CardContext, paid: { amountMinor: number; currency: Currency; at: Date | null }, cip: string | null): string {
  const { t } = ctx;
  const amount = formatForDisplay({ amountMinor: paid.amountMinor, currency: paid.currency }, ctx.locale);
  const rows = [
    [t.paidAmountLabel, `<span data-testid="paid-amount">${escapeHtml(amount)}</span>`],
    ...(paid.at
      ? [[t.paidAtLabel, `<time data-testid="paid-at" datetime="${escapeHtml(paid.at.toISOString())}">${escapeHtml(formatLimaExpiry(paid.at, ctx.locale))}</time> (${escapeHtml(t.limaTime)})`]]
      : []),
    ...(cip ? [[t.cipReference, `<span class="mono" data-testid="cip-reference">${escapeHtml(cip)}</span>`]] : []),
  ]
    .map(([label, value]) => `<dt>${escapeHtml(label ?? "")}</dt><dd>${value ?? ""}</dd>`)
    .join("");
  return card(
    `<h1>${escapeHtml(t.paidHeading)}</h1>
<p>${escapeHtml(t.paidText(amount, ctx.shopName))}</p>
<dl class="facts">${rows}</dl>`,
    "success",
  );
}

export function qrCard(t: BuyerPageStrings, svg: string, cipUrl: string | null): string {
  const voucher =
    cipUrl === null
      ? ""
      : `\n<p><a data-testid="voucher-link" href="${escapeHtml(cipUrl)}" target="_blank" rel="noopener noreferrer">${escapeHtml(t.voucherLink)}</a> <span class="muted">(${escapeHtml(t.newTab)})</span></p>`;
  return card(`<figure class="qr" data-testid="qr">${svg}<figcaption>${escapeHtml(t.qrCaption)}</figcaption></figure>${voucher}`);
}

export function howToPay(t: BuyerPageStrings, hasVoucher: boolean): string {
  const sections = t.channels.map(
    (channel) => `<div data-testid="channel-${channel.id}">
<h3>${escapeHtml(channel.title)}</h3>
<p class="muted">${escapeHtml(channel.where)}</p>
<ol>${channel.steps.map((step) => `<li>${escapeHtml(step)}</li>`).join("")}</ol>
</div>`,
  );
  const more = hasVoucher ? `\n<p class="muted">${escapeHtml(t.moreChannels)}</p>` : "";
  return card(`<h2>${escapeHtml(t.howToPayHeading)}</h2>\n${sections.join("\n")}${more}`);
}

export function cancelLink(t: BuyerPageStrings, cancelUrl: string | null): string {
  if (cancelUrl === null) return "";
  return `<a class="secondary-link" data-testid="cancel-link" href="${escapeHtml(cancelUrl)}">${escapeHtml(t.chooseOtherMethod)}</a>`;
}
