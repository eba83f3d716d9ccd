import { z } from "zod";

import { isCurrency, parseDecimalAmount } from "../../domain/money";
import type { Logger } from "../../lib/logger";
import { err, ok, type Result } from "../../lib/result";
import type { AdminOrder, AdminOrdersError, LinkedOrder } from "../../ports/order-links";
import type { ShopifyTarget } from "../../ports/shopify-payments-apps";

export interface AdminOrdersClientOptions {
  readonly apiVersion: string;
  /** `https://${shop}` in production; the simulator's origin for the shop in sandbox mode. */
  readonly shopOrigin: (shopDomain: string) => string;
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/** Orders per page: "Connections are limited to 250 resources per page" (https://shopify.dev/docs/api/usage/pagination-graphql). */
export const ORDERS_PAGE_SIZE = 250;

const ORDER_FIELDS = "id name displayFinancialStatus cancelledAt";

// Only documented fields (https://shopify.dev/docs/api/admin-graphql/2025-10/objects/Order and
// .../objects/OrderTransaction). Nothing on an order names the payment session.
const LINK_FIELDS = `id name email test createdAt displayFinancialStatus cancelledAt paymentGatewayNames
  totalPriceSet { shopMoney { amount currencyCode } }
  transactions(first: 10) { kind status gateway authorizationCode createdAt amountSet { shopMoney { amount currencyCode } } }`;

const orderSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  displayFinancialStatus: z.string().nullish(),
  cancelledAt: z.string().nullish(),
});
const money = z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) });
const linkOrderSchema = orderSchema.extend({
  email: z.string().nullish(),
  test: z.boolean(),
  createdAt: z.string(),
  paymentGatewayNames: z.array(z.string()),
  totalPriceSet: money,
  transactions: z.array(
    z.object({ kind: z.string(), status: z.string(), gateway: z.string().nullish(), authorizationCode: z.string().nullish(), createdAt: z.string(), amountSet: money }),
  ),
});
const pageSchema = z.object({
  nodes: z.array(linkOrderSchema),
  pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
});
const envelopeSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z.array(z.object({ message: z.string(), extensions: z.object({ code: z.string().optional() }).nullish() })).nullish(),
});

/**
 * Order look-ups in the Admin GraphQL API with the shop's offline token: the orders created since a
 * time, with their transactions (to link payments by documented facts), and one order's current state
 * by id. Reads only. The token never reaches the logs.
 */
export class ShopifyAdminOrdersClient {
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: AdminOrdersClientOptions) {
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /**
   * Orders created at or after `since`, oldest first, at most `maxPages` pages. Filtered with the
   * documented `created_at` search term (https://shopify.dev/docs/api/admin-graphql/latest/queries/orders#arguments-query).
   */
  async ordersCreatedSince(target: ShopifyTarget, since: Date, maxPages = 4): Promise<Result<{ orders: AdminOrder[]; complete: boolean }, AdminOrdersError>> {
    const orders: AdminOrder[] = [];
    let after: string | null = null;
    for (let page = 0; page < maxPages; page += 1) {
      const data = await this.send(
        target,
        `query OrdersForLinking($query: String!, $after: String) { orders(first: ${ORDERS_PAGE_SIZE}, after: $after, query: $query, sortKey: CREATED_AT) { nodes { ${LINK_FIELDS} } pageInfo { hasNextPage endCursor } } }`,
        { query: `created_at:>='${since.toISOString()}'`, after },
        "OrdersForLinking",
      );
      if (!data.ok) return data;
      const parsed = pageSchema.safeParse(data.value["orders"]);
      if (!parsed.success) return err({ kind: "invalid_response", message: "Unexpected orders payload" });
      for (const node of parsed.data.nodes) {
        const order = toAdminOrder(node);
        if (order) orders.push(order);
      }
      if (!parsed.data.pageInfo.hasNextPage || !parsed.data.pageInfo.endCursor) return ok({ orders, complete: true });
      after = parsed.data.pageInfo.endCursor;
    }
    return ok({ orders, complete: false });
  }

  /** One order's current state; null when it does not exist (deleted) or belongs to another shop. */
  async order(target: ShopifyTarget, orderId: string): Promise<Result<LinkedOrder | null, AdminOrdersError>> {
    const data = await this.send(target, `query OrderById($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, { id: orderId }, "OrderById");
    if (!data.ok) return data;
    if (data.value["order"] === null || data.value["order"] === undefined) return ok(null);
    const parsed = orderSchema.safeParse(data.value["order"]);
    return parsed.success ? ok(toOrder(parsed.data)) : err({ kind: "invalid_response", message: "Unexpected order payload" });
  }

  private async send(target: ShopifyTarget, query: string, variables: Record<string, unknown>, operation: string): Promise<Result<Record<string, unknown>, AdminOrdersError>> {
    const url = `${this.options.shopOrigin(target.shopDomain)}/admin/api/${this.options.apiVersion}/graphql.json`;
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-Shopify-Access-Token": target.accessToken },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        // The access token must not follow a redirect to another origin.
        redirect: "manual",
      });
    } catch (error) {
      return this.fail(target, operation, { kind: "unavailable", message: `Could not reach Shopify (${error instanceof Error ? error.name : "error"})` });
    }
    if (response.status === 401 || response.status === 403) {
      return this.fail(target, operation, { kind: "unauthorized", message: `Shopify refused the access token (HTTP ${response.status})` });
    }
    if (response.status === 429) return this.fail(target, operation, { kind: "throttled", message: "Shopify throttled the request (HTTP 429)" });
    if (!response.ok) return this.fail(target, operation, { kind: "unavailable", message: `Shopify answered HTTP ${response.status}` });
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return this.fail(target, operation, { kind: "invalid_response", message: "The answer is not JSON" });
    }
    const envelope = envelopeSchema.safeParse(body);
    if (!envelope.success) return this.fail(target, operation, { kind: "invalid_response", message: "The answer is not a GraphQL response" });
    const errors = envelope.data.errors ?? [];
    if (errors.length > 0) {
      const codes = errors.map((e) => e.extensions?.code ?? "");
      const message = errors.map((e) => e.message).join("; ");
      if (codes.includes("THROTTLED")) return this.fail(target, operation, { kind: "throttled", message });
      if (codes.includes("ACCESS_DENIED")) return this.fail(target, operation, { kind: "unauthorized", message });
      return this.fail(target, operation, { kind: "invalid_response", message });
    }
    return ok(envelope.data.data ?? {});
  }

  private fail<T>(target: ShopifyTarget, operation: string, error: AdminOrdersError): Result<T, AdminOrdersError> {
    this.options.logger.warn({ shop: target.shopDomain, operation, kind: error.kind, detail: error.message }, "Shopify Admin API order look-up failed");
    return err(error);
  }
}

function toOrder(node: z.infer<typeof orderSchema>): LinkedOrder {
  return {
    id: node.id,
    name: node.name,
    financialStatus: node.displayFinancialStatus ? node.displayFinancialStatus.toLowerCase() : null,
    cancelledAt: node.cancelledAt ?? null,
  };
}

function toMinor(amount: string, currency: string): number | null {
  if (!isCurrency(currency)) return null;
  const parsed = parseDecimalAmount(amount, currency);
  return parsed.ok ? parsed.value.amountMinor : null;
}

/** Null when Shopify sent an amount that is not a decimal (the order is then not linked automatically). */
function toAdminOrder(node: z.infer<typeof linkOrderSchema>): AdminOrder | null {
  const total = toMinor(node.totalPriceSet.shopMoney.amount, node.totalPriceSet.shopMoney.currencyCode);
  const transactions = node.transactions.map((t) => ({
    gateway: t.gateway ?? null,
    kind: t.kind,
    amountMinor: toMinor(t.amountSet.shopMoney.amount, t.amountSet.shopMoney.currencyCode),
    currency: t.amountSet.shopMoney.currencyCode,
    authorizationCode: t.authorizationCode ?? null,
  }));
  if (total === null || transactions.some((t) => t.amountMinor === null)) return null;
  return {
    ...toOrder(node),
    facts: {
      id: node.id,
      name: node.name,
      email: node.email ?? null,
      test: node.test,
      createdAt: new Date(node.createdAt),
      gatewayNames: node.paymentGatewayNames,
      transactions: transactions.map((t) => ({ ...t, amountMinor: t.amountMinor as number })),
      totalMinor: total,
      currency: node.totalPriceSet.shopMoney.currencyCode,
    },
  };
}
