import { getVariableValues, GraphQLError } from "graphql";

import { type FaultKind } from "./faults";
import { executeOperation, prepareOperation, responseBody } from "./graphql-runner";
import { onRefundResolved, onSessionPending, onSessionRejected, onSessionResolved } from "./orders";
import { paymentSessionObject, refundSessionObject } from "./payments-graphql-objects";
import { errorsOutcome, faultOutcome, type PaymentsGraphQLOutcome } from "./payments-graphql-outcomes";
import { schemaFor } from "./schema/versioned-schema";
import { type SimulatorContext } from "./simulator-context";
import {
  type MutationEntry,
  type NextAction,
  type ShopRecord,
  type UserError,
} from "./simulator-types";
import { parseGid } from "./simulator-values";

/**
 * The Payments Apps GraphQL API (schema in schema/payments-apps.graphql, per API version) with
 * Shopify's semantics:
 * - "Idempotency is per id and per operation name": a repeated mutation is performed once and its first
 *   answer is returned again; after a final mutation a different one is a userError
 *   (https://shopify.dev/docs/apps/build/payments/requirements, "General transaction requirements").
 * - paymentSessionPending refuses a pendingExpiresAt in the past (EXPIRED_PENDING_EXPIRES_AT) and one past
 *   the pending limit (OUT_OF_RANGE_PENDING_EXPIRES_AT), and a final session (PENDING_INVALID_STATE)
 *   (https://shopify.dev/docs/api/payments-apps/latest/enums/PaymentSessionPendingUserErrorCode).
 * Every call is recorded on its session.
 */

/**
 * "The date and time when the pending payment expires, recommended to be within 3 days"
 * (https://shopify.dev/docs/api/payments-apps/latest/mutations/paymentSessionPending). The enum says a
 * later date "has exceeded the default pending expiry limit" without giving the limit: taking the 3 days
 * as that limit is a guess.
 */
export const PENDING_LIMIT_MS = 3 * 24 * 60 * 60 * 1000;

// Texts of PaymentSessionPendingUserErrorCode's values, as documented.
const PENDING_ERRORS = {
  EXPIRED_PENDING_EXPIRES_AT: { field: ["pendingExpiresAt"], message: "Pending expiry date can't be a time in the past." },
  OUT_OF_RANGE_PENDING_EXPIRES_AT: { field: ["pendingExpiresAt"], message: "Pending expiry date has exceeded the default pending expiry limit." },
  PENDING_INVALID_STATE: { field: ["id"], message: "Payment session has already been resolved or rejected." },
  NOT_FOUND: { field: ["id"], message: "Payment session doesn't exist." },
} as const;

function pendingError(code: keyof typeof PENDING_ERRORS): UserError {
  const { field, message } = PENDING_ERRORS[code];
  return { field: [...field], message, code };
}

type PaymentMutation = "paymentSessionResolve" | "paymentSessionReject" | "paymentSessionPending";
type RefundMutation = "refundSessionResolve" | "refundSessionReject";

interface Payload {
  [key: string]: unknown;
  userErrors: UserError[];
}

interface CallState {
  context: SimulatorContext;
  shop: ShopRecord;
  apiVersion: string;
  /** The caller's User-Agent header, kept on the record of each mutation (which app instance made the call). */
  userAgent: string | null;
  fault: { kind: FaultKind; apply: boolean } | null;
  outcomes: string[];
  changed: boolean;
}

export async function executePaymentsGraphQL(
  context: SimulatorContext,
  shop: ShopRecord,
  apiVersion: string,
  rawBody: unknown,
  userAgent: string | null = null,
): Promise<PaymentsGraphQLOutcome> {
  const schema = schemaFor("payments-apps", apiVersion);
  const prepared = prepareOperation(schema, rawBody);
  if (!prepared.ok) return errorsOutcome(prepared.error, { operation: null, rootFields: [] });
  const log = { operation: prepared.value.operationName, rootFields: prepared.value.rootFields };
  const operation = prepared.value.operation;

  if (operation.operation === "mutation") {
    // Variables are coerced before anything runs: a wrong type or an enum value this version lacks is a
    // top-level error and no mutation (or fault) takes place.
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], prepared.value.variables);
    if (coerced.errors) {
      const executed = await executeOperation(schema, prepared.value, {});
      return errorsOutcome(executed.errors, log);
    }
  }

  const state: CallState = {
    context,
    shop,
    apiVersion,
    userAgent,
    fault: operation.operation === "mutation" ? context.faults.take("payments", prepared.value.rootFields) : null,
    outcomes: [],
    changed: false,
  };
  const executed = await executeOperation(schema, prepared.value, rootResolvers(state));
  if (state.fault !== null) return faultOutcome(state.fault.kind, state.changed, log);
  if (executed.errors.length > 0) state.outcomes.push("error");
  return {
    httpStatus: 200,
    body: responseBody(executed),
    hold: false,
    changed: state.changed,
    log: { ...log, status: 200, outcome: state.outcomes.join(",") || (executed.errors.length > 0 ? "error" : "ok") },
  };
}

function rootResolvers(state: CallState): Record<string, unknown> {
  const payment = (name: PaymentMutation) => (args: Record<string, unknown>) => runPaymentMutation(state, name, args);
  const refund = (name: RefundMutation) => (args: Record<string, unknown>) => runRefundMutation(state, name, args);
  return {
    paymentSessionResolve: payment("paymentSessionResolve"),
    paymentSessionReject: payment("paymentSessionReject"),
    paymentSessionPending: payment("paymentSessionPending"),
    refundSessionResolve: refund("refundSessionResolve"),
    refundSessionReject: refund("refundSessionReject"),
    paymentsAppConfigure: (args: Record<string, unknown>) => configure(state, args),
  };
}

function entryFor(state: CallState, name: string, args: Record<string, unknown>): MutationEntry {
  return {
    name,
    at: state.context.clock.now().toISOString(),
    apiVersion: state.apiVersion,
    variables: args,
    result: "ok",
    ...(state.userAgent !== null ? { userAgent: state.userAgent } : {}),
  };
}

/** A faulted call that must not take effect records the attempt and answers nothing. */
function faultedWithoutEffect(state: CallState, mutations: MutationEntry[] | null, entry: MutationEntry): boolean {
  if (state.fault === null || state.fault.apply) return false;
  mutations?.push({ ...entry, result: "fault", fault: state.fault.kind, applied: false });
  state.changed ||= mutations !== null;
  state.outcomes.push("fault");
  return true;
}

function finish(state: CallState, mutations: MutationEntry[], entry: MutationEntry, payload: Payload, replayed: boolean): Payload {
  const userErrors = payload.userErrors;
  const result = userErrors.length > 0 ? "user_error" : "ok";
  mutations.push({
    ...entry,
    result: state.fault !== null ? "fault" : result,
    ...(state.fault !== null ? { fault: state.fault.kind, applied: true } : {}),
    ...(userErrors.length > 0 ? { userErrors } : {}),
    ...(replayed ? { replayed: true } : {}),
  });
  state.changed = true;
  state.outcomes.push(result);
  return payload;
}

function sessionGid(id: unknown, type: "PaymentSession" | "RefundSession"): string | null {
  const raw = String(id);
  // An id that is not a Shopify global id is refused as an argument error (a guess at the wording).
  if (!raw.startsWith("gid://shopify/")) throw new GraphQLError(`Invalid global id '${raw}'`, { extensions: { code: "argumentLiteralsIncompatible" } });
  return parseGid(raw, type);
}

function runPaymentMutation(state: CallState, name: PaymentMutation, args: Record<string, unknown>): Payload | null {
  const sessionId = sessionGid(args.id, "PaymentSession");
  const found = sessionId ? state.context.state.paymentSessions[sessionId] : undefined;
  const session = found && found.shop === state.shop.domain ? found : null;
  const entry = entryFor(state, name, args);
  if (faultedWithoutEffect(state, session?.mutations ?? null, entry)) return null;
  if (session === null) {
    const userError =
      name === "paymentSessionPending"
        ? pendingError("NOT_FOUND")
        : // UserError has no code; the message is a guess.
          { field: ["id"], message: "Payment session not found" };
    state.outcomes.push("user_error");
    return { paymentSession: null, userErrors: [userError] };
  }

  const previous = session.outcomes[name] as Payload | undefined;
  const isRepeat = previous !== undefined && (name !== "paymentSessionPending" || session.state === "pending");
  if (isRepeat) return finish(state, session.mutations, entry, previous, true);

  if (session.state === "resolved" || session.state === "rejected") {
    const userError =
      name === "paymentSessionPending"
        ? pendingError("PENDING_INVALID_STATE")
        : { field: ["id"], message: `Cannot ${name === "paymentSessionResolve" ? "resolve" : "reject"} a ${session.state} payment session` };
    return finish(state, session.mutations, entry, { paymentSession: paymentSessionObject(session), userErrors: [userError] }, false);
  }

  const thankYou = `${state.context.publicUrl()}/shops/${session.shop}/checkouts/${session.id}/thank-you`;
  switch (name) {
    case "paymentSessionPending": {
      const expiresAt = Date.parse(String(args.pendingExpiresAt));
      const now = state.context.clock.now().getTime();
      const refusal =
        expiresAt <= now ? "EXPIRED_PENDING_EXPIRES_AT" : expiresAt - now > PENDING_LIMIT_MS ? "OUT_OF_RANGE_PENDING_EXPIRES_AT" : null;
      if (refusal !== null) {
        return finish(state, session.mutations, entry, { paymentSession: paymentSessionObject(session), userErrors: [pendingError(refusal)] }, false);
      }
      session.state = "pending";
      session.pendingExpiresAt = new Date(expiresAt).toISOString();
      session.pendingReason = String(args.reason);
      session.nextAction = redirectTo(thankYou);
      onSessionPending(state.context, session);
      break;
    }
    case "paymentSessionResolve":
      session.state = "resolved";
      session.nextAction = redirectTo(thankYou);
      onSessionResolved(state.context, session);
      break;
    case "paymentSessionReject": {
      const reason = args.reason as { code: string; merchantMessage?: string | null; source?: string | null };
      session.state = "rejected";
      session.rejection = { code: reason.code, merchantMessage: reason.merchantMessage ?? null, source: reason.source ?? null };
      session.nextAction = redirectTo(session.cancelUrl);
      onSessionRejected(state.context, session);
      break;
    }
  }
  const payload: Payload = { paymentSession: paymentSessionObject(session), userErrors: [] };
  session.outcomes[name] = payload;
  return finish(state, session.mutations, entry, payload, false);
}

function runRefundMutation(state: CallState, name: RefundMutation, args: Record<string, unknown>): Payload | null {
  const refundId = sessionGid(args.id, "RefundSession");
  const found = refundId ? state.context.state.refundSessions[refundId] : undefined;
  const refund = found && found.shop === state.shop.domain ? found : null;
  const entry = entryFor(state, name, args);
  if (faultedWithoutEffect(state, refund?.mutations ?? null, entry)) return null;
  if (refund === null) {
    state.outcomes.push("user_error");
    return { refundSession: null, userErrors: [{ field: ["id"], message: "Refund session not found" }] };
  }
  const previous = refund.outcomes[name] as Payload | undefined;
  if (previous !== undefined) return finish(state, refund.mutations, entry, previous, true);
  if (refund.state !== "initial") {
    const message = `Cannot ${name === "refundSessionResolve" ? "resolve" : "reject"} a ${refund.state} refund session`;
    return finish(state, refund.mutations, entry, { refundSession: refundSessionObject(refund), userErrors: [{ field: ["id"], message }] }, false);
  }
  if (name === "refundSessionResolve") {
    refund.state = "resolved";
    onRefundResolved(state.context, refund);
  } else {
    const reason = args.reason as { code: string; merchantMessage?: string | null };
    refund.state = "rejected";
    refund.rejection = { code: reason.code, merchantMessage: reason.merchantMessage ?? null };
  }
  const payload: Payload = { refundSession: refundSessionObject(refund), userErrors: [] };
  refund.outcomes[name] = payload;
  return finish(state, refund.mutations, entry, payload, false);
}

function configure(state: CallState, args: Record<string, unknown>): Payload | null {
  if (faultedWithoutEffect(state, null, entryFor(state, "paymentsAppConfigure", args))) return null;
  const externalHandle = typeof args.externalHandle === "string" ? args.externalHandle : null;
  const ready = args.ready === true;
  state.shop.paymentsAppConfiguration = { externalHandle, ready, updatedAt: state.context.clock.now().toISOString() };
  state.changed = true;
  state.outcomes.push("ok");
  state.context.logger.info({ shop: state.shop.domain, ready }, "payments app configured");
  return { paymentsAppConfiguration: { externalHandle, ready }, userErrors: [] };
}

function redirectTo(url: string): NextAction {
  return { action: "REDIRECT", context: { redirectUrl: url } };
}
