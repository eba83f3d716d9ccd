import express, { Router } from "express";

import { findNulCharacter } from "../../lib/nul-characters";
import type { AdminSessions } from "../../use-cases/admin-session/admin-sessions";
import { badRequest } from "../http-error";
import { requireAdmin, requireCsrfHeader } from "./admin-auth";
import { requireJsonBody } from "./require-json-body";

/**
 * /api/*: JSON only, never cached, every route behind a live admin session, and every write behind
 * the CSRF header. The routers passed in read the shop from the session, never from the request.
 */
export function apiRouter(deps: { sessions: AdminSessions; appUrl: string; routes: Router[] }): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });
  router.use(requireAdmin(deps.sessions));
  router.use(requireCsrfHeader(deps.appUrl));
  router.use(requireJsonBody());
  router.use(express.json({ limit: "32kb" }));
  router.use((req, _res, next) => {
    const nul = findNulCharacter(req.query) ?? findNulCharacter(req.body);
    if (nul !== null) throw badRequest(`The request has a NUL character in ${nul}`);
    next();
  });
  for (const routes of deps.routes) router.use(routes);
  return router;
}
