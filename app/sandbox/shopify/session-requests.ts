import { randomUUID } from "node:crypto";

import { postOutbound } from "./outbound-http";
import { type SimulatorContext } from "./simulator-context";
import {
  type DeliveryAttempt,
  type PaymentSessionRecord,
  type RefundSessionRecord,
  type RegisteredApp,
} from "./simulator-types";
import {
  formatMinor,
  isoSeconds,
  newOpaqueBase64,
  newSessionId,
  paymentSessionGid,
  refundSessionGid,
} from "./simulator-values";

/** Builds payment and refund session requests exactly as Shopify sends them, and sends them over mTLS. */

export const DEFAULT_API_VERSION = "2025-10";
const MAX_RESPONSE_BYTES = 8192;

export interface CheckoutInput {
  shop: string;
  amountMinor: number;
  currency: string;
  test: boolean;
  kind: "sale" | "authorization";
  locale: string;
  merchantLocale: string;
  /** undefined: the default Peruvian buyer; null: no customer; an object: sent as given. */
  customer: Record<string, unknown> | null | undefined;
}

export function defaultCustomer(locale: string): Record<string, unknown> {
  const address = {
    given_name: "María",
    family_name: "Quispe Huamán",
    line1: "Av. Javier Prado Este 4200",
    line2: "Dpto. 402",
    city: "Lima",
    postal_code: "15023",
    province: "Lima",
    country_code: "PE",
    phone_number: "987654321",
    company: "",
  };
  return {
    email: "maria.quispe@example.pe",
    phone_number: "987654321",
    locale,
    billing_address: address,
    shipping_address: { ...address },
  };
}

export function buildPaymentSession(context: SimulatorContext, input: CheckoutInput): PaymentSessionRecord {
  const id = newSessionId();
  const gid = paymentSessionGid(id);
  const group = newOpaqueBase64();
  const sessionId = newOpaqueBase64();
  const now = context.clock.now();
  const cancelUrl = `${context.publicUrl()}/shops/${input.shop}/checkouts/${id}`;
  // Key order follows Shopify's documented example; the bytes are kept so a resend is identical.
  const body = JSON.stringify({
    id,
    gid,
    group,
    session_id: sessionId,
    amount: formatMinor(input.amountMinor),
    currency: input.currency,
    test: input.test,
    merchant_locale: input.merchantLocale,
    payment_method: { type: "offsite", data: { cancel_url: cancelUrl } },
    proposed_at: isoSeconds(now),
    customer: input.customer === undefined ? defaultCustomer(input.locale) : input.customer,
    kind: input.kind,
  });
  return {
    id,
    gid,
    shop: input.shop,
    group,
    sessionId,
    amountMinor: input.amountMinor,
    currency: input.currency,
    test: input.test,
    kind: input.kind,
    cancelUrl,
    createdAt: now.toISOString(),
    body,
    state: "initial",
    pendingExpiresAt: null,
    pendingReason: null,
    rejection: null,
    nextAction: null,
    outcomes: {},
    mutations: [],
    deliveries: [],
    orderId: null,
    refundIds: [],
  };
}

export function buildRefundSession(
  context: SimulatorContext,
  payment: PaymentSessionRecord,
  amountMinor: number,
  merchantLocale: string,
): RefundSessionRecord {
  const id = newSessionId();
  const gid = refundSessionGid(id);
  const now = context.clock.now();
  const body = JSON.stringify({
    id,
    gid,
    payment_id: payment.id,
    amount: formatMinor(amountMinor),
    currency: payment.currency,
    test: payment.test,
    merchant_locale: merchantLocale,
    proposed_at: isoSeconds(now),
  });
  return {
    id,
    gid,
    paymentSessionId: payment.id,
    shop: payment.shop,
    amountMinor,
    currency: payment.currency,
    test: payment.test,
    createdAt: now.toISOString(),
    body,
    state: "initial",
    rejection: null,
    outcomes: {},
    mutations: [],
    deliveries: [],
  };
}

/**
 * POSTs a session request to the app presenting the Payments Platform client certificate, and
 * checks the answer against Shopify's contract (2xx, JSON redirect_url for payments, < 8 KiB).
 */
export async function deliverSessionRequest(
  context: SimulatorContext,
  app: RegisteredApp,
  target: { kind: "payment" | "refund"; shop: string; body: string },
): Promise<DeliveryAttempt> {
  const url = target.kind === "payment" ? app.paymentSessionUrl : app.refundSessionUrl;
  const requestId = randomUUID();
  const startedAt = context.clock.now();
  const started = performance.now();
  const result = await context.track(
    postOutbound(context.agents, {
      url,
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "User-Agent": "Shopify-Payments-Platform-Simulator",
        "Shopify-Shop-Domain": target.shop,
        "Shopify-Request-Id": requestId,
        "Shopify-Api-Version": app.apiVersion ?? context.settings.apiVersion,
      },
      body: target.body,
      caPem: app.serverCaPem,
      clientCert: { certPem: context.clientIdentity.certPem, keyPem: context.clientIdentity.keyPem },
      timeoutMs: context.settings.requestTimeoutMs,
    }),
  );
  const durationMs = Math.round(performance.now() - started);
  const base = { requestId, at: startedAt.toISOString(), url, durationMs };
  if (!result.ok) {
    context.logger.warn({ url, shop: target.shop, kind: target.kind, error: result.error.message }, "session request failed");
    return { ...base, status: null, redirectUrl: null, response: null, error: result.error.message, problems: [result.error.message] };
  }

  const { status, body, size, contentType } = result.value;
  const response = parseBody(body);
  const problems: string[] = [];
  if (status < 200 || status > 299) problems.push(`app answered HTTP ${status}; Shopify retries and then asks the buyer to retry`);
  if (size > MAX_RESPONSE_BYTES) problems.push(`response is ${size} bytes; Shopify requires less than ${MAX_RESPONSE_BYTES}`);
  let redirectUrl: string | null = null;
  if (target.kind === "payment") {
    const candidate = typeof response === "object" && response !== null ? (response as Record<string, unknown>).redirect_url : undefined;
    if (typeof candidate === "string" && isAbsoluteUrl(candidate)) redirectUrl = candidate;
    else if (status >= 200 && status <= 299) problems.push('2xx response without a JSON "redirect_url" absolute URL');
    if (contentType !== null && !contentType.includes("json") && status >= 200 && status <= 299) {
      problems.push(`Content-Type is ${contentType}, expected application/json`);
    }
  } else if (status !== 201 && status >= 200 && status <= 299) {
    problems.push(`refund sessions should be answered with 201, got ${status}`);
  }
  context.logger.info({ url, shop: target.shop, kind: target.kind, status, durationMs }, "session request delivered");
  return { ...base, status, redirectUrl, response, problems };
}

function parseBody(body: string): unknown {
  if (body.length === 0) return null;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

function isAbsoluteUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
