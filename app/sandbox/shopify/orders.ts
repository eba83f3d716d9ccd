import { type SimulatorContext } from "./simulator-context";
import {
  type FinancialStatus,
  type OrderRecord,
  type PaymentSessionRecord,
  type RefundSessionRecord,
} from "./simulator-types";
import { formatMinor, orderGid } from "./simulator-values";
import { sendWebhook, webhookUrlFor } from "./webhooks";

/**
 * Orders follow the payment session the way Shopify's offsite flow does: the order is created when
 * the session goes pending (the buyer lands on the thank-you page with a pending payment) or, at
 * the latest, when it is resolved; a rejection voids and cancels it.
 */

const LEGACY_ID_BASE = 5_400_000_000_000;

export function orderForSession(context: SimulatorContext, session: PaymentSessionRecord): OrderRecord | null {
  return session.orderId ? (context.state.orders[session.orderId] ?? null) : null;
}

export function onSessionPending(context: SimulatorContext, session: PaymentSessionRecord): OrderRecord {
  const existing = orderForSession(context, session);
  if (existing) return existing;
  const order = createOrder(context, session, "pending");
  announce(context, order, "orders/create");
  return order;
}

export function onSessionResolved(context: SimulatorContext, session: PaymentSessionRecord): OrderRecord {
  // A resolved authorization is only authorized; capture sessions (not simulated) would make it paid.
  const status: FinancialStatus = session.kind === "authorization" ? "authorized" : "paid";
  const order = orderForSession(context, session);
  if (order === null) {
    const created = createOrder(context, session, status);
    announce(context, created, "orders/create");
    if (status === "paid") announce(context, created, "orders/paid");
    return created;
  }
  setStatus(context, order, status);
  if (status === "paid") announce(context, order, "orders/paid");
  return order;
}

export function onSessionRejected(context: SimulatorContext, session: PaymentSessionRecord): OrderRecord | null {
  const order = orderForSession(context, session);
  if (order === null) return null;
  setStatus(context, order, "voided");
  if (order.cancelledAt === null) {
    order.cancelledAt = context.clock.now().toISOString();
    order.cancelReason = "declined";
  }
  return order;
}

export function onRefundResolved(context: SimulatorContext, refund: RefundSessionRecord): OrderRecord | null {
  const session = context.state.paymentSessions[refund.paymentSessionId];
  const order = session ? orderForSession(context, session) : null;
  if (order === null) return null;
  order.refundedMinor += refund.amountMinor;
  setStatus(context, order, order.refundedMinor >= order.amountMinor ? "refunded" : "partially_refunded");
  return order;
}

export function cancelOrder(context: SimulatorContext, order: OrderRecord, reason: string): void {
  const now = context.clock.now().toISOString();
  order.cancelledAt = now;
  order.cancelReason = reason;
  // Cancelling an order whose payment never arrived voids the pending payment; a paid order keeps
  // its status until it is refunded.
  if (order.financialStatus === "pending" || order.financialStatus === "authorized") order.financialStatus = "voided";
  order.updatedAt = now;
}

/** Finds an order by gid ("gid://shopify/Order/5400000000001") or its numeric id. */
export function findOrder(context: SimulatorContext, idOrGid: string): OrderRecord | null {
  const gid = /^\d+$/.test(idOrGid) ? orderGid(Number(idOrGid)) : idOrGid;
  return context.state.orders[gid] ?? null;
}

export function ordersOfShop(context: SimulatorContext, shop: string): OrderRecord[] {
  return Object.values(context.state.orders)
    .filter((order) => order.shop === shop)
    .sort((a, b) => a.legacyId - b.legacyId);
}

/** The control API's view of an order. */
export function orderView(order: OrderRecord) {
  return {
    id: order.id,
    legacyId: order.legacyId,
    name: order.name,
    shop: order.shop,
    paymentSessionId: order.paymentSessionId,
    amount: formatMinor(order.amountMinor),
    refundedAmount: formatMinor(order.refundedMinor),
    currency: order.currency,
    test: order.test,
    email: order.email,
    financialStatus: order.financialStatus,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason,
  };
}

/** The order as Shopify's REST webhooks (orders/*) deliver it. */
export function orderWebhookPayload(order: OrderRecord) {
  const total = formatMinor(order.amountMinor);
  const outstanding = order.financialStatus === "pending" || order.financialStatus === "authorized" ? total : "0.00";
  return {
    id: order.legacyId,
    admin_graphql_api_id: order.id,
    app_id: null,
    name: order.name,
    order_number: order.orderNumber,
    number: order.orderNumber - 1000,
    email: order.email,
    contact_email: order.email,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    processed_at: order.createdAt,
    cancelled_at: order.cancelledAt,
    cancel_reason: order.cancelReason,
    closed_at: null,
    confirmed: true,
    currency: order.currency,
    presentment_currency: order.currency,
    financial_status: order.financialStatus,
    fulfillment_status: null,
    gateway: "pagoefectivo",
    payment_gateway_names: ["pagoefectivo"],
    test: order.test,
    total_price: total,
    current_total_price: order.cancelledAt ? "0.00" : total,
    subtotal_price: total,
    total_tax: "0.00",
    total_discounts: "0.00",
    total_outstanding: outstanding,
    total_price_set: moneySet(total, order.currency),
    note: null,
    // Shopify documents no note attribute carrying the payment session: none is invented here.
    note_attributes: [],
    tags: "",
    source_name: "web",
    line_items: [],
    refunds: [],
    shipping_lines: [],
    customer: order.email ? { email: order.email } : null,
  };
}

function moneySet(amount: string, currency: string) {
  return {
    shop_money: { amount, currency_code: currency },
    presentment_money: { amount, currency_code: currency },
  };
}

function createOrder(context: SimulatorContext, session: PaymentSessionRecord, financialStatus: FinancialStatus): OrderRecord {
  const shop = context.state.shops[session.shop];
  if (shop === undefined) throw new Error(`Shop ${session.shop} of payment session ${session.id} is missing`);
  context.state.counters.order += 1;
  const legacyId = LEGACY_ID_BASE + context.state.counters.order;
  const orderNumber = shop.nextOrderNumber;
  shop.nextOrderNumber += 1;
  const now = context.clock.now().toISOString();
  const order: OrderRecord = {
    id: orderGid(legacyId),
    legacyId,
    name: `#${orderNumber}`,
    orderNumber,
    shop: shop.domain,
    paymentSessionId: session.id,
    amountMinor: session.amountMinor,
    refundedMinor: 0,
    currency: session.currency,
    test: session.test,
    email: customerEmail(session),
    financialStatus,
    createdAt: now,
    updatedAt: now,
    paidAt: financialStatus === "paid" || financialStatus === "authorized" ? now : null,
    cancelledAt: null,
    cancelReason: null,
  };
  context.state.orders[order.id] = order;
  session.orderId = order.id;
  context.logger.info({ shop: shop.domain, order: order.name, paymentSessionId: session.id, financialStatus }, "order created");
  // The stored (tracked) record, so later changes to it are saved.
  return context.state.orders[order.id] as OrderRecord;
}

function setStatus(context: SimulatorContext, order: OrderRecord, status: FinancialStatus): void {
  order.financialStatus = status;
  order.updatedAt = context.clock.now().toISOString();
  if ((status === "paid" || status === "authorized") && !order.paidAt) order.paidAt = order.updatedAt;
}

function customerEmail(session: PaymentSessionRecord): string | null {
  try {
    const body = JSON.parse(session.body) as { customer?: { email?: unknown } | null };
    return typeof body.customer?.email === "string" ? body.customer.email : null;
  } catch {
    return null;
  }
}

/** Sends an order webhook after the current GraphQL answer, as Shopify does asynchronously. */
function announce(context: SimulatorContext, order: OrderRecord, topic: "orders/create" | "orders/paid"): void {
  const app = context.state.app;
  const shop = context.state.shops[order.shop];
  if (!app || !shop) return;
  const url = webhookUrlFor(app, topic);
  if (!url) return;
  setImmediate(() => {
    void context.track(sendWebhook(context, app, { topic, shop: shop.domain, url, payload: orderWebhookPayload(order) })).catch((error: unknown) => {
      context.logger.warn({ err: error, topic }, "order webhook failed");
    });
  });
}
