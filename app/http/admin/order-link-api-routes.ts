import { Router } from "express";
import { z } from "zod";

import type { LinkOrderByHand, ManualLinkError } from "../../use-cases/link-order-by-hand/link-order-by-hand";
import { HttpError } from "../http-error";
import { adminOf } from "./admin-auth";
import { parseInput } from "./parse-input";

/**
 * PUT /api/payments/:id/order {orderId} links the payment to an order of the shop by the merchant's
 * decision; DELETE /api/payments/:id/order removes the link (and keeps it removed). Both answer the
 * payment's order and linkConfidence ("merchant").
 */

const idParam = z.object({ id: z.string().min(1).max(255) });
const linkBody = z.object({ orderId: z.string().trim().min(1, "orderId is required").max(255) });

const STATUS: Record<ManualLinkError["kind"], number> = {
  payment_not_found: 404,
  invalid_order: 400,
  order_not_found: 404,
  order_taken: 409,
  shopify_unavailable: 502,
};

function fail(error: ManualLinkError): never {
  throw new HttpError(STATUS[error.kind], error.kind, error.message);
}

export function orderLinkApiRoutes(deps: { linkByHand: LinkOrderByHand }): Router {
  const router = Router();

  router.put("/payments/:id/order", async (req, res) => {
    const { shop } = adminOf(res);
    const { id } = parseInput(idParam, req.params, "path");
    const { orderId } = parseInput(linkBody, req.body ?? {}, "body");
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
