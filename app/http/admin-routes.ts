import { fileURLToPath } from "node:url";

import type { AppConfig } from "../config/env";
import { type Clock, systemClock } from "../lib/clock";
import type { StartOptions } from "../server";
import { mountAdmin } from "./admin/mount-admin";

/** Where `npm run build:web` writes the SPA, relative to this file (app/http → web/dist). */
export const DEFAULT_WEB_DIST_DIR = fileURLToPath(new URL("../../web/dist", import.meta.url));

export interface AdminRoutesOptions {
  /** The SPA build to serve; defaults to web/dist. */
  webDistDir?: string;
  /** Wall time for admin sign-in lifetimes; defaults to the system clock. */
  authClock?: Clock;
  /** The fetch used for Shopify Admin API reads (tests). */
  fetch?: typeof fetch;
}

/** The admin panel's routes (OAuth under /auth, the JSON API under /api, the built SPA under /admin). */
export function adminRoutesFor(config: AppConfig, options: AdminRoutesOptions = {}): NonNullable<StartOptions["extraRoutes"]> {
  return (app, ctx) =>
    mountAdmin(app, {
      config,
      ...ctx,
      authClock: options.authClock ?? systemClock,
      webDistDir: options.webDistDir ?? DEFAULT_WEB_DIST_DIR,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
}
