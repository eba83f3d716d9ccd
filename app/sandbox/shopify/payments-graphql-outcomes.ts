import { type FaultKind } from "./faults";
import { type ShopifyGraphQLError } from "./graphql-runner";
import { type GraphQLCallLogEntry } from "./simulator-context";

export interface PaymentsGraphQLOutcome {
  httpStatus: number;
  body: unknown;
  /** Set when a "timeout" fault applies: the route holds the request instead of answering. */
  hold: boolean;
  changed: boolean;
  log: Omit<GraphQLCallLogEntry, "at" | "api" | "shop" | "apiVersion">;
}

export type CallSummary = { operation: string | null; rootFields: string[] };

export function errorsOutcome(errors: ShopifyGraphQLError[], log: CallSummary): PaymentsGraphQLOutcome {
  return { httpStatus: 200, body: { errors }, hold: false, changed: false, log: { ...log, status: 200, outcome: "error" } };
}

export function faultOutcome(kind: FaultKind, changed: boolean, log: CallSummary): PaymentsGraphQLOutcome {
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

/** Shopify's throttled answer (https://shopify.dev/docs/api/usage/limits#graphql-admin-api-rate-limits). */
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
