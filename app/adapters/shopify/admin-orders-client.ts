import { z } from "zod";

import type { Logger } from "../../lib/logger";
import { err, ok, type Result } from "../../lib/result";
import type { AdminOrdersError, LinkedOrder } from "../../ports/order-links";
import type { ShopifyTarget } from "../../ports/shopify-payments-apps";

export interface AdminOrdersClientOptions {
  readonly apiVersion: string;
  /** `https://${shop}` in production; the simulator's origin for the shop in sandbox mode. */
  readonly shopOrigin: (shopDomain: string) => string;
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/** Sessions looked up per request: one aliased `orders` field each, well inside the query cost limit. */
export const ORDERS_PER_REQUEST = 20;

const ORDER_FIELDS = "id name displayFinancialStatus cancelledAt";

const orderSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  displayFinancialStatus: z.string().nullish(),
  cancelledAt: z.string().nullish(),
});
const connectionSchema = z.object({ nodes: z.array(orderSchema) }).nullable();
const envelopeSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z.array(z.object({ message: z.string(), extensions: z.object({ code: z.string().optional() }).nullish() })).nullish(),
});

/**
 * Order look-ups in the Admin GraphQL API with the shop's offline token: which order carries a payment
 * session (orders(query: "payment_session_id:<id>"), several sessions per request with aliases) and an
 * order's current financial status by id. Reads only. The token never reaches the logs.
 */
export class ShopifyAdminOrdersClient {
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: AdminOrdersClientOptions) {
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Session id → its order, or null when Shopify has no order for it (yet). At most ORDERS_PER_REQUEST ids. */
  async ordersForSessions(target: ShopifyTarget, sessionIds: readonly string[]): Promise<Result<Map<string, LinkedOrder | null>, AdminOrdersError>> {
    if (sessionIds.length > ORDERS_PER_REQUEST) throw new RangeError(`at most ${ORDERS_PER_REQUEST} sessions per request`);
    const found = new Map<string, LinkedOrder | null>();
    if (sessionIds.length === 0) return ok(found);
    const variables: Record<string, string> = {};
    const fields = sessionIds.map((id, i) => {
      variables[`q${i}`] = `payment_session_id:${quoteSearchValue(id)}`;
      return `s${i}: orders(first: 1, query: $q${i}) { nodes { ${ORDER_FIELDS} } }`;
    });
    const declarations = sessionIds.map((_, i) => `$q${i}: String!`).join(", ");
    const query = `query OrdersForPaymentSessions(${declarations}) { ${fields.join(" ")} }`;
    const data = await this.send(target, query, variables, "OrdersForPaymentSessions");
    if (!data.ok) return data;
    for (let i = 0; i < sessionIds.length; i += 1) {
      const parsed = connectionSchema.safeParse(data.value[`s${i}`] ?? null);
      if (!parsed.success) return err({ kind: "invalid_response", message: `Unexpected orders payload for session ${i}` });
      const node = parsed.data?.nodes[0];
      found.set(sessionIds[i] ?? "", node ? toOrder(node) : null);
    }
    return ok(found);
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

/** Search values with spaces or quotes are quoted; session ids are plain, but the query must stay intact. */
function quoteSearchValue(value: string): string {
  return /^[A-Za-z0-9_.:-]+$/.test(value) ? value : `"${value.replace(/["\\]/g, "")}"`;
}
