import { cspHash } from "./browser-scripts";
import { header } from "./buyer-page";
import { BUYER_PAGE_CSS } from "./buyer-page-style";
import { escapeHtml } from "./html";
import { BUYER_PAGE_STRINGS, type BuyerLocale } from "./i18n";

/**
 * What a shopper sees for a bad or truncated /pay/... link: a page in their language saying what
 * happened and what to do, never an API error. No store is known, so the header names PagoEfectivo.
 */
export function renderBuyerNotFoundPage(locale: BuyerLocale, languageSwitchUrl: { es: string; en: string }): string {
  const t = BUYER_PAGE_STRINGS[locale];
  const other: BuyerLocale = locale === "es" ? "en" : "es";
  return `<!doctype html>
<html lang="${escapeHtml(t.htmlLang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex,nofollow">
<title>${escapeHtml(t.notFoundTitle)} · PagoEfectivo</title>
<style>${BUYER_PAGE_CSS}</style>
</head>
<body>
${header(t, null, BUYER_PAGE_STRINGS[other], languageSwitchUrl[other])}
<main data-testid="state" data-state="not_found">
<section class="card alert">
<h1>${escapeHtml(t.notFoundHeading)}</h1>
<p>${escapeHtml(t.notFoundText)}</p>
<p class="muted">${escapeHtml(t.notFoundHelp)}</p>
</section>
</main>
</body>
</html>
`;
}

/** The not-found page has a stylesheet and no script. */
export function buyerNotFoundCsp(): string {
  return `default-src 'none'; style-src ${cspHash(BUYER_PAGE_CSS)}; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`;
}
