/**
 * The app's icon: the yellow "PE" badge the panel's top bar shows, as SVG. Browsers ask every page's
 * origin for /favicon.ico; it is answered with this SVG (Chromium and Firefox read the type, not the
 * name), so no page of the app, the buyer's or the sandbox's gets a 404 for it.
 */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#FFD100"/>' +
  '<text x="16" y="21.5" font-family="Arial,Helvetica,sans-serif" font-size="14" font-weight="700" text-anchor="middle" fill="#1A1A1A">PE</text></svg>';

export const FAVICON_PATHS = ["/favicon.ico", "/favicon.svg"] as const;

/** Headers of the icon's answer: its type, a day of caching, and nothing it could run. */
export const FAVICON_HEADERS: Readonly<Record<string, string>> = {
  "Content-Type": "image/svg+xml",
  "Cache-Control": "public, max-age=86400",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
  "X-Content-Type-Options": "nosniff",
};
