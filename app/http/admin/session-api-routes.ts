import { Router } from "express";

import type { AppMode } from "../../config/env";
import type { SessionAnswer, SetupAnswer, TodaySummaryAnswer } from "../../contracts/admin-api";
import type { Clock } from "../../lib/clock";
import type { AdminSummaryReader } from "../../ports/admin-read-models";
import type { AdminSettingsStore } from "../../ports/admin-settings";
import { isVerified } from "../../use-cases/activate-payments-app/activate-payments-app";
import { usableTimeZone, zonedDateKey, zonedDayRange } from "../../use-cases/admin-panel/zoned-day";
import type { ShopNames } from "../../use-cases/admin-session/shop-names";
import { adminOf } from "./admin-auth";
import { notificationUrlFor } from "./admin-views";

/** GET /api/session, /api/setup, /api/summary/today. */
export function sessionApiRoutes(deps: {
  settings: AdminSettingsStore;
  summary: AdminSummaryReader;
  names: ShopNames;
  mode: AppMode;
  appUrl: string;
  clock: Clock;
}): Router {
  const router = Router();

  router.get("/session", async (_req, res) => {
    const { shop, session } = adminOf(res);
    res.json({
      shop: { domain: shop.domain, name: await deps.names.nameOf(shop), locale: shop.locale === "en" ? "en" : "es", timezone: shop.timezone },
      user: { email: session.email, firstName: session.firstName, lastName: session.lastName, locale: session.locale },
      mode: deps.mode,
      appUrl: deps.appUrl,
      now: deps.clock.now().toISOString(),
    } satisfies SessionAnswer);
  });

  router.get("/setup", async (_req, res) => {
    const { shop } = adminOf(res);
    const credentials = await deps.settings.credentials(shop.id);
    res.json({
      steps: {
        credentials: credentials.length > 0,
        connectionTested: credentials.some(isVerified),
        notificationUrlConfirmed: shop.notificationUrlConfirmedAt !== null,
        activated: shop.ready,
      },
      notificationUrl: notificationUrlFor(deps.appUrl, shop),
    } satisfies SetupAnswer);
  });

  router.get("/summary/today", async (_req, res) => {
    const { shop } = adminOf(res);
    const timeZone = usableTimeZone(shop.timezone);
    const date = zonedDateKey(deps.clock.now(), timeZone);
    const { start, end } = zonedDayRange(date, timeZone);
    res.json({ date, ...(await deps.summary.day(shop.id, start, end)) } satisfies TodaySummaryAnswer);
  });

  return router;
}
