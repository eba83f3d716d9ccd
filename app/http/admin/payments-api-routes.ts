import { Router } from "express";

import { idParam, langQuery } from "../../contracts/admin-api";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { AdminPaymentsReader } from "../../ports/admin-read-models";
import { usableTimeZone, zonedDateKey } from "../../use-cases/admin-panel/zoned-day";
import { notFound } from "../http-error";
import { adminOf } from "./admin-auth";
import { paymentDetailView, paymentRowView, refundRowView } from "./admin-views";
import { parseInput } from "./parse-input";
import { paymentTimeline } from "./payment-timeline-view";
import { streamCsv } from "./payments-csv";
import { parsePaging, parsePaymentsQuery } from "./payments-query";

/** GET /api/payments, /api/payments/export.csv and /api/payments/:id, all scoped to the session's shop. */

const EXPORT_PAGE_SIZE = 500;

export function paymentsApiRoutes(deps: { payments: AdminPaymentsReader; clock: Clock; logger: Logger }): Router {
  const router = Router();

  router.get("/payments", async (req, res) => {
    const { shop } = adminOf(res);
    const { filter, order } = parsePaymentsQuery(req.query, usableTimeZone(shop.timezone));
    const { page, pageSize } = parsePaging(req.query);
    const { items, total, totalIsLowerBound } = await deps.payments.list(shop.id, filter, order, { skip: (page - 1) * pageSize, take: pageSize });
    res.json({ items: items.map(paymentRowView), total, totalIsLowerBound, page, pageSize });
  });

  router.get("/payments/export.csv", async (req, res) => {
    const { shop } = adminOf(res);
    const timeZone = usableTimeZone(shop.timezone);
    const { filter, order } = parsePaymentsQuery(req.query, timeZone);
    const now = deps.clock.now();
    const pages = deps.payments.pages(shop.id, filter, order, now, EXPORT_PAGE_SIZE);
    const { lang } = parseInput(langQuery, { lang: req.query.lang }, "query");
    const language = lang ?? (shop.locale === "en" ? "en" : "es");
    await streamCsv(res, `pagoefectivo-payments-${zonedDateKey(now, timeZone)}.csv`, pages, { language, timeZone }, deps.logger);
  });

  router.get("/payments/:id", async (req, res) => {
    const { shop } = adminOf(res);
    const { id } = parseInput(idParam, req.params, "path");
    const found = await deps.payments.detail(shop.id, id);
    if (!found) throw notFound(`Payment ${id} not found`);
    res.json({
      payment: paymentDetailView(found.payment),
      timeline: paymentTimeline(found),
      refunds: found.refunds.map((refund) => refundRowView({
          ...refund,
          cip: found.payment.cip,
          orderName: found.payment.orderName,
          givenName: found.payment.givenName,
          familyName: found.payment.familyName,
          email: found.payment.email,
          phone: found.payment.phone,
          phoneCountryCode: found.payment.phoneCountryCode,
        }),),
    });
  });

  return router;
}
