import { Router } from "express";

import { idParam } from "../../contracts/admin-api";
import { deadLetterReason } from "../../domain/dead-letter-reason";
import type { DeadLetter, DeadLetterStore } from "../../ports/dead-letters";
import type { ResendDeadLetter } from "../../use-cases/dead-letters/resend-dead-letter";
import { refusalError } from "../result-status";
import { adminOf } from "./admin-auth";
import { parseInput } from "./parse-input";
import { parsePaging } from "./payments-query";

/**
 * /api/dead-letters: deliveries the outbox gave up on (a final error, or ~30 h of failures), with their
 * last error, and resending one (docs/admin-api.md). Scoped to the signed-in shop.
 */
export function deadLetterRoutes(deps: { deadLetters: DeadLetterStore; resend: ResendDeadLetter }): Router {
  const router = Router();

  router.get("/dead-letters", async (req, res) => {
    const { shop } = adminOf(res);
    const { page, pageSize } = parsePaging(req.query);
    const { items, total } = await deps.deadLetters.list(shop.id, { skip: (page - 1) * pageSize, take: pageSize });
    res.json({ items: items.map(deadLetterView), total, page, pageSize });
  });

  router.post("/dead-letters/:id/resend", async (req, res) => {
    const { shop, session } = adminOf(res);
    const { id } = parseInput(idParam, req.params, "path");
    const resent = await deps.resend.execute(shop.id, id, session.email ?? session.userId ?? "merchant");
    if (!resent.ok) throw refusalError(resent.error.kind, resent.error.message);
    res.status(202).json({ job: deadLetterView(resent.value), status: "pending" });
  });

  return router;
}

function deadLetterView(job: DeadLetter) {
  return {
    id: job.id,
    kind: job.kind,
    paymentSessionId: job.paymentSessionId,
    refundSessionId: job.refundSessionId,
    attempts: job.attempts,
    reason: deadLetterReason(job.lastError),
    lastError: job.lastError,
    createdAt: job.createdAt.toISOString(),
    failedAt: job.failedAt?.toISOString() ?? null,
  };
}
