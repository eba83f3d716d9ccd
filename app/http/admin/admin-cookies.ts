import type { Request, Response } from "express";

/** The admin session cookie: httpOnly, SameSite=Lax, Secure whenever the app is served over https. */

export const ADMIN_COOKIE = "pe_admin";

/** One cookie from the Cookie header (no cookie-parser: this is the only cookie the admin reads). */
export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    if (part.slice(0, index).trim() !== name) continue;
    const raw = part.slice(index + 1).trim();
    try {
      return decodeURIComponent(raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw);
    } catch {
      return null;
    }
  }
  return null;
}

export function setAdminCookie(res: Response, token: string, expiresAt: Date, now: Date, secure: boolean): void {
  res.cookie(ADMIN_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: Math.max(0, expiresAt.getTime() - now.getTime()),
  });
}

export function clearAdminCookie(res: Response, secure: boolean): void {
  res.clearCookie(ADMIN_COOKIE, { httpOnly: true, sameSite: "lax", secure, path: "/" });
}
