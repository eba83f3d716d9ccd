import { Router } from "express";

import { paymentInsightsQuery } from "../../contracts/admin-api";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { insightsTitle, paymentInsightsCsv } from "../../use-cases/payment-insights/insights-csv";
import type { BuildPaymentInsights, PaymentInsightsQuery } from "../../use-cases/payment-insights/payment-insights";
import { adminOf } from "./admin-auth";
import { parseInput } from "./parse-input";
import { withoutEmpty } from "./payments-query";
import { sendCsv } from "./reconciliation-csv-response";
import type { ReconciliationHttpDeps } from "./reconciliation-routes";

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
  const parsed = parseInput(paymentInsightsQuery, withoutEmpty(query), "query");
  return { from: parsed.from ?? null, to: parsed.to ?? null };
}
