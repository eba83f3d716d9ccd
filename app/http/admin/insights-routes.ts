import { Router } from "express";
import { z } from "zod";

import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { insightsTitle, paymentInsightsCsv } from "../../use-cases/payment-insights/insights-csv";
import type { BuildPaymentInsights, PaymentInsightsQuery } from "../../use-cases/payment-insights/payment-insights";
import { limaDateSchema } from "../../use-cases/settlement-reports/report-period";
import { badRequest } from "../http-error";
import { adminOf } from "./admin-auth";
import { parseInput } from "./parse-input";
import { withoutEmpty } from "./payments-query";
import { sendCsv } from "./reconciliation-csv-response";
import type { ReconciliationHttpDeps } from "./reconciliation-routes";

const insightsQuery = z.object({ from: limaDateSchema.optional(), to: limaDateSchema.optional() });
/** A year of Lima days at most, so one request never reads a shop's whole history. */
const MAX_DAYS = 366;

/** /api/reports/payment-insights and its CSV export (app/contracts/admin-api/insights.ts). */
export function insightsRoutes(deps: { insights: BuildPaymentInsights; reconciliation: Pick<ReconciliationHttpDeps, "settings">; clock: Clock; logger: Logger }): Router {
  const router = Router();

  router.get("/reports/payment-insights", async (req, res) => {
    const { shop } = adminOf(res);
    res.json(await deps.insights.execute(shop.id, parseQuery(req.query)));
  });

  router.get("/reports/payment-insights/export.csv", async (req, res) => {
    const { shop } = adminOf(res);
    const [report, identity] = await Promise.all([deps.insights.execute(shop.id, parseQuery(req.query)), deps.reconciliation.settings.identity(shop.id)]);
    const language = identity?.locale === "en" ? "en" : "es";
    const header = {
      legalName: identity?.legalName ?? null,
      ruc: identity?.ruc ?? null,
      title: insightsTitle(language),
      period: `${report.from} – ${report.to}`,
      generatedAt: deps.clock.now(),
      language,
    } as const;
    await sendCsv(res, `pagoefectivo-insights-${report.from}-${report.to}.csv`, paymentInsightsCsv(report, header), deps.logger);
  });

  return router;
}

function parseQuery(query: unknown): PaymentInsightsQuery {
  const parsed = parseInput(insightsQuery, withoutEmpty(query), "query");
  if (parsed.from && parsed.to) {
    if (parsed.from > parsed.to) throw badRequest("Invalid query: from: must not be after to");
    if (Date.parse(parsed.to) - Date.parse(parsed.from) > (MAX_DAYS - 1) * 86_400_000) throw badRequest(`Invalid query: from: the period is at most ${MAX_DAYS} days`);
  }
  return { from: parsed.from ?? null, to: parsed.to ?? null };
}
