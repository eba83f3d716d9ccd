import type { Request, RequestHandler, Response } from "express";

import type { AdminPrincipal, AdminSessions } from "../../use-cases/admin-session/admin-sessions";
import { HttpError } from "../http-error";
import { ADMIN_COOKIE, readCookie } from "./admin-cookies";

/** Guards for /api/*: a live admin session (401 otherwise) and the CSRF header on writes (403). */

export const CSRF_HEADER = "x-requested-with";
export const CSRF_VALUE = "pagoefectivo-admin";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const unauthenticated = () =>
  new HttpError(401, "unauthenticated", "Sign in again: open the app from your Shopify admin (Apps → PagoEfectivo)");

export function requireAdmin(sessions: AdminSessions): RequestHandler {
  return async (req, res, next) => {
    const principal = await sessions.authenticate(readCookie(req, ADMIN_COOKIE));
    if (!principal) throw unauthenticated();
    res.locals.admin = principal;
    next();
  };
}

/**
 * A custom header cannot be sent cross-site without a CORS preflight, which this app never grants,
 * so requiring it on every write stops forged form posts and cross-site fetches alike. Where the browser
 * says where the request came from (Origin, Sec-Fetch-Site), that must be this app too: a second,
 * independent check (OWASP CSRF cheat sheet, "Verifying Origin With Standard Headers").
 */
export function requireCsrfHeader(appUrl: string): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    assertSameOriginWrite(req, appUrl);
    next();
  };
}

/** Throws 403 unless a state-changing request carries the CSRF header and comes from this app's own pages. */
export function assertSameOriginWrite(req: Request, appUrl: string): void {
  if (req.get(CSRF_HEADER) !== CSRF_VALUE) {
    throw new HttpError(403, "forbidden", `Missing the ${CSRF_HEADER}: ${CSRF_VALUE} header required on every change (CSRF guard)`);
  }
  const site = req.get("sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    throw new HttpError(403, "forbidden", `Refused a ${site} request: changes can only come from the admin panel itself`);
  }
  const origin = req.get("origin");
  if (origin !== undefined && !isOwnOrigin(origin, req, appUrl)) {
    throw new HttpError(403, "forbidden", "Refused a request from another origin: changes can only come from the admin panel itself");
  }
}

/**
 * The app's public origin (APP_URL), or the origin the request was addressed to (the Host header: the
 * Vite dev server forwards the panel's requests with its own Host and Origin). "null" (sandboxed frames,
 * privacy-redirects) is never ours.
 */
function isOwnOrigin(origin: string, req: Request, appUrl: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.origin === new URL(appUrl).origin) return true;
  const host = req.get("host");
  return host !== undefined && parsed.host === host && (parsed.protocol === "http:" || parsed.protocol === "https:");
}

/** The principal requireAdmin put on the response; routes behind it always have one. */
export function adminOf(res: Response): AdminPrincipal {
  const principal = res.locals.admin as AdminPrincipal | undefined;
  if (!principal) throw unauthenticated();
  return principal;
}
