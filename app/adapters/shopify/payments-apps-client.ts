
import type { Logger } from "../../lib/logger";
import { err } from "../../lib/result";
import type {
  ConfigurePaymentsAppInput,
  ConfigureSuccess,
  MutationSuccess,
  PaymentsAppsError,
  PaymentsAppsResult,
  PendPaymentSessionInput,
  RejectPaymentSessionInput,
  RejectRefundSessionInput,
  ResolveSessionInput,
  ShopifyPaymentsAppsGateway,
  ShopifyTarget,
} from "../../ports/shopify-payments-apps";
import {
  PAYMENT_SESSION_PENDING,
  PAYMENT_SESSION_REJECT,
  PAYMENT_SESSION_RESOLVE,
  PAYMENTS_APP_CONFIGURE,
  type PaymentsAppsMutationDocument,
  REFUND_SESSION_REJECT,
  REFUND_SESSION_RESOLVE,
} from "./payments-apps-mutations";
import { classifyResponse, parseConfigurePayload, type Parsed, parsePaymentSessionPayload, parseRefundSessionPayload,type PayloadParser } from "./payments-apps-response";

export const DEFAULT_PAYMENTS_APPS_TIMEOUT_MS = 10_000;

export interface ShopifyPaymentsAppsClientOptions {
  /** A dated version such as "2025-10"; never "unstable" in production. */
  readonly apiVersion: string;
  /**
   * The origin for a shop, without a trailing slash: `https://${shop}` in production; the sandbox
   * passes `http://localhost:3000/sandbox/shopify/shops/${shop}`.
   */
  readonly shopOrigin: (shopDomain: string) => string;
  readonly fetch?: typeof fetch;
  /** Covers the whole exchange, body included. Defaults to 10 s. */
  readonly timeoutMs?: number;
  /** Sent as User-Agent, naming the app and the instance that makes the call (in Shopify's logs, and the simulator's record). */
  readonly userAgent?: string;
  readonly logger: Logger;
}

export class ShopifyPaymentsAppsClient implements ShopifyPaymentsAppsGateway {
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private readonly logger: Logger;

  constructor(private readonly options: ShopifyPaymentsAppsClientOptions) {
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PAYMENTS_APPS_TIMEOUT_MS;
    this.logger = options.logger.child({ component: "shopify-payments-apps" });
  }

  pendPaymentSession(target: ShopifyTarget, input: PendPaymentSessionInput): PaymentsAppsResult<MutationSuccess> {
    return this.execute(
      target,
      PAYMENT_SESSION_PENDING,
      { id: input.gid, pendingExpiresAt: input.pendingExpiresAt.toISOString(), reason: input.reason },
      parsePaymentSessionPayload,
    );
  }

  resolvePaymentSession(target: ShopifyTarget, input: ResolveSessionInput): PaymentsAppsResult<MutationSuccess> {
    return this.execute(target, PAYMENT_SESSION_RESOLVE, { id: input.gid }, parsePaymentSessionPayload);
  }

  rejectPaymentSession(target: ShopifyTarget, input: RejectPaymentSessionInput): PaymentsAppsResult<MutationSuccess> {
    return this.execute(
      target,
      PAYMENT_SESSION_REJECT,
      { id: input.gid, reason: reasonVariable(input.reason) },
      parsePaymentSessionPayload,
    );
  }

  resolveRefundSession(target: ShopifyTarget, input: ResolveSessionInput): PaymentsAppsResult<MutationSuccess> {
    return this.execute(target, REFUND_SESSION_RESOLVE, { id: input.gid }, parseRefundSessionPayload);
  }

  rejectRefundSession(target: ShopifyTarget, input: RejectRefundSessionInput): PaymentsAppsResult<MutationSuccess> {
    return this.execute(
      target,
      REFUND_SESSION_REJECT,
      { id: input.gid, reason: reasonVariable(input.reason) },
      parseRefundSessionPayload,
    );
  }

  configurePaymentsApp(target: ShopifyTarget, input: ConfigurePaymentsAppInput): PaymentsAppsResult<ConfigureSuccess> {
    return this.execute(
      target,
      PAYMENTS_APP_CONFIGURE,
      { externalHandle: input.externalHandle, ready: input.ready },
      parseConfigurePayload,
    );
  }

  /** The one request path: send, classify, log (shop, operation, status, duration; never the token). */
  private async execute<T>(
    target: ShopifyTarget,
    doc: PaymentsAppsMutationDocument,
    variables: Record<string, unknown>,
    parsePayload: PayloadParser<T>,
  ): PaymentsAppsResult<T> {
    const startedAt = performance.now();
    const { result, httpStatus } = await this.send(target, doc, variables, parsePayload);
    const logFields = {
      shop: target.shopDomain,
      operation: doc.rootField,
      status: httpStatus ?? null,
      durationMs: Math.round(performance.now() - startedAt),
    };
    if (result.ok) {
      this.logger.info(logFields, "payments apps mutation succeeded");
    } else {
      this.logger.warn(
        { ...logFields, errorKind: result.error.kind, retryable: result.error.retryable, detail: result.error.message },
        "payments apps mutation failed",
      );
    }
    return result;
  }

  private async send<T>(
    target: ShopifyTarget,
    doc: PaymentsAppsMutationDocument,
    variables: Record<string, unknown>,
    parsePayload: PayloadParser<T>,
  ): Promise<{ result: Parsed<T>; httpStatus?: number }> {
    const operation = doc.rootField;
    const url = `${this.options.shopOrigin(target.shopDomain)}/payments_apps/api/${this.options.apiVersion}/graphql.json`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      let response: Response;
      try {
        response = await this.fetchFn(url, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            "X-Shopify-Access-Token": target.accessToken,
            ...(this.options.userAgent ? { "User-Agent": this.options.userAgent } : {}),
          },
          body: JSON.stringify({ query: doc.query, operationName: doc.operationName, variables }),
          signal: controller.signal,
          // fetch forwards custom headers across origins on a redirect, which would hand the token to
          // whoever the redirect names (and turn the POST into a GET). A redirect is never expected here.
          redirect: "manual",
        });
      } catch (error) {
        return { result: err(this.transportError(operation, controller.signal.aborted, error)) };
      }

      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        return {
          result: err(this.transportError(operation, controller.signal.aborted, error)),
          httpStatus: response.status,
        };
      }
      return { result: classifyResponse(operation, doc.rootField, response.status, text, parsePayload), httpStatus: response.status };
    } finally {
      clearTimeout(timer);
    }
  }

  private transportError(operation: string, aborted: boolean, error: unknown): PaymentsAppsError {
    if (aborted) {
      return {
        kind: "timeout",
        retryable: true,
        message: `Shopify ${operation} gave no complete answer within ${this.timeoutMs} ms`,
      };
    }
    // undici reports refused connections, DNS failures and resets as TypeError("fetch failed").
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { kind: "network", retryable: true, message: `Could not reach Shopify for ${operation} (${detail})` };
  }
}

function reasonVariable(reason: { code: string; merchantMessage?: string }): Record<string, string> {
  return reason.merchantMessage === undefined
    ? { code: reason.code }
    : { code: reason.code, merchantMessage: reason.merchantMessage };
}
