import { Router } from "express";

import { exceptionListQuery, idParam, type ReconciliationSummaryAnswer, resolveExceptionRequest, type StartRunAnswer, startRunRequest } from "../../contracts/admin-api";
import { orderStatusShown } from "../../domain/order-status-shown";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { ExceptionFilter, ExceptionRecord } from "../../ports/reconciliation-admin";
import { exceptionCsvRecord, exceptionsCsvColumns } from "../../use-cases/settlement-reports/exceptions-csv";
import { exportPreamble } from "../../use-cases/settlement-reports/report-csv";
import { limaDateOf } from "../../use-cases/settlement-reports/report-period";
import { notFound } from "../http-error";
import { refusalError } from "../result-status";
import { adminOf } from "./admin-auth";
import { parseInput } from "./parse-input";
import { parsePaging, withoutEmpty } from "./payments-query";
import { sendCsv } from "./reconciliation-csv-response";
import type { ReconciliationHttpDeps } from "./reconciliation-routes";
import { exceptionView, runView } from "./reconciliation-views";

/** /api/reconciliation/*: runs (now and history), the exceptions (filter, resolve with a note, export), the status at a glance. */
export function reconciliationExceptionRoutes(deps: { reconciliation: ReconciliationHttpDeps; clock: Clock; logger: Logger }): Router {
  const router = Router();
  const { reconciliation: r, clock } = deps;

  router.post("/reconciliation/runs", async (req, res) => {
    const { shop } = adminOf(res);
    const { linkOrders } = parseInput(startRunRequest, req.body ?? {}, "body");
    const { run, alreadyQueued } = await r.queueRun.requestManual(shop.id, { linkOrders });
    res.status(alreadyQueued ? 200 : 202).json({ run: runView(run), alreadyQueued } satisfies StartRunAnswer);
  });

  router.get("/reconciliation/runs", async (req, res) => {
    const { shop } = adminOf(res);
    const { page, pageSize } = parsePaging(req.query);
    const { items, total } = await r.runs.list(shop.id, { skip: (page - 1) * pageSize, take: pageSize });
    res.json({ items: items.map(runView), total, page, pageSize });
  });

  router.get("/reconciliation/runs/:id", async (req, res) => {
    const { shop } = adminOf(res);
    const { id } = parseInput(idParam, req.params, "path");
    const run = await r.runs.find(shop.id, id);
    if (!run) throw notFound(`Run ${id} not found`);
    res.json(runView(run));
  });

  router.get("/reconciliation/summary", async (_req, res) => {
    const { shop } = adminOf(res);
    const [lastRun, activeRun, counts, lineStatus, imports] = await Promise.all([
      r.runs.latest(shop.id),
      r.runs.active(shop.id),
      r.exceptions.counts(shop.id),
      r.lines.countByStatus(shop.id),
      r.imports.list(shop.id, { skip: 0, take: 1 }),
    ]);
    const open: Record<string, number> = {};
    let openTotal = 0;
    let resolvedTotal = 0;
    for (const c of counts) {
      if (c.status === "open") {
        open[c.kind] = (open[c.kind] ?? 0) + c.count;
        openTotal += c.count;
      } else resolvedTotal += c.count;
    }
    const answer: ReconciliationSummaryAnswer = {
      lastRun: lastRun ? runView(lastRun) : null,
      activeRun: activeRun ? runView(activeRun) : null,
      exceptions: { open: openTotal, resolved: resolvedTotal, openByKind: open },
      lines: lineStatus,
      imports: { total: imports.total, last: imports.items[0] ? { id: imports.items[0].id, fileName: imports.items[0].fileName, status: imports.items[0].status, createdAt: imports.items[0].createdAt.toISOString() } : null },
    };
    res.json(answer);
  });

  router.get("/reconciliation/exceptions", async (req, res) => {
    const { shop } = adminOf(res);
    const filter = exceptionFilter(req.query);
    const { page, pageSize } = parsePaging(req.query);
    const { items, total } = await r.exceptions.list(shop.id, filter, { skip: (page - 1) * pageSize, take: pageSize });
    const orders = await ordersOf(r, shop.id, items);
    res.json({ items: items.map((item) => exceptionView(item, item.paymentSessionId ? (orders.get(item.paymentSessionId) ?? null) : null)), total, page, pageSize });
  });

  router.get("/reconciliation/exceptions/export.csv", async (req, res) => {
    const principal = adminOf(res);
    const shopId = principal.shop.id;
    const filter = exceptionFilter(req.query);
    const now = clock.now();
    const identity = await r.settings.identity(shopId);
    const language = identity?.locale === "en" ? "en" : "es";
    const pages = r.exceptions.pages(shopId, filter, now);
    async function* records(): AsyncGenerator<string> {
      yield* exportPreamble({
        legalName: identity?.legalName ?? null,
        ruc: identity?.ruc ?? null,
        title: language === "es" ? "Excepciones de conciliación" : "Reconciliation exceptions",
        period: null,
        generatedAt: now,
        language,
      });
      yield exceptionsCsvColumns(language);
      for await (const page of pages) {
        const orders = await ordersOf(r, shopId, page);
        for (const item of page) {
          const order = item.paymentSessionId ? orders.get(item.paymentSessionId) : undefined;
          yield exceptionCsvRecord({ ...item, orderName: order?.orderName ?? null, orderFinancialStatus: order?.orderFinancialStatus ?? null }, language);
        }
      }
    }
    await sendCsv(res, `pagoefectivo-exceptions-${limaDateOf(now)}.csv`, records(), deps.logger);
  });

  router.get("/reconciliation/exceptions/:id", async (req, res) => {
    const { shop } = adminOf(res);
    const { id } = parseInput(idParam, req.params, "path");
    const record = await r.exceptions.find(shop.id, id);
    if (!record) throw notFound(`Exception ${id} not found`);
    const orders = await ordersOf(r, shop.id, [record]);
    res.json(exceptionView(record, record.paymentSessionId ? (orders.get(record.paymentSessionId) ?? null) : null));
  });

  router.post("/reconciliation/exceptions/:id/resolve", async (req, res) => {
    const principal = adminOf(res);
    const { id } = parseInput(idParam, req.params, "path");
    const { note } = parseInput(resolveExceptionRequest, req.body, "body");
    const by = principal.session.email ?? principal.session.userId ?? "merchant";
    const result = await r.resolveException.execute(principal.shop.id, id, { note, by });
    if (!result.ok) throw refusalError(result.error.kind, result.error.message);
    const resolved = result.value;
    const orders = await ordersOf(r, principal.shop.id, [resolved]);
    res.json(exceptionView(resolved, resolved.paymentSessionId ? (orders.get(resolved.paymentSessionId) ?? null) : null));
  });

  return router;
}

function exceptionFilter(query: unknown): ExceptionFilter {
  const parsed = parseInput(exceptionListQuery, withoutEmpty(query), "query");
  return { kinds: parsed.kind ?? null, status: parsed.status ?? null, cip: parsed.cip ?? null, paymentSessionId: parsed.paymentSessionId ?? null };
}

/**
 * The Shopify order next to each exception's payment: its name and its financial status as the payment
 * detail shows it (app/domain/order-status-shown.ts: a rejected session's order is not "pending").
 */
async function ordersOf(r: ReconciliationHttpDeps, shopId: string, items: readonly ExceptionRecord[]): Promise<Map<string, ShownOrder>> {
  const stored = await r.exceptions.ordersOf(shopId, items.map((item) => item.paymentSessionId).filter((id): id is string => id !== null));
  const shown = new Map<string, ShownOrder>();
  for (const [id, order] of stored) {
    shown.set(id, {
      orderName: order.orderName,
      orderFinancialStatus: order.orderFinancialStatus === null ? null : orderStatusShown(order.orderFinancialStatus, order.shopifyState),
    });
  }
  return shown;
}

interface ShownOrder {
  readonly orderName: string | null;
  readonly orderFinancialStatus: string | null;
}
