import { existsSync } from "node:fs";
import path from "node:path";

import express, { Router } from "express";

import type { ShopifyOAuthFlow } from "../../ports/shopify-oauth";
import type { AdminSessions } from "../../use-cases/admin-session/admin-sessions";
import { ADMIN_COOKIE, readCookie } from "./admin-cookies";
import { authErrorPage } from "./auth-pages";
import { precompressedAssets } from "./precompressed";
import { routeIndexHtml } from "./route-preloads";

/**
 * The admin SPA built by Vite into web/dist (base "/admin/"): hashed assets cached for a year,
 * index.html never cached and served for every client-side route. The app link in the Shopify
 * admin opens /admin?shop=…; without a session for that shop it goes through the login first.
 */
export function spaRoutes(deps: { distDir: string; sessions: AdminSessions; oauth: Pick<ShopifyOAuthFlow, "sanitizeShop"> }): Router {
  const router = Router();
  const indexFile = path.join(deps.distDir, "index.html");
  const indexFor = routeIndexHtml(deps.distDir);

  router.use(
    "/assets",
    precompressedAssets(path.join(deps.distDir, "assets"), { cacheControl: "public, max-age=31536000, immutable" }),
    express.static(path.join(deps.distDir, "assets"), { immutable: true, maxAge: "365d", index: false, redirect: false }),
    (_req, res) => {
      res.status(404).type("text/plain").send("Not found");
    },
  );

  router.get(["/", "/*splat"], async (req, res, next) => {
    const shop = req.query.shop === undefined ? null : deps.oauth.sanitizeShop(req.query.shop);
    if (shop) {
      const principal = await deps.sessions.authenticate(readCookie(req, ADMIN_COOKIE));
      if (!principal || principal.shop.domain !== shop) {
        res.redirect(302, `/auth/login?shop=${encodeURIComponent(shop)}`);
        return;
      }
    }
    if (!existsSync(indexFile)) {
      res
        .status(503)
        .type("html")
        .send(
          authErrorPage(
            "Admin panel not built",
            "The admin panel has not been built yet: run npm run build:web (it writes web/dist), then reload this page.",
            null,
          ),
        );
      return;
    }
    next();
  });

  // Other files at the root of the build (icons, robots.txt): a short cache; HTML never cached.
  router.use(
    express.static(deps.distDir, {
      index: false,
      redirect: false,
      maxAge: "1h",
      setHeaders: (res, file) => {
        if (file.endsWith(".html")) res.setHeader("Cache-Control", "no-store");
      },
    }),
  );

  router.get(["/", "/*splat"], (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    // Read from the file system, not through `send` (which refused an absolute path with a dot-segment
    // anywhere in it and broke /admin for a clone under e.g. ~/.cache/…), with the route's page chunk
    // named in the head (route-preloads.ts).
    res.type("html").send(indexFor(`${req.baseUrl}${req.path}`));
  });

  return router;
}
