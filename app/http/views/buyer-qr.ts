import { toString as qrToString } from "qrcode";

/**
 * The CIP's QR as inline SVG (no image request), cached per CIP: drawing it costs about a millisecond
 * of CPU and a CIP never changes. The cache is bounded (oldest entry out first), so memory stays flat
 * however many codes are shown; an evicted QR is simply drawn again.
 *
 * The SVG namespace attribute is dropped because the HTML parser puts <svg> in that namespace anyway,
 * and the page then names no host besides the ones it links to. The figcaption describes the QR, so
 * the drawing itself is hidden from screen readers.
 */

const MAX_ENTRIES = 2_000;
const cache = new Map<string, string>();

export async function qrSvg(cip: string): Promise<string> {
  const hit = cache.get(cip);
  if (hit !== undefined) return hit;
  const raw = await qrToString(cip, { type: "svg", margin: 1 });
  const svg = raw
    .trim()
    .replace(/\s+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, "")
    .replace(/^<svg\b/, '<svg aria-hidden="true" focusable="false"');
  if (cache.size >= MAX_ENTRIES) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(cip, svg);
  return svg;
}
