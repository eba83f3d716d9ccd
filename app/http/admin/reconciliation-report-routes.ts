import { Router } from "express";

import { idParam, settlementReportQuery, upcomingPayoutsQuery } from "../../contracts/admin-api";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { type ExportHeader, settlementReportCsv, upcomingPayoutsCsv } from "../../use-cases/settlement-reports/report-csv";
import { limaDateOf } from "../../use-cases/settlement-reports/report-period";
import type { SettlementReportQuery } from "../../use-cases/settlement-reports/settlement-reports";
import { notFound } from "../http-error";
import { adminOf } from "./admin-auth";
import { parseInput } from "./parse-input";
import { withoutEmpty } from "./payments-query";
import { sendCsv } from "./reconciliation-csv-response";
import type { ReconciliationHttpDeps } from "./reconciliation-routes";
import { settlementReportView } from "./reconciliation-views";

const TITLES = {
  es: { day: "Liquidaciones por día", week: "Liquidaciones por semana", month: "Liquidaciones por mes", upcoming: "Próximos abonos" },
  en: { day: "Settlements by day", week: "Settlements by week", month: "Settlements by month", upcoming: "Upcoming payouts" },
} as const;

/**
 * /api/reports/*: settlements by day, week or month (gross, commission, net per channel and currency) and
 * upcoming payouts, as JSON and as CSV; /api/payments/:id/evidence, the dispute evidence bundle; and, in
 * sandbox mode, /api/settlements/sample.csv and /api/settlements/sample/setup.
 */
export function reportRoutes(deps: { reconciliation: ReconciliationHttpDeps; clock: Clock; logger: Logger }): Router {
  const router = Router();
  const { reconciliation: r, clock, logger } = deps;

  router.get("/reports/settlements", async (req, res) => {
    const { shop } = adminOf(res);
    const query = settlementQuery(req.query);
    const report = await r.reports.settlements(shop.id, query);
    res.json(settlementReportView(report, query));
  });

  router.get("/reports/settlements/export.csv", async (req, res) => {
    const { shop } = adminOf(res);
    const query = settlementQuery(req.query);
    const [report, header] = await Promise.all([r.reports.settlements(shop.id, query), exportHeader(shop.id, (t) => t[query.granularity], periodText(query))]);
    await sendCsv(res, `pagoefectivo-settlements-${query.granularity}-${limaDateOf(clock.now())}.csv`, settlementReportCsv(report, header), logger);
  });

  router.get("/reports/upcoming-payouts", async (req, res) => {
    const { shop } = adminOf(res);
    const { days } = parseInput(upcomingPayoutsQuery, withoutEmpty(req.query), "query");
    res.json(await r.reports.upcomingPayouts(shop.id, { days }));
  });

  router.get("/reports/upcoming-payouts/export.csv", async (req, res) => {
    const { shop } = adminOf(res);
    const { days } = parseInput(upcomingPayoutsQuery, withoutEmpty(req.query), "query");
    const upcoming = await r.reports.upcomingPayouts(shop.id, { days });
    const header = await exportHeader(shop.id, (t) => t.upcoming, `${upcoming.from} – ${upcoming.to}`);
    await sendCsv(res, `pagoefectivo-upcoming-payouts-${upcoming.from}.csv`, upcomingPayoutsCsv(upcoming, header), logger);
  });

  router.get("/payments/:id/evidence", async (req, res) => {
    const { shop } = adminOf(res);
    const { id } = parseInput(idParam, req.params, "path");
    const bundle = await r.evidence.execute(shop.id, id);
    if (!bundle) throw notFound(`Payment ${id} not found`);
    res.setHeader("Content-Disposition", `attachment; filename="pagoefectivo-evidence-${id.replace(/[^\w-]/g, "_")}.json"`);
    res.type("application/json").send(JSON.stringify(bundle, null, 2));
  });

  router.get("/settlements/sample.csv", async (_req, res) => {
    const { shop } = adminOf(res);
    if (!r.sample) throw notFound("The sample settlement file exists only in sandbox mode");
    const sample = await r.sample.execute(shop.id);
    res.setHeader("X-Planted-Anomalies", sample.planted.map((p) => `${p.kind}:${p.cip}`).join(","));
    await sendCsv(res, `pagoefectivo-liquidacion-ejemplo-${limaDateOf(clock.now())}.csv`, [`\uFEFF${sample.csv}`], logger);
  });

  router.post("/settlements/sample/setup", async (_req, res) => {
    const { shop } = adminOf(res);
    if (!r.sample) throw notFound("The sample settlement setup exists only in sandbox mode");
    res.json({ configured: await r.setUpSample(shop.id) });
  });

  async function exportHeader(shopId: string, title: (t: (typeof TITLES)["es" | "en"]) => string, period: string | null): Promise<ExportHeader> {
    const identity = await r.settings.identity(shopId);
    const language = identity?.locale === "en" ? "en" : "es";
    return { legalName: identity?.legalName ?? null, ruc: identity?.ruc ?? null, title: title(TITLES[language]), period, generatedAt: clock.now(), language };
  }

  return router;
}

function settlementQuery(query: unknown): SettlementReportQuery {
  const parsed = parseInput(settlementReportQuery, withoutEmpty(query), "query");
  return { granularity: parsed.granularity, basis: parsed.basis, from: parsed.from ?? null, to: parsed.to ?? null, currency: parsed.currency ?? null };
}

function periodText(query: SettlementReportQuery): string | null {
  if (!query.from && !query.to) return null;
  return `${query.from ?? "…"} – ${query.to ?? "…"}`;
}
