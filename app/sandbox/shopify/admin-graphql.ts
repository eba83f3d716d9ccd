import { z } from "zod";

import { argumentValues, fieldError, type GraphQLError, type ResolvedObject, responseKey, shape } from "./graphql-execution";
import { invalidArgumentsError, type PreparedRequest, undefinedFieldError } from "./graphql-request";
import { findOrder, ordersOfShop } from "./orders";
import { throttledBody } from "./payments-graphql";
import { type SimulatorContext } from "./simulator-context";
import { type OrderRecord, type ShopRecord } from "./simulator-types";
import { formatMinor, parseGid } from "./simulator-values";

/**
 * A minimal Admin GraphQL API: `shop`, `order(id:)` and `orders(first:, after:, query:, reverse:)`.
 * Orders carry their payment session id as a custom attribute and as the transaction's paymentId,
 * and `query: "payment_session_id:<id>"` finds them.
 */

export interface AdminGraphQLOutcome {
  httpStatus: number;
  body: unknown;
  hold: boolean;
  outcome: string;
}

const ordersArgs = z.object({
  first: z.number().int().min(0).max(250).nullish(),
  last: z.number().int().min(0).max(250).nullish(),
  after: z.string().nullish(),
  before: z.string().nullish(),
  query: z.string().nullish(),
  reverse: z.boolean().nullish(),
  sortKey: z.enum(["CREATED_AT", "ID", "ORDER_NUMBER", "PROCESSED_AT", "UPDATED_AT"]).nullish(),
});
const orderArgs = z.object({ id: z.string({ error: "ID! is required" }) });

const SEARCH_KEYS = new Set(["payment_session_id", "name", "financial_status", "id", "status", "test"]);

export function executeAdminGraphQL(context: SimulatorContext, shop: ShopRecord, request: PreparedRequest): AdminGraphQLOutcome {
  const { operation, rootFields } = request;
  const operationLabel = operation.name ?? operation.operation;
  if (operation.operation !== "query") {
    const errors = rootFields.map((field) => undefinedFieldError(field, "Mutation", "mutation"));
    return { httpStatus: 200, body: { errors }, hold: false, outcome: "error" };
  }
  const unknown = rootFields.filter((field) => !["shop", "order", "orders", "__typename"].includes(field.name));
  if (unknown.length > 0) {
    return { httpStatus: 200, body: { errors: unknown.map((field) => undefinedFieldError(field, "QueryRoot", "query")) }, hold: false, outcome: "error" };
  }

  const fault = context.faults.take("admin");
  if (fault !== null) {
    switch (fault.kind) {
      case "error500":
        return { httpStatus: 500, body: { errors: [{ message: "Internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] }, hold: false, outcome: "fault:error500" };
      case "throttled":
        return { httpStatus: 200, body: throttledBody(), hold: false, outcome: "fault:throttled" };
      case "timeout":
        return { httpStatus: 0, body: null, hold: true, outcome: "fault:timeout" };
    }
  }

  const shapeContext = { fragments: request.document.fragments, variables: request.variables, possibleTypes: { Node: ["Order", "Shop"] } };
  const data: Record<string, unknown> = {};
  const errors: GraphQLError[] = [];
  const searchWarnings: string[] = [];
  for (const field of rootFields) {
    const key = responseKey(field);
    const args = argumentValues(field, request.variables);
    switch (field.name) {
      case "__typename":
        data[key] = "QueryRoot";
        break;
      case "shop":
        data[key] = shape(shopObject(shop), field.selectionSet, shapeContext);
        break;
      case "order": {
        const parsed = orderArgs.safeParse(args);
        if (!parsed.success) {
          errors.push(invalidArgumentsError(field, operationLabel, parsed.error.issues));
          data[key] = null;
          break;
        }
        const legacyId = parseGid(parsed.data.id, "Order");
        if (legacyId === null) {
          errors.push(fieldError(field, [operationLabel, field.name, "id"], `Invalid global id '${parsed.data.id}'`, { code: "argumentLiteralsIncompatible" }));
          data[key] = null;
          break;
        }
        const order = findOrder(context, parsed.data.id);
        data[key] = order && order.shop === shop.domain ? shape(orderObject(order), field.selectionSet, shapeContext) : null;
        break;
      }
      case "orders": {
        const parsed = ordersArgs.safeParse(args);
        if (!parsed.success) {
          errors.push(invalidArgumentsError(field, operationLabel, parsed.error.issues));
          data[key] = null;
          break;
        }
        if (parsed.data.first == null && parsed.data.last == null) {
          errors.push(fieldError(field, [operationLabel, field.name], "you must provide one of first or last", { code: "BAD_REQUEST" }));
          data[key] = null;
          break;
        }
        const connection = ordersConnection(context, shop, parsed.data, searchWarnings);
        data[key] = shape(connection, field.selectionSet, shapeContext);
        break;
      }
    }
  }
  const extensions = searchWarnings.length > 0 ? { extensions: { search: searchWarnings.map((warning) => ({ warnings: [{ message: warning }] })) } } : {};
  const body = errors.length > 0 ? { errors, data, ...extensions } : { data, ...extensions };
  return { httpStatus: 200, body, hold: false, outcome: errors.length > 0 ? "error" : "ok" };
}

function ordersConnection(
  context: SimulatorContext,
  shop: ShopRecord,
  args: z.infer<typeof ordersArgs>,
  warnings: string[],
): ResolvedObject {
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
    __typename: "OrderConnection",
    edges: window.map((order, index) => ({ __typename: "OrderEdge", cursor: cursorOf(order), node: nodes[index] })),
    nodes,
    pageInfo: {
      __typename: "PageInfo",
      hasNextPage: args.first != null ? total > window.length : false,
      hasPreviousPage: afterIndex >= 0 || (args.last != null && total > window.length),
      startCursor: window[0] ? cursorOf(window[0]) : null,
      endCursor: window[window.length - 1] ? cursorOf(window[window.length - 1] as OrderRecord) : null,
    },
  };
}

function cursorOf(order: OrderRecord): string {
  return Buffer.from(JSON.stringify({ last_id: order.legacyId })).toString("base64");
}

/** Shopify's search syntax, reduced to `key:value` terms joined by AND (spaces). */
function matcher(query: string, warnings: string[]): (order: OrderRecord) => boolean {
  const terms = [...query.matchAll(/(\w+):(?:"([^"]*)"|'([^']*)'|(\S+))|(\S+)/g)].map((match) => ({
    key: match[1] ?? "name",
    value: (match[2] ?? match[3] ?? match[4] ?? match[5] ?? "").toLowerCase(),
  }));
  const known = terms.filter((term) => {
    if (term.value === "and") return false;
    if (SEARCH_KEYS.has(term.key)) return true;
    warnings.push(`Invalid search field for this query: '${term.key}'`);
    return false;
  });
  return (order) =>
    known.every(({ key, value }) => {
      switch (key) {
        case "payment_session_id":
          return order.paymentSessionId.toLowerCase() === value;
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
        default:
          return true;
      }
    });
}

function moneyBag(minor: number, currency: string): ResolvedObject {
  const money = { __typename: "MoneyV2", amount: formatMinor(minor), currencyCode: currency };
  return { __typename: "MoneyBag", shopMoney: money, presentmentMoney: money };
}

export function orderObject(order: OrderRecord): ResolvedObject {
  const unpaid = order.financialStatus === "pending" || order.financialStatus === "authorized";
  const outstanding = unpaid ? order.amountMinor : 0;
  const transactionStatus = {
    pending: "PENDING",
    authorized: "SUCCESS",
    paid: "SUCCESS",
    voided: "FAILURE",
    partially_refunded: "SUCCESS",
    refunded: "SUCCESS",
  }[order.financialStatus];
  return {
    __typename: "Order",
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
    totalOutstandingSet: moneyBag(outstanding, order.currency),
    paymentGatewayNames: ["pagoefectivo"],
    customAttributes: [{ __typename: "Attribute", key: "payment_session_id", value: order.paymentSessionId }],
    transactions: [
      {
        __typename: "OrderTransaction",
        id: `gid://shopify/OrderTransaction/${order.legacyId}`,
        kind: order.financialStatus === "authorized" ? "AUTHORIZATION" : "SALE",
        status: transactionStatus,
        gateway: "pagoefectivo",
        paymentId: order.paymentSessionId,
        test: order.test,
        createdAt: order.createdAt,
        amountSet: moneyBag(order.amountMinor, order.currency),
      },
    ],
  };
}

function shopObject(shop: ShopRecord): ResolvedObject {
  return {
    __typename: "Shop",
    id: `gid://shopify/Shop/${shop.shopId}`,
    name: shop.name,
    email: shop.email,
    myshopifyDomain: shop.domain,
    currencyCode: shop.currency,
    ianaTimezone: "America/Lima",
    primaryDomain: { __typename: "Domain", host: shop.domain, url: `https://${shop.domain}` },
  };
}
