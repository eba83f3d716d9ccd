import type { PaymentMove } from "../domain/payment-session";
import { pendingExpiresAtFor } from "../domain/shopify-pending";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import type { Result } from "../lib/result";
import type { JobHandler, JobOutcome, OutboxJob, OutboxJobKind } from "../ports/outbox";
import type { PagoEfectivoGateway } from "../ports/pagoefectivo-gateway";
import type { PaymentStore } from "../ports/payment-store";
import type { RefundStore } from "../ports/refund-store";
import type { Secrets } from "../ports/secrets";
import type {
  MutationSuccess,
  PaymentsAppsError,
  PaymentSessionRejectionCode,
  ShopifyPaymentsAppsGateway,
  ShopifyTarget,
} from "../ports/shopify-payments-apps";
import type { CredentialsResolver } from "../use-cases/shared/credentials";
import type { CipDeleteJobPayload, PaymentSessionJobPayload, RefundJobPayload, RejectJobPayload } from "../use-cases/shared/jobs";

export interface DeliveryDeps {
  store: PaymentStore;
  refunds: RefundStore;
  shopify: ShopifyPaymentsAppsGateway;
  pagoefectivo: PagoEfectivoGateway;
  credentials: CredentialsResolver;
  secrets: Secrets;
  clock: Clock;
  logger: Logger;
  /** The Payments Apps API version in use; older versions lack the specific rejection codes. */
  apiVersion: string;
}

/** Shopify's answer to each delivered mutation, as a move of the session machine. */
const SHOPIFY_ANSWER_MOVES = { pending: "shopify_pending", resolved: "shopify_resolved", rejected: "shopify_rejected" } as const satisfies Record<string, PaymentMove>;

/**
 * What each outbox job does. Shopify's mutations are idempotent per session and name, so a retry
 * after a lost answer is safe; userErrors are final and recorded on the timeline.
 */
export function createDeliveryHandlers(deps: DeliveryDeps): Record<OutboxJobKind, JobHandler> {
  return {
    "payment_session.pending": (job) => pending(deps, job),
    "payment_session.resolve": (job) => finalize(deps, job, "resolve"),
    "payment_session.reject": (job) => finalize(deps, job, "reject"),
    "refund_session.resolve": (job) => refund(deps, job, "resolve"),
    "refund_session.reject": (job) => refund(deps, job, "reject"),
    "cip.delete": (job) => deleteCip(deps, job),
  };
}

async function targetFor(deps: DeliveryDeps, shopId: string): Promise<ShopifyTarget | JobOutcome> {
  const shop = await deps.store.findShopById(shopId);
  if (!shop) return { outcome: "failed", detail: "shop no longer exists" };
  if (!shop.offlineTokenEncrypted) return { outcome: "failed", detail: "shop has no offline token (uninstalled?)" };
  return { shopDomain: shop.domain, accessToken: deps.secrets.decrypt(shop.offlineTokenEncrypted) };
}

function isOutcome(value: ShopifyTarget | JobOutcome): value is JobOutcome {
  return "outcome" in value;
}

function fromError(error: PaymentsAppsError): JobOutcome {
  const detail =
    error.kind === "user_errors"
      ? `userErrors: ${error.userErrors.map((e) => `${(e.field ?? []).join(".")} ${e.message}`.trim()).join("; ")}`
      : `${error.kind}: ${error.message}`;
  return { outcome: error.retryable ? "retry" : "failed", detail };
}

async function pending(deps: DeliveryDeps, job: OutboxJob): Promise<JobOutcome> {
  const { paymentSessionId } = job.payload as PaymentSessionJobPayload;
  const session = await deps.store.findSession(paymentSessionId);
  if (!session) return { outcome: "failed", detail: "payment session not found" };
  // A session that is already final gets its resolve/reject instead; pending would only be refused.
  if (session.state !== "pending" || !session.cipExpiresAt) return { outcome: "done", detail: `skipped: session is ${session.state}` };
  // Sent late (retries), the CIP's expiry may have passed: Shopify would refuse it, and the expiry check
  // rejects the session anyway, so the pending is dropped rather than sent.
  const pendingExpiresAt = pendingExpiresAtFor(session.cipExpiresAt, deps.clock.now());
  if (pendingExpiresAt === null) return { outcome: "done", detail: "skipped: the CIP expired before Shopify was told the payment is pending" };
  const target = await targetFor(deps, job.shopId);
  if (isOutcome(target)) return target;
  const result = await deps.shopify.pendPaymentSession(target, { gid: session.gid, pendingExpiresAt, reason: "BUYER_ACTION_REQUIRED" });
  return record(deps, session.id, job.shopId, "pending", result);
}

async function finalize(deps: DeliveryDeps, job: OutboxJob, action: "resolve" | "reject"): Promise<JobOutcome> {
  const payload = job.payload as PaymentSessionJobPayload | RejectJobPayload;
  const session = await deps.store.findSession(payload.paymentSessionId);
  if (!session) return { outcome: "failed", detail: "payment session not found" };
  const target = await targetFor(deps, job.shopId);
  if (isOutcome(target)) return target;
  const result =
    action === "resolve"
      ? await deps.shopify.resolvePaymentSession(target, { gid: session.gid })
      : await deps.shopify.rejectPaymentSession(target, {
          gid: session.gid,
          reason: {
            code: rejectionCodeFor((payload as RejectJobPayload).code, deps.apiVersion),
            merchantMessage: (payload as RejectJobPayload).merchantMessage,
          },
        });
  return record(deps, session.id, job.shopId, action === "resolve" ? "resolved" : "rejected", result);
}

async function record(
  deps: DeliveryDeps,
  sessionId: string,
  shopId: string,
  shopifyState: keyof typeof SHOPIFY_ANSWER_MOVES,
  result: Result<MutationSuccess, PaymentsAppsError>,
): Promise<JobOutcome> {
  const now = deps.clock.now();
  if (!result.ok) {
    const outcome = fromError(result.error);
    if (outcome.outcome === "failed") {
      await deps.store.addEvents(sessionId, shopId, [{ type: "shopify_refused", at: now, detail: { mutation: shopifyState, detail: outcome.detail } }]);
    }
    return outcome;
  }
  const events = [{ type: `shopify_${shopifyState}`, at: now, detail: { state: result.value.state, nextAction: result.value.nextActionRedirectUrl } }];
  const applied = await deps.store.applyChange({
    sessionId,
    // Pending and resolve/reject may be delivered by different instances at the same time: the
    // machine's "shopify_pending" move refuses to overwrite a final answer that landed first.
    move: SHOPIFY_ANSWER_MOVES[shopifyState],
    set: {
      ...(result.value.nextActionRedirectUrl ? { nextActionUrl: result.value.nextActionRedirectUrl } : {}),
      updatedAt: now,
    },
    events,
  });
  // The call was made and answered: it stays on the timeline even when the state had moved on.
  if (!applied) await deps.store.addEvents(sessionId, shopId, events);
  return { outcome: "done", detail: `Shopify answered ${result.value.state}` };
}

async function refund(deps: DeliveryDeps, job: OutboxJob, action: "resolve" | "reject"): Promise<JobOutcome> {
  const payload = job.payload as RefundJobPayload;
  const refundSession = await deps.refunds.find(payload.refundSessionId);
  if (!refundSession) return { outcome: "failed", detail: "refund session not found" };
  const target = await targetFor(deps, job.shopId);
  if (isOutcome(target)) return target;
  const result =
    action === "resolve"
      ? await deps.shopify.resolveRefundSession(target, { gid: refundSession.gid })
      : await deps.shopify.rejectRefundSession(target, {
          gid: refundSession.gid,
          reason: { code: "PROCESSING_ERROR", merchantMessage: payload.merchantMessage ?? "Refund rejected by the merchant" },
        });
  const now = deps.clock.now();
  if (!result.ok) return fromError(result.error);
  await deps.store.addEvents(refundSession.paymentSessionId, job.shopId, [
    { type: `shopify_refund_${action === "resolve" ? "resolved" : "rejected"}`, at: now, detail: { refundSessionId: refundSession.id, state: result.value.state } },
  ]);
  return { outcome: "done", detail: `Shopify answered ${result.value.state}` };
}

async function deleteCip(deps: DeliveryDeps, job: OutboxJob): Promise<JobOutcome> {
  const payload = job.payload as CipDeleteJobPayload;
  const session = await deps.store.findSession(payload.paymentSessionId);
  if (!session) return { outcome: "failed", detail: "payment session not found" };
  const creds = await deps.credentials.forShop(job.shopId, session.environment);
  if (!creds) return { outcome: "failed", detail: "PagoEfectivo credentials are gone" };
  const result = await deps.pagoefectivo.deleteCip(creds, payload.cip);
  const now = deps.clock.now();
  if (result.ok) {
    await deps.store.addEvents(session.id, job.shopId, [{ type: "cip_deleted", at: now, detail: { cip: payload.cip } }]);
    return { outcome: "done", detail: `CIP ${payload.cip} deleted at PagoEfectivo` };
  }
  const error = result.error;
  await deps.store.addEvents(session.id, job.shopId, [{ type: "cip_delete_failed", at: now, detail: { cip: payload.cip, kind: error.kind, message: error.message } }]);
  return { outcome: error.retryable ? "retry" : "failed", detail: `${error.kind}: ${error.message}` };
}

/** CANCELLED_PAYMENT and AMOUNT_TOO_* exist from Payments Apps API 2026-04; before that only PROCESSING_ERROR fits. */
export function rejectionCodeFor(code: RejectJobPayload["code"], apiVersion: string): PaymentSessionRejectionCode {
  const modern = apiVersion === "unstable" || apiVersion >= "2026-04";
  if (modern || code === "PROCESSING_ERROR" || code === "RISKY") return code;
  return "PROCESSING_ERROR";
}
