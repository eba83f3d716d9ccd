import { z } from "zod";

import { type FaultKind } from "./faults";
import { argumentValues, fieldError, type GraphQLError, type ResolvedObject, responseKey, shape } from "./graphql-execution";
import { invalidArgumentsError, type PreparedRequest, undefinedFieldError } from "./graphql-request";
import { onRefundResolved, onSessionPending, onSessionRejected, onSessionResolved } from "./orders";
import { type GraphQLCallLogEntry, type SimulatorContext } from "./simulator-context";
import {
  type MutationEntry,
  type NextAction,
  type PaymentSessionRecord,
  type RefundSessionRecord,
  type ShopRecord,
  type UserError,
} from "./simulator-types";
import { parseGid } from "./simulator-values";

/**
 * The Payments Apps GraphQL API with Shopify's semantics: mutations are idempotent per session id
 * and mutation name (a repeat gets the first response back), the first final mutation wins and a
 * different one afterwards is a userError, and every call is recorded on its session.
 */

export const PENDING_REASONS = [
  "BUYER_ACTION_REQUIRED",
  "NETWORK_ACTION_REQUIRED",
  "PARTNER_ACTION_REQUIRED",
  "MERCHANT_ACTION_REQUIRED",
] as const;

// Union of the values documented across API versions 2024-10..2026-10 and unstable.
export const PAYMENT_REJECTION_REASONS = [
  "AMOUNT_TOO_LARGE",
  "AMOUNT_TOO_SMALL",
  "AUTHENTICATION_FAILED",
  "AUTHENTICATION_REQUIRED",
  "CALL_ISSUER",
  "CANCELLED_PAYMENT",
  "CARD_DECLINED",
  "CARD_TESTING",
  "CONFIRMATION_REJECTED",
  "DO_NOT_HONOR",
  "EXPIRED_CARD",
  "FRAUD_SUSPECTED",
  "HIGH_RISK_FRAUD_SUSPECTED",
  "INCORRECT_ADDRESS",
  "INCORRECT_CVC",
  "INCORRECT_NUMBER",
  "INCORRECT_PIN",
  "INCORRECT_ZIP",
  "INSTRUMENT_DECLINED",
  "INSUFFICIENT_FUNDS",
  "INVALID_AMOUNT",
  "INVALID_CURRENCY",
  "INVALID_CVC",
  "INVALID_EXPIRY_DATE",
  "INVALID_NUMBER",
  "INVALID_PAYMENT_METHOD",
  "INVALID_PURCHASE_TYPE",
  "INVALID_REQUEST",
  "MERCHANT_ACCOUNT_ERROR",
  "MERCHANT_RULE",
  "PAYMENT_METHOD_UNSUPPORTED",
  "PICK_UP_CARD",
  "PROCESSING_ERROR",
  "RETRY_DECLINED",
  "RISKY",
  "TRANSACTION_LIMIT_EXCEEDED",
] as const;

export const REFUND_REJECTION_REASONS = ["PROCESSING_ERROR"] as const;

const POSSIBLE_TYPES: Record<string, string[]> = {
  PaymentSessionState: [
    "PaymentSessionStatePending",
    "PaymentSessionStateResolved",
    "PaymentSessionStateRejected",
    "PaymentSessionStateRedirecting",
    "PaymentSessionStateConfirming",
    "PaymentSessionStateBuyerActionRequired",
  ],
  RefundSessionState: ["RefundSessionStateResolved", "RefundSessionStateRejected", "RefundSessionStatePending"],
  PaymentSessionActions: ["PaymentSessionActionsRedirect"],
  Node: ["PaymentSession", "RefundSession"],
};
POSSIBLE_TYPES.PaymentSessionStates = POSSIBLE_TYPES.PaymentSessionState as string[];
POSSIBLE_TYPES.RefundSessionStates = POSSIBLE_TYPES.RefundSessionState as string[];

const PENDING_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;

const isoDateTime = z.string().refine((value) => /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value)), {
  message: "expected an ISO-8601 DateTime",
});
const idArg = z.string({ error: "ID! is required" });
const rejectionReason = <T extends readonly [string, ...string[]]>(codes: T) =>
  z.object({
    code: z.enum(codes),
    merchantMessage: z.string().nullish(),
    source: z.enum(["NETWORK", "PROVIDER"]).nullish(),
  });

const argumentSchemas = {
  paymentSessionResolve: z.object({ id: idArg, authorizationExpiresAt: isoDateTime.nullish() }),
  paymentSessionReject: z.object({ id: idArg, reason: rejectionReason(PAYMENT_REJECTION_REASONS) }),
  paymentSessionPending: z.object({ id: idArg, pendingExpiresAt: isoDateTime, reason: z.enum(PENDING_REASONS) }),
  refundSessionResolve: z.object({ id: idArg }),
  refundSessionReject: z.object({ id: idArg, reason: rejectionReason(REFUND_REJECTION_REASONS) }),
  paymentsAppConfigure: z.object({ externalHandle: z.string().nullish(), ready: z.boolean({ error: "Boolean! is required" }) }),
};

type MutationName = keyof typeof argumentSchemas;
type Args<N extends MutationName> = z.infer<(typeof argumentSchemas)[N]>;

/** Mutations Shopify has but that never apply to an offsite app without capture/void sessions. */
const NOT_APPLICABLE = new Set([
  "paymentSessionRedirect",
  "paymentSessionConfirm",
  "captureSessionResolve",
  "captureSessionReject",
  "voidSessionResolve",
  "voidSessionReject",
  "verificationSessionResolve",
  "verificationSessionReject",
]);

interface Applied {
  payload: ResolvedObject;
  result: "ok" | "user_error";
  userErrors?: UserError[];
  replayed?: boolean;
  warnings?: string[];
}

export interface PaymentsGraphQLOutcome {
  httpStatus: number;
  body: unknown;
  /** Set when a "timeout" fault applies: the route holds the request instead of answering. */
  hold: boolean;
  changed: boolean;
  log: Omit<GraphQLCallLogEntry, "at" | "api" | "shop" | "apiVersion">;
}

export function executePaymentsGraphQL(
  context: SimulatorContext,
  shop: ShopRecord,
  apiVersion: string,
  request: PreparedRequest,
): PaymentsGraphQLOutcome {
  const { operation, rootFields } = request;
  const operationLabel = operation.name ?? operation.operation;
  const log = { operation: operation.name, rootFields: rootFields.map((field) => field.name) };

  if (operation.operation !== "mutation") {
    const unknown = rootFields.filter((field) => field.name !== "__typename");
    if (unknown.length > 0) {
      return errorsOutcome(unknown.map((field) => undefinedFieldError(field, "QueryRoot", "query")), log);
    }
    return { httpStatus: 200, body: { data: { __typename: "QueryRoot" } }, hold: false, changed: false, log: { ...log, status: 200, outcome: "ok" } };
  }

  const unknown = rootFields.filter((field) => !(field.name in argumentSchemas) && !NOT_APPLICABLE.has(field.name));
  if (unknown.length > 0) return errorsOutcome(unknown.map((field) => undefinedFieldError(field, "Mutation", "mutation")), log);

  const fault = context.faults.take("payments");
  const shapeContext = { fragments: request.document.fragments, variables: request.variables, possibleTypes: POSSIBLE_TYPES };
  const data: Record<string, unknown> = {};
  const errors: GraphQLError[] = [];
  const outcomes: string[] = [];
  let changed = false;

  for (const field of rootFields) {
    const at = context.clock.now().toISOString();
    const rawArgs = argumentValues(field, request.variables);
    const entry: MutationEntry = { name: field.name, at, apiVersion, variables: rawArgs, result: "ok" };

    if (NOT_APPLICABLE.has(field.name)) {
      const message = `${field.name} is not available to offsite payments apps`;
      data[responseKey(field)] = shape(userErrorPayload(field.name, null, [{ field: null, message }]), field.selectionSet, shapeContext);
      outcomes.push("user_error");
      continue;
    }
    const name = field.name as MutationName;
    const parsed = argumentSchemas[name].safeParse(rawArgs);
    const target = locateTarget(context, shop, name, rawArgs.id);

    if (target.kind === "invalid_gid") {
      errors.push(fieldError(field, [operationLabel, field.name, "id"], `Invalid global id '${String(rawArgs.id)}'`, { code: "argumentLiteralsIncompatible" }));
      data[responseKey(field)] = null;
      outcomes.push("error");
      continue;
    }
    if (!parsed.success) {
      const error = invalidArgumentsError(field, operationLabel, parsed.error.issues);
      errors.push(error);
      data[responseKey(field)] = null;
      outcomes.push("error");
      record(target, { ...entry, result: "error", errors: [error.message] });
      changed ||= target.kind !== "none";
      continue;
    }

    if (fault !== null && !fault.apply) {
      record(target, { ...entry, result: "fault", fault: fault.kind, applied: false });
      changed ||= target.kind !== "none";
      outcomes.push("fault");
      continue;
    }

    const applied = applyMutation(context, shop, name, parsed.data, target);
    changed = true;
    record(target, {
      ...entry,
      result: fault !== null ? "fault" : applied.result,
      ...(fault !== null ? { fault: fault.kind, applied: true } : {}),
      ...(applied.userErrors && applied.userErrors.length > 0 ? { userErrors: applied.userErrors } : {}),
      ...(applied.replayed ? { replayed: true } : {}),
      ...(applied.warnings && applied.warnings.length > 0 ? { warnings: applied.warnings } : {}),
    });
    outcomes.push(applied.result);
    data[responseKey(field)] = shape(applied.payload, field.selectionSet, shapeContext);
  }

  if (fault !== null) return faultOutcome(fault.kind, changed, log);
  const body = errors.length > 0 ? { errors, data } : { data };
  return { httpStatus: 200, body, hold: false, changed, log: { ...log, status: 200, outcome: outcomes.join(",") || "ok" } };
}

type Target =
  | { kind: "payment"; session: PaymentSessionRecord }
  | { kind: "refund"; session: RefundSessionRecord }
  | { kind: "none" }
  | { kind: "invalid_gid" };

function locateTarget(context: SimulatorContext, shop: ShopRecord, name: MutationName, id: unknown): Target {
  if (name === "paymentsAppConfigure") return { kind: "none" };
  if (typeof id !== "string") return { kind: "none" };
  if (!id.startsWith("gid://shopify/")) return { kind: "invalid_gid" };
  if (name.startsWith("payment")) {
    const sessionId = parseGid(id, "PaymentSession");
    const session = sessionId ? context.state.paymentSessions[sessionId] : undefined;
    return session && session.shop === shop.domain ? { kind: "payment", session } : { kind: "none" };
  }
  const refundId = parseGid(id, "RefundSession");
  const refund = refundId ? context.state.refundSessions[refundId] : undefined;
  return refund && refund.shop === shop.domain ? { kind: "refund", session: refund } : { kind: "none" };
}

function record(target: Target, entry: MutationEntry): void {
  if (target.kind === "payment" || target.kind === "refund") target.session.mutations.push(entry);
}

function applyMutation(context: SimulatorContext, shop: ShopRecord, name: MutationName, args: Args<MutationName>, target: Target): Applied {
  switch (name) {
    case "paymentsAppConfigure":
      return configure(context, shop, args as Args<"paymentsAppConfigure">);
    case "paymentSessionResolve":
    case "paymentSessionReject":
    case "paymentSessionPending":
      if (target.kind !== "payment") {
        return notFound(name, "paymentSession", "Payment session not found", "PAYMENT_SESSION_NOT_FOUND");
      }
      return applyPaymentMutation(context, name, args, target.session);
    case "refundSessionResolve":
    case "refundSessionReject":
      if (target.kind !== "refund") {
        return notFound(name, "refundSession", "Refund session not found", "REFUND_SESSION_NOT_FOUND");
      }
      return applyRefundMutation(context, name, args, target.session);
  }
}

function applyPaymentMutation(
  context: SimulatorContext,
  name: "paymentSessionResolve" | "paymentSessionReject" | "paymentSessionPending",
  args: Args<MutationName>,
  session: PaymentSessionRecord,
): Applied {
  const previous = session.outcomes[name];
  const isRepeat = previous !== undefined && (name !== "paymentSessionPending" || session.state === "pending");
  if (isRepeat) return { payload: previous as ResolvedObject, result: "ok", replayed: true };

  if (session.state === "resolved" || session.state === "rejected") {
    const verb = { paymentSessionResolve: "resolve", paymentSessionReject: "reject", paymentSessionPending: "mark as pending" }[name];
    const message = `Cannot ${verb} a ${session.state} payment session`;
    const userErrors = [{ field: ["id"], message, code: "PAYMENT_SESSION_INVALID_STATE" }];
    return { payload: userErrorPayload(name, { paymentSession: paymentSessionObject(session) }, userErrors), result: "user_error", userErrors };
  }

  const warnings: string[] = [];
  const thankYou = `${context.publicUrl()}/shops/${session.shop}/checkouts/${session.id}/thank-you`;
  switch (name) {
    case "paymentSessionPending": {
      const { pendingExpiresAt, reason } = args as Args<"paymentSessionPending">;
      const expiresAt = Date.parse(pendingExpiresAt);
      const now = context.clock.now().getTime();
      if (expiresAt <= now) warnings.push("pendingExpiresAt is in the past");
      if (expiresAt - now > PENDING_WINDOW_MS) warnings.push("pendingExpiresAt is more than 3 days ahead; Shopify recommends at most 3 days");
      session.state = "pending";
      session.pendingExpiresAt = new Date(expiresAt).toISOString();
      session.pendingReason = reason;
      session.nextAction = redirectTo(thankYou);
      onSessionPending(context, session);
      break;
    }
    case "paymentSessionResolve":
      session.state = "resolved";
      session.nextAction = redirectTo(thankYou);
      onSessionResolved(context, session);
      break;
    case "paymentSessionReject": {
      const { reason } = args as Args<"paymentSessionReject">;
      session.state = "rejected";
      session.rejection = { code: reason.code, merchantMessage: reason.merchantMessage ?? null };
      session.nextAction = redirectTo(session.cancelUrl);
      onSessionRejected(context, session);
      break;
    }
  }
  if (warnings.length > 0) context.logger.warn({ paymentSessionId: session.id, warnings }, "payment session mutation accepted with warnings");
  const payload = userErrorPayload(name, { paymentSession: paymentSessionObject(session) }, []);
  session.outcomes[name] = payload;
  return { payload, result: "ok", warnings };
}

function applyRefundMutation(
  context: SimulatorContext,
  name: "refundSessionResolve" | "refundSessionReject",
  args: Args<MutationName>,
  refund: RefundSessionRecord,
): Applied {
  const previous = refund.outcomes[name];
  if (previous !== undefined) return { payload: previous as ResolvedObject, result: "ok", replayed: true };
  if (refund.state !== "initial") {
    const message = `Cannot ${name === "refundSessionResolve" ? "resolve" : "reject"} a ${refund.state} refund session`;
    const userErrors = [{ field: ["id"], message, code: "REFUND_SESSION_INVALID_STATE" }];
    return { payload: userErrorPayload(name, { refundSession: refundSessionObject(refund) }, userErrors), result: "user_error", userErrors };
  }
  if (name === "refundSessionResolve") {
    refund.state = "resolved";
    onRefundResolved(context, refund);
  } else {
    const { reason } = args as Args<"refundSessionReject">;
    refund.state = "rejected";
    refund.rejection = { code: reason.code, merchantMessage: reason.merchantMessage ?? null };
  }
  const payload = userErrorPayload(name, { refundSession: refundSessionObject(refund) }, []);
  refund.outcomes[name] = payload;
  return { payload, result: "ok" };
}

function configure(context: SimulatorContext, shop: ShopRecord, args: Args<"paymentsAppConfigure">): Applied {
  shop.paymentsAppConfiguration = {
    externalHandle: args.externalHandle ?? null,
    ready: args.ready,
    updatedAt: context.clock.now().toISOString(),
  };
  context.logger.info({ shop: shop.domain, ready: args.ready }, "payments app configured");
  const configuration = { __typename: "PaymentsAppConfiguration", externalHandle: args.externalHandle ?? null, ready: args.ready };
  return { payload: userErrorPayload("paymentsAppConfigure", { paymentsAppConfiguration: configuration }, []), result: "ok" };
}

function notFound(name: MutationName, key: string, message: string, code: string): Applied {
  const userErrors = [{ field: ["id"], message, code }];
  return { payload: userErrorPayload(name, { [key]: null }, userErrors), result: "user_error", userErrors };
}

function userErrorPayload(mutation: string, fields: Record<string, unknown> | null, userErrors: UserError[]): ResolvedObject {
  const typeName = mutation.charAt(0).toUpperCase() + mutation.slice(1);
  return {
    __typename: `${typeName}Payload`,
    ...(fields ?? {}),
    userErrors: userErrors.map((error) => ({ __typename: `${typeName}UserError`, code: null, ...error })),
  };
}

function redirectTo(url: string): NextAction {
  return { action: "REDIRECT", context: { redirectUrl: url } };
}

export function paymentSessionObject(session: PaymentSessionRecord): ResolvedObject {
  return {
    __typename: "PaymentSession",
    id: session.gid,
    state: paymentStateObject(session),
    nextAction: session.nextAction
      ? {
          __typename: "PaymentSessionNextAction",
          action: session.nextAction.action,
          context: { __typename: "PaymentSessionActionsRedirect", redirectUrl: session.nextAction.context.redirectUrl },
        }
      : null,
    pendingExpiresAt: session.pendingExpiresAt,
    authorizationExpiresAt: null,
  };
}

function paymentStateObject(session: PaymentSessionRecord): ResolvedObject {
  switch (session.state) {
    case "initial":
      return { __typename: "PaymentSessionStateRedirecting", code: "REDIRECTING" };
    case "pending":
      return { __typename: "PaymentSessionStatePending", code: "PENDING", reason: session.pendingReason };
    case "resolved":
      return { __typename: "PaymentSessionStateResolved", code: "RESOLVED" };
    case "rejected":
      return {
        __typename: "PaymentSessionStateRejected",
        code: "REJECTED",
        reason: session.rejection?.code ?? null,
        merchantMessage: session.rejection?.merchantMessage ?? null,
      };
  }
}

function refundSessionObject(refund: RefundSessionRecord): ResolvedObject {
  const state =
    refund.state === "resolved"
      ? { __typename: "RefundSessionStateResolved", code: "RESOLVED" }
      : refund.state === "rejected"
        ? {
            __typename: "RefundSessionStateRejected",
            code: "REJECTED",
            reason: refund.rejection?.code ?? null,
            merchantMessage: refund.rejection?.merchantMessage ?? null,
          }
        : { __typename: "RefundSessionStatePending", code: "PENDING" };
  return { __typename: "RefundSession", id: refund.gid, state };
}

type CallSummary = { operation: string | null; rootFields: string[] };

function errorsOutcome(errors: GraphQLError[], log: CallSummary): PaymentsGraphQLOutcome {
  return { httpStatus: 200, body: { errors }, hold: false, changed: false, log: { ...log, status: 200, outcome: "error" } };
}

function faultOutcome(kind: FaultKind, changed: boolean, log: CallSummary): PaymentsGraphQLOutcome {
  switch (kind) {
    case "error500":
      return {
        httpStatus: 500,
        body: {
          errors: [{ message: "Internal error. Looks like something went wrong on our end.", extensions: { code: "INTERNAL_SERVER_ERROR" } }],
        },
        hold: false,
        changed,
        log: { ...log, status: 500, outcome: "fault:error500" },
      };
    case "throttled":
      return { httpStatus: 200, body: throttledBody(), hold: false, changed, log: { ...log, status: 200, outcome: "fault:throttled" } };
    case "timeout":
      return { httpStatus: 0, body: null, hold: true, changed, log: { ...log, status: 0, outcome: "fault:timeout" } };
  }
}

export function throttledBody() {
  return {
    errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
    extensions: {
      cost: {
        requestedQueryCost: 10,
        actualQueryCost: null,
        throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 50 },
      },
    },
  };
}
