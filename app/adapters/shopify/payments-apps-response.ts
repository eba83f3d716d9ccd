import { z } from "zod";

import { err, ok, type Result } from "../../lib/result";
import type { ConfigureSuccess, MutationSuccess, PaymentsAppsError } from "../../ports/shopify-payments-apps";

/**
 * Reading Shopify's answers to the Payments Apps mutations: HTTP status, the GraphQL envelope, userErrors and
 * each mutation's payload, as typed results (the client in payments-apps-client.ts sends the requests).
 */
/** Shopify's error envelope; `data` is checked per mutation. */
const envelopeSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z
    .array(
      z.object({
        message: z.string(),
        extensions: z.object({ code: z.string().optional() }).nullish(),
      }),
    )
    .nullish(),
});

const userErrorsSchema = z.array(
  z.object({
    field: z.array(z.string()).nullish(),
    message: z.string(),
  }),
);

const sessionStateSchema = z.object({
  __typename: z.string().optional(),
  code: z.string().nullish(),
  pendingReason: z.string().nullish(),
  rejectedReason: z.string().nullish(),
  merchantMessage: z.string().nullish(),
});

const paymentSessionPayloadSchema = z.object({
  paymentSession: z
    .object({
      id: z.string(),
      state: sessionStateSchema,
      nextAction: z
        .object({
          action: z.string().nullish(),
          // Only an http(s) URL is accepted: the buyer's browser is sent there.
          context: z.object({ redirectUrl: z.url({ protocol: /^https?$/ }).optional() }).nullish(),
        })
        .nullish(),
      pendingExpiresAt: z.string().nullish(),
    })
    .nullish(),
  userErrors: userErrorsSchema,
});

const refundSessionPayloadSchema = z.object({
  refundSession: z.object({ id: z.string(), state: sessionStateSchema }).nullish(),
  userErrors: userErrorsSchema,
});

const configurePayloadSchema = z.object({
  paymentsAppConfiguration: z.object({ externalHandle: z.string().nullable(), ready: z.boolean() }).nullish(),
  userErrors: userErrorsSchema,
});

export type Parsed<T> = Result<T, PaymentsAppsError>;
export type PayloadParser<T> = (payload: unknown, operation: string, status: number) => Parsed<T>;

export function classifyResponse<T>(
  operation: string,
  rootField: string,
  status: number,
  text: string,
  parsePayload: PayloadParser<T>,
): Parsed<T> {
  if (status === 401 || status === 403) {
    return err({
      kind: "unauthorized",
      retryable: false,
      httpStatus: status,
      message: `Shopify refused the access token for ${operation} (HTTP ${status}): the app was uninstalled or the token revoked`,
    });
  }
  if (status === 402 || status === 423) {
    return err({
      kind: "shop_inactive",
      retryable: true,
      httpStatus: status,
      message: `The shop is frozen or locked (HTTP ${status}) for ${operation}`,
    });
  }
  if (status === 429) {
    return err({ kind: "throttled", retryable: true, httpStatus: status, message: `Shopify throttled ${operation} (HTTP 429)` });
  }
  if (status >= 500) {
    return err({ kind: "server_error", retryable: true, httpStatus: status, message: `Shopify answered HTTP ${status} to ${operation}` });
  }
  if (status < 200 || status > 299) {
    return err({
      kind: "invalid_response",
      retryable: true,
      httpStatus: status,
      message: `Unexpected HTTP ${status} from Shopify for ${operation}`,
    });
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return err(invalidResponse(operation, status, "the body is not JSON"));
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    return err(invalidResponse(operation, status, "the body is not a GraphQL response"));
  }

  const errors = envelope.data.errors ?? [];
  if (errors.length > 0) {
    return err(classifyGraphQlErrors(operation, status, errors));
  }

  const payload = envelope.data.data?.[rootField];
  if (payload === undefined || payload === null) {
    return err(invalidResponse(operation, status, `data.${rootField} is missing`));
  }
  return parsePayload(payload, operation, status);
}

function classifyGraphQlErrors(
  operation: string,
  status: number,
  errors: readonly { message: string; extensions?: { code?: string | undefined } | null | undefined }[],
): PaymentsAppsError {
  const codes = errors.map((e) => e.extensions?.code).filter((code): code is string => code !== undefined);
  const messages = errors.map((e) => e.message).join("; ");
  // The most final code wins: a revoked token stays revoked whatever else went wrong.
  if (codes.includes("ACCESS_DENIED")) {
    return {
      kind: "unauthorized",
      retryable: false,
      httpStatus: status,
      message: `Shopify denied ${operation} (ACCESS_DENIED): ${messages}`,
    };
  }
  if (codes.includes("SHOP_INACTIVE")) {
    return { kind: "shop_inactive", retryable: true, httpStatus: status, message: `The shop is inactive (${operation}): ${messages}` };
  }
  // Older API versions send "Throttled" without a code (shopify.dev/docs/api/usage/limits).
  if (codes.includes("THROTTLED") || (codes.length === 0 && errors.some((e) => e.message.trim() === "Throttled"))) {
    return { kind: "throttled", retryable: true, httpStatus: status, message: `Shopify throttled ${operation}: ${messages}` };
  }
  if (codes.includes("INTERNAL_SERVER_ERROR")) {
    return { kind: "server_error", retryable: true, httpStatus: status, message: `Shopify failed ${operation}: ${messages}` };
  }
  // Anything else is final (issue #10): MAX_COST_EXCEEDED (the same query always costs the same), query
  // validation errors (no code), and codes Shopify does not document, which retrying for 30 hours would
  // not fix. The job goes to the dead-letter list, where it can be sent again after a fix.
  // Documented codes: shopify.dev/docs/api/usage/response-codes (THROTTLED, ACCESS_DENIED, SHOP_INACTIVE,
  // INTERNAL_SERVER_ERROR) and shopify.dev/docs/api/usage/limits (MAX_COST_EXCEEDED).
  return {
    kind: "graphql_errors",
    retryable: false,
    httpStatus: status,
    codes,
    message: `Shopify returned GraphQL errors for ${operation}: ${messages}`,
  };
}

function invalidResponse(operation: string, status: number, why: string): PaymentsAppsError {
  return {
    kind: "invalid_response",
    retryable: true,
    httpStatus: status,
    message: `Unreadable answer from Shopify for ${operation}: ${why}`,
  };
}

function userErrorsOrNull(
  operation: string,
  userErrors: readonly { field?: string[] | null | undefined; message: string }[],
): PaymentsAppsError | null {
  if (userErrors.length === 0) {
    return null;
  }
  const list = userErrors.map((e) => ({ field: e.field ?? null, message: e.message }));
  const text = list.map((e) => (e.field === null ? e.message : `${e.field.join(".")}: ${e.message}`)).join("; ");
  return { kind: "user_errors", retryable: false, userErrors: list, message: `Shopify refused ${operation}: ${text}` };
}

/** "PaymentSessionStatePending" -> "PENDING", used only when `code` is absent. */
function stateOf(state: z.infer<typeof sessionStateSchema>): string | null {
  if (state.code) {
    return state.code;
  }
  const match = /^(?:Payment|Refund)SessionState(\w+)$/.exec(state.__typename ?? "");
  return match?.[1] ? match[1].toUpperCase() : null;
}

export function parsePaymentSessionPayload(payload: unknown, operation: string, status: number): Parsed<MutationSuccess> {
  const parsed = paymentSessionPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    return err(invalidResponse(operation, status, `unexpected payload (${z.prettifyError(parsed.error)})`));
  }
  const userErrors = userErrorsOrNull(operation, parsed.data.userErrors);
  if (userErrors) {
    return err(userErrors);
  }
  const session = parsed.data.paymentSession;
  const state = session ? stateOf(session.state) : null;
  if (!session || state === null) {
    return err(invalidResponse(operation, status, "no payment session state and no userErrors"));
  }
  return ok({ state, nextActionRedirectUrl: session.nextAction?.context?.redirectUrl ?? null, raw: payload });
}

export function parseRefundSessionPayload(payload: unknown, operation: string, status: number): Parsed<MutationSuccess> {
  const parsed = refundSessionPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    return err(invalidResponse(operation, status, `unexpected payload (${z.prettifyError(parsed.error)})`));
  }
  const userErrors = userErrorsOrNull(operation, parsed.data.userErrors);
  if (userErrors) {
    return err(userErrors);
  }
  const session = parsed.data.refundSession;
  const state = session ? stateOf(session.state) : null;
  if (!session || state === null) {
    return err(invalidResponse(operation, status, "no refund session state and no userErrors"));
  }
  return ok({ state, nextActionRedirectUrl: null, raw: payload });
}

export function parseConfigurePayload(payload: unknown, operation: string, status: number): Parsed<ConfigureSuccess> {
  const parsed = configurePayloadSchema.safeParse(payload);
  if (!parsed.success) {
    return err(invalidResponse(operation, status, `unexpected payload (${z.prettifyError(parsed.error)})`));
  }
  const userErrors = userErrorsOrNull(operation, parsed.data.userErrors);
  if (userErrors) {
    return err(userErrors);
  }
  const configuration = parsed.data.paymentsAppConfiguration;
  if (!configuration) {
    return err(invalidResponse(operation, status, "no paymentsAppConfiguration and no userErrors"));
  }
  return ok({ externalHandle: configuration.externalHandle, ready: configuration.ready });
}
