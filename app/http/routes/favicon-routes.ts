import { Router } from "express";

import { FAVICON_HEADERS, FAVICON_PATHS, FAVICON_SVG } from "../../lib/favicon";

/** GET /favicon.ico and /favicon.svg for every page of the app (admin panel, buyer page, sandbox). */
export function faviconRoutes(): Router {
  const router = Router();
  for (const path of FAVICON_PATHS) {
    router.get(path, (_req, res) => {
      res.set(FAVICON_HEADERS).send(FAVICON_SVG);
    });
  }
  return router;
}
