import { GraphQLError } from "graphql";

import { executeOperation, prepareOperation, responseBody } from "./graphql-runner";
import { findOrder, ordersOfShop } from "./orders";
import { throttledBody } from "./payments-graphql-outcomes";
import { schemaFor } from "./schema/versioned-schema";
import { type SimulatorContext } from "./simulator-context";
import { type OrderRecord, type ShopRecord } from "./simulator-types";
import { formatMinor, parseGid } from "./simulator-values";

/**
 * The part of the Admin GraphQL API the app reads (schema in schema/admin.graphql): `shop`, `order(id:)`
 * and `orders(first:, after:, query:, ...)`. Orders expose only documented fields: nothing on an order
 * names the payment session that paid it (Shopify documents no such field or search term), so the app
 * links orders by their transactions (gateway, amount, times) and customer.
 */

export interface AdminGraphQLOutcome {
  httpStatus: number;
  body: unknown;
  hold: boolean;
  outcome: string;
  operation: string | null;
  rootFields: string[];
}

/** The payment gateway name on the simulator's orders; what Shopify writes for a payments app is not documented (a guess). */
export const SIMULATED_GATEWAY = "pagoefectivo";

/**
 * Search terms of the orders query the simulator understands, from the `query` argument's documented
 * filters (https://shopify.dev/docs/api/admin-graphql/latest/queries/orders#arguments-query): name,
 * financial_status, id, status, test, gateway, email, created_at and updated_at (with >, >=, <, <=).
 */
const SEARCH_KEYS = new Set(["name", "financial_status", "id", "status", "test", "gateway", "email", "created_at", "updated_at"]);

export async function executeAdminGraphQL(context: SimulatorContext, shop: ShopRecord, apiVersion: string, rawBody: unknown): Promise<AdminGraphQLOutcome> {
  const schema = schemaFor("admin", apiVersion);
  const prepared = prepareOperation(schema, rawBody);
  if (!prepared.ok) return { httpStatus: 200, body: { errors: prepared.error }, hold: false, outcome: "error", operation: null, rootFields: [] };
  const call = { operation: prepared.value.operationName, rootFields: prepared.value.rootFields };

  const fault = context.faults.take("admin", prepared.value.rootFields);
  if (fault !== null) {
    switch (fault.kind) {
      case "error500":
        return { ...call, httpStatus: 500, body: { errors: [{ message: "Internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] }, hold: false, outcome: "fault:error500" };
      case "throttled":
        return { ...call, httpStatus: 200, body: throttledBody(), hold: false, outcome: "fault:throttled" };
      case "timeout":
        return { ...call, httpStatus: 0, body: null, hold: true, outcome: "fault:timeout" };
    }
  }

  const searchWarnings: string[] = [];
  const root = {
    shop: () => shopObject(shop),
    order: ({ id }: { id: string }) => {
      if (parseGid(id, "Order") === null) throw new GraphQLError(`Invalid global id '${id}'`, { extensions: { code: "argumentLiteralsIncompatible" } });
      const order = findOrder(context, id);
      return order && order.shop === shop.domain ? orderObject(order) : null;
    },
    orders: (args: OrdersArgs) => {
      if (args.first == null && args.last == null) {
        throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
      }
      if ((args.first ?? 0) > 250 || (args.last ?? 0) > 250) {
        // "Connections are limited to 250 resources per page" (https://shopify.dev/docs/api/usage/pagination-graphql).
        throw new GraphQLError("The first/last argument cannot exceed 250", { extensions: { code: "MAX_PAGE_SIZE_EXCEEDED" } });
      }
      return ordersConnection(context, shop, args, searchWarnings);
    },
  };
  const executed = await executeOperation(schema, prepared.value, root);
  const body = responseBody(executed);
  if (searchWarnings.length > 0) body.extensions = { search: [{ warnings: searchWarnings.map((message) => ({ message })) }] };
  return { ...call, httpStatus: 200, body, hold: false, outcome: executed.errors.length > 0 ? "error" : "ok" };
}

interface OrdersArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  query?: string | null;
  reverse?: boolean | null;
}

function ordersConnection(context: SimulatorContext, shop: ShopRecord, args: OrdersArgs, warnings: string[]) {
  let orders = ordersOfShop(context, shop.domain).filter(matcher(args.query ?? "", warnings));
  if (args.reverse) orders = orders.reverse();
  const afterIndex = args.after ? orders.findIndex((order) => cursorOf(order) === args.after) : -1;
  const beforeIndex = args.before ? orders.findIndex((order) => cursorOf(order) === args.before) : orders.length;
  let window = orders.slice(afterIndex + 1, beforeIndex < 0 ? orders.length : beforeIndex);
  const total = window.length;
  if (args.first != null) window = window.slice(0, args.first);
  if (args.last != null) window = window.slice(Math.max(0, window.length - args.last));
  const nodes = window.map(orderObject);
  return {
    edges: window.map((order, index) => ({ cursor: cursorOf(order), node: nodes[index] })),
    nodes,
    pageInfo: {
      hasNextPage: args.first != null ? total > window.length : false,
      hasPreviousPage: afterIndex >= 0 || (args.last != null && total > window.length),
      startCursor: window[0] ? cursorOf(window[0]) : null,
      endCursor: window.length > 0 ? cursorOf(window[window.length - 1] as OrderRecord) : null,
    },
  };
}

function cursorOf(order: OrderRecord): string {
  return Buffer.from(JSON.stringify({ last_id: order.legacyId })).toString("base64");
}

/**
 * Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax) reduced to `key:value` and
 * `key:>=value` terms joined by spaces (AND). An unknown key is ignored with a search warning in
 * `extensions`, as Shopify reports it.
 */
function matcher(query: string, warnings: string[]): (order: OrderRecord) => boolean {
  const terms = [...query.matchAll(/(\w+):(<=|>=|<|>)?(?:"([^"]*)"|'([^']*)'|(\S+))|(\S+)/g)].map((match) => ({
    key: match[1] ?? "default",
    comparator: match[2] ?? "",
    value: (match[3] ?? match[4] ?? match[5] ?? match[6] ?? "").toLowerCase(),
  }));
  const known = terms.filter((term) => {
    if (term.key === "default") return term.value !== "and";
    if (SEARCH_KEYS.has(term.key)) return true;
    warnings.push(`Invalid search field for this query: '${term.key}'`);
    return false;
  });
  return (order) =>
    known.every(({ key, comparator, value }) => {
      switch (key) {
        case "default":
        case "name":
          return order.name.toLowerCase() === value || order.name.toLowerCase() === `#${value}`;
        case "financial_status":
          return order.financialStatus === value;
        case "id":
          return String(order.legacyId) === value || order.id.toLowerCase() === value;
        case "status":
          return value === "any" || (value === "cancelled" ? order.cancelledAt !== null : order.cancelledAt === null);
        case "test":
          return String(order.test) === value;
        case "gateway":
          return SIMULATED_GATEWAY === value;
        case "email":
          return (order.email ?? "").toLowerCase() === value;
        case "created_at":
          return compareTime(order.createdAt, comparator, value);
        case "updated_at":
          return compareTime(order.updatedAt, comparator, value);
        default:
          return true;
      }
    });
}

function compareTime(at: string, comparator: string, value: string): boolean {
  const left = Date.parse(at);
  const right = Date.parse(value.toUpperCase());
  if (Number.isNaN(right)) return false;
  switch (comparator) {
    case ">":
      return left > right;
    case ">=":
      return left >= right;
    case "<":
      return left < right;
    case "<=":
      return left <= right;
    default:
      return left === right;
  }
}

function moneyBag(minor: number, currency: string) {
  const money = { amount: formatMinor(minor), currencyCode: currency };
  return { shopMoney: money, presentmentMoney: money };
}

const TRANSACTION_STATUS = {
  pending: "PENDING",
  authorized: "SUCCESS",
  paid: "SUCCESS",
  voided: "FAILURE",
  partially_refunded: "SUCCESS",
  refunded: "SUCCESS",
} as const;

export function orderObject(order: OrderRecord) {
  const unpaid = order.financialStatus === "pending" || order.financialStatus === "authorized";
  return {
    id: order.id,
    legacyResourceId: String(order.legacyId),
    name: order.name,
    email: order.email,
    test: order.test,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    processedAt: order.createdAt,
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason ? order.cancelReason.toUpperCase() : null,
    closed: false,
    displayFinancialStatus: order.financialStatus.toUpperCase(),
    currencyCode: order.currency,
    presentmentCurrencyCode: order.currency,
    totalPriceSet: moneyBag(order.amountMinor, order.currency),
    currentTotalPriceSet: moneyBag(order.cancelledAt ? 0 : order.amountMinor - order.refundedMinor, order.currency),
    totalRefundedSet: moneyBag(order.refundedMinor, order.currency),
    totalOutstandingSet: moneyBag(unpaid ? order.amountMinor : 0, order.currency),
    paymentGatewayNames: [SIMULATED_GATEWAY],
    customer: order.email ? { id: `gid://shopify/Customer/${order.legacyId}`, email: order.email, defaultEmailAddress: { emailAddress: order.email } } : null,
    transactions: ({ first }: { first?: number | null }) => {
      const transactions = [
        {
          id: `gid://shopify/OrderTransaction/${order.legacyId}`,
          kind: order.financialStatus === "authorized" ? "AUTHORIZATION" : "SALE",
          status: TRANSACTION_STATUS[order.financialStatus],
          gateway: SIMULATED_GATEWAY,
          formattedGateway: "PagoEfectivo",
          amountSet: moneyBag(order.amountMinor, order.currency),
          // What Shopify writes here for a payments app's transaction is not documented: left empty.
          authorizationCode: null,
          createdAt: order.createdAt,
          processedAt: order.paidAt ?? null,
          test: order.test,
        },
      ];
      return first == null ? transactions : transactions.slice(0, first);
    },
  };
}

function shopObject(shop: ShopRecord) {
  return {
    id: `gid://shopify/Shop/${shop.shopId}`,
    name: shop.name,
    email: shop.email,
    myshopifyDomain: shop.domain,
    currencyCode: shop.currency,
    ianaTimezone: "America/Lima",
    primaryDomain: { host: shop.domain, url: `https://${shop.domain}` },
  };
}
