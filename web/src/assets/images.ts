/**
 * The panel's few images as inline SVG data URIs: no CDN, no extra requests, and they ship with the
 * bundle that uses them.
 */

function svgDataUri(svg: string): string {
  return `data:image/svg+xml,${encodeURIComponent(svg.replace(/\s*\n\s*/g, " ").trim())}`;
}

/** Wordmark for the dark top bar. */
export const LOGO_ON_DARK = svgDataUri(`
<svg xmlns="http://www.w3.org/2000/svg" width="168" height="32" viewBox="0 0 168 32">
  <rect x="0" y="2" width="28" height="28" rx="7" fill="#ffc800"/>
  <text x="14" y="21.5" text-anchor="middle" font-family="Inter,system-ui,-apple-system,Segoe UI,Roboto,sans-serif" font-size="13" font-weight="800" fill="#1a1a1a">PE</text>
  <text x="36" y="21.5" font-family="Inter,system-ui,-apple-system,Segoe UI,Roboto,sans-serif" font-size="16" font-weight="650" fill="#ffffff">PagoEfectivo</text>
</svg>`);

/** A code slip and a coin: empty lists of payments. */
export const EMPTY_PAYMENTS = svgDataUri(`
<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 226 226">
  <circle cx="113" cy="113" r="100" fill="#f1f1f1"/>
  <rect x="63" y="46" width="100" height="134" rx="10" fill="#ffffff" stroke="#8a8a8a" stroke-width="3"/>
  <rect x="79" y="66" width="68" height="10" rx="5" fill="#ffc800"/>
  <rect x="79" y="88" width="52" height="6" rx="3" fill="#d4d4d4"/>
  <rect x="79" y="102" width="60" height="6" rx="3" fill="#d4d4d4"/>
  <g fill="#303030">
    <rect x="79" y="124" width="4" height="26"/><rect x="87" y="124" width="2" height="26"/><rect x="93" y="124" width="6" height="26"/>
    <rect x="103" y="124" width="2" height="26"/><rect x="109" y="124" width="4" height="26"/><rect x="117" y="124" width="2" height="26"/>
    <rect x="123" y="124" width="6" height="26"/><rect x="133" y="124" width="2" height="26"/><rect x="139" y="124" width="8" height="26"/>
  </g>
  <circle cx="163" cy="166" r="24" fill="#29845a"/>
  <text x="163" y="173" text-anchor="middle" font-family="system-ui,sans-serif" font-size="20" font-weight="700" fill="#ffffff">S/</text>
</svg>`);

/** A returning arrow over a slip: empty lists of refunds. */
export const EMPTY_REFUNDS = svgDataUri(`
<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 226 226">
  <circle cx="113" cy="113" r="100" fill="#f1f1f1"/>
  <rect x="63" y="50" width="100" height="126" rx="10" fill="#ffffff" stroke="#8a8a8a" stroke-width="3"/>
  <rect x="79" y="70" width="68" height="10" rx="5" fill="#d4d4d4"/>
  <rect x="79" y="92" width="52" height="6" rx="3" fill="#d4d4d4"/>
  <path d="M143 140a30 30 0 1 1-9-21" fill="none" stroke="#005bd3" stroke-width="8" stroke-linecap="round"/>
  <path d="M124 108l14 12-17 6z" fill="#005bd3"/>
</svg>`);
