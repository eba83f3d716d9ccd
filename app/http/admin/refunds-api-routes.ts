import { type Response, Router } from "express";

import { idParam, recordRefundRequest, refundListQuery, rejectRefundRequest } from "../../contracts/admin-api";
import type { Result } from "../../lib/result";
import type { AdminRefundsReader } from "../../ports/admin-read-models";
import type { RefundSessionRecord } from "../../ports/refund-store";
import type { AdminPrincipal } from "../../use-cases/admin-session/admin-sessions";
import type { DecideRefund, DecideRefundError } from "../../use-cases/decide-refund/decide-refund";
import { type HttpError, notFound } from "../http-error";
import { refusalError } from "../result-status";
import { adminOf } from "./admin-auth";
import { refundRowView } from "./admin-views";
import { parseInput } from "./parse-input";
import { parsePaging, withoutEmpty } from "./payments-query";

/** The manual refunds queue: list, record how the money went back, or reject (docs/admin-api.md). */

export function refundsApiRoutes(deps: { refunds: AdminRefundsReader; decideRefund: DecideRefund; wakeWorker: () => void }): Router {
  const router = Router();

  router.get("/refunds", async (req, res) => {
    const { shop } = adminOf(res);
    const { state } = parseInput(refundListQuery, withoutEmpty(req.query), "query");
    const { page, pageSize } = parsePaging(req.query);
    const { items, total } = await deps.refunds.list(shop.id, state ?? null, { skip: (page - 1) * pageSize, take: pageSize });
    res.json({ items: items.map(refundRowView), total });
  });

  router.post("/refunds/:id/record", async (req, res) => {
    const principal = adminOf(res);
    const { id } = parseInput(idParam, req.params, "path");
    const input = parseInput(recordRefundRequest, req.body, "body");
    const decided = await deps.decideRefund.record(principal.shop.id, id, input, decidedBy(principal));
    await answer(res, decided, principal, id);
  });

  router.post("/refunds/:id/reject", async (req, res) => {
    const principal = adminOf(res);
    const { id } = parseInput(idParam, req.params, "path");
    const { reason } = parseInput(rejectRefundRequest, req.body, "body");
    const decided = await deps.decideRefund.reject(principal.shop.id, id, reason, decidedBy(principal));
    await answer(res, decided, principal, id);
  });

  async function answer(res: Response, decided: Result<RefundSessionRecord, DecideRefundError>, principal: AdminPrincipal, id: string) {
    if (!decided.ok) throw refundError(decided.error);
    // Shopify hears about the decision through the outbox job written with it; deliver it now.
    deps.wakeWorker();
    const row = await deps.refunds.find(principal.shop.id, id);
    if (!row) throw notFound(`Refund ${id} not found`);
    res.json(refundRowView(row));
  }

  return router;
}

function decidedBy(principal: AdminPrincipal): string {
  return principal.session.email ?? `shopify-user:${principal.session.userId ?? "unknown"}`;
}

function refundError(error: DecideRefundError): HttpError {
  switch (error.kind) {
    case "already_decided":
      return refusalError(error.kind, error.message, { details: { state: error.refund.state }, params: { state: error.refund.state } });
    case "refunded_on_in_future":
      return refusalError(error.kind, error.message, {
        details: [{ path: "refundedOn", message: "is after today" }],
        params: { refundedOn: error.refundedOn, today: error.today },
      });
    default:
      return refusalError(error.kind, error.message);
  }
}
