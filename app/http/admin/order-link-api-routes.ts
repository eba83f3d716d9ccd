import { Router } from "express";

import { idParam, orderLinkRequest } from "../../contracts/admin-api";
import type { LinkOrderByHand, ManualLinkError } from "../../use-cases/link-order-by-hand/link-order-by-hand";
import { refusalError } from "../result-status";
import { adminOf } from "./admin-auth";
import { parseInput } from "./parse-input";

/**
 * PUT /api/payments/:id/order {orderId} links the payment to an order of the shop by the merchant's
 * decision; DELETE /api/payments/:id/order removes the link (and keeps it removed). Both answer the
 * payment's order and linkConfidence ("merchant").
 */

function fail(error: ManualLinkError): never {
  throw refusalError(error.kind, error.message);
}

export function orderLinkApiRoutes(deps: { linkByHand: LinkOrderByHand }): Router {
  const router = Router();

  router.put("/payments/:id/order", async (req, res) => {
    const { shop } = adminOf(res);
    const { id } = parseInput(idParam, req.params, "path");
    const { orderId } = parseInput(orderLinkRequest, req.body ?? {}, "body");
    const result = await deps.linkByHand.link(shop.id, id, orderId);
    if (!result.ok) fail(result.error);
    const order = result.value;
    res.json({ order: { id: order.id, name: order.name, financialStatus: order.financialStatus ?? "unknown" }, linkConfidence: "merchant" });
  });

  router.delete("/payments/:id/order", async (req, res) => {
    const { shop } = adminOf(res);
    const { id } = parseInput(idParam, req.params, "path");
    const result = await deps.linkByHand.unlink(shop.id, id);
    if (!result.ok) fail(result.error);
    res.json({ order: null, linkConfidence: "merchant" });
  });

  return router;
}
