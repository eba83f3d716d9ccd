import type { RequestHandler } from "express";

/**
 * Headers for everything the admin serves (/admin, /api, /auth). The panel is a standalone page
 * that is never framed (payments apps are not embedded), loads only its own scripts, and may use
 * inline styles because Polaris sets them. No `form-action`: the sign-in form's redirect chain
 * ends on Shopify's consent screen, which that directive would block.
 */
export const ADMIN_CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
].join("; ");

export function adminSecurityHeaders(options: { https: boolean }): RequestHandler {
  return (_req, res, next) => {
    res.setHeader("Content-Security-Policy", ADMIN_CSP);
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    if (options.https) res.setHeader("Strict-Transport-Security", "max-age=15552000");
    next();
  };
}
