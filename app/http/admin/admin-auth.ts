import type { RequestHandler, Response } from "express";

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
 * so requiring it on every write stops forged form posts and cross-site fetches alike.
 */
export function requireCsrfHeader(): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (req.get(CSRF_HEADER) !== CSRF_VALUE) {
      throw new HttpError(403, "forbidden", `Missing the ${CSRF_HEADER}: ${CSRF_VALUE} header required on every change (CSRF guard)`);
    }
    next();
  };
}

/** The principal requireAdmin put on the response; routes behind it always have one. */
export function adminOf(res: Response): AdminPrincipal {
  const principal = res.locals.admin as AdminPrincipal | undefined;
  if (!principal) throw unauthenticated();
  return principal;
}
