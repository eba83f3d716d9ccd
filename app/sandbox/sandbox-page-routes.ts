import { randomBytes } from "node:crypto";

import { Router } from "express";

import { renderSandboxPage, type SandboxShopView } from "../http/views/sandbox-page";
import type { AdjustableClock } from "../lib/clock";
import type { Logger } from "../lib/logger";

/** GET /sandbox: the page that walks a person through the whole flow by clicking. */
export function sandboxPageRoutes(deps: {
  appUrl: string;
  sandboxUrl: string;
  demoShop: string;
  clock: AdjustableClock;
  logger: Logger;
  /** The shops the app is installed on and their emulator credentials. */
  shops: () => Promise<SandboxShopView[]>;
}): Router {
  const router = Router();
  router.get("/sandbox", async (_req, res) => {
    const shops = await deps.shops();
    const nonce = randomBytes(16).toString("base64");
    const connect = deps.sandboxUrl === deps.appUrl ? "'self'" : `'self' ${deps.sandboxUrl}`;
    res
      .set({
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src ${connect}; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'`,
        "Cache-Control": "no-store",
      })
      .send(
        renderSandboxPage({
          appUrl: deps.appUrl,
          sandboxUrl: deps.sandboxUrl,
          demoShop: deps.demoShop,
          adminUrl: `${deps.appUrl}/admin`,
          nonce,
          clock: { now: deps.clock.now(), offsetSeconds: deps.clock.offsetSeconds },
          shops,
        }),
      );
  });
  return router;
}
