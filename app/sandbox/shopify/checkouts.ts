import { err, ok, type Result } from "../../lib/result";
import { buildPaymentSession, buildRefundSession, type CheckoutInput, deliverSessionRequest } from "./session-requests";
import { DEFAULT_SHOP } from "./shops";
import { type SimulatorContext } from "./simulator-context";
import {
  type DeliveryAttempt,
  type PaymentSessionRecord,
  type RefundSessionRecord,
  type RegisteredApp,
  type ShopRecord,
} from "./simulator-types";
import { formatMinor } from "./simulator-values";

/** Starting and re-sending payment and refund sessions: what a buyer's checkout and a merchant's refund trigger. */

export type SessionStartError =
  | { kind: "no_app" }
  | { kind: "shop_not_found"; shop: string }
  | { kind: "not_installed"; shop: string }
  | { kind: "not_ready"; shop: string }
  | { kind: "not_refundable"; message: string };

export function errorMessage(error: SessionStartError): { status: number; message: string } {
  switch (error.kind) {
    case "no_app":
      return { status: 409, message: "No app registered: PUT /sandbox/shopify/app first" };
    case "shop_not_found":
      return { status: 404, message: `Shop ${error.shop} not found: POST /sandbox/shopify/shops first` };
    case "not_installed":
      return {
        status: 409,
        message: `The app is not installed on ${error.shop}: complete OAuth or POST /sandbox/shopify/shops/${error.shop}/install`,
      };
    case "not_ready":
      return {
        status: 409,
        message:
          `The payments app is not ready on ${error.shop}: it becomes a payment method only after the app calls ` +
          "paymentsAppConfigure(ready: true) (in the app: credentials tested, then Activate)",
      };
    case "not_refundable":
      return { status: 409, message: error.message };
  }
}

/** The shop a checkout goes to when none is named: the first installed shop, else the demo shop. */
export function defaultShop(context: SimulatorContext): string {
  const installed = Object.values(context.state.shops).find((shop) => shop.installed);
  return installed?.domain ?? DEFAULT_SHOP;
}

function readyShop(context: SimulatorContext, domain: string): Result<{ app: RegisteredApp; shop: ShopRecord }, SessionStartError> {
  const app = context.state.app;
  if (app === null) return err({ kind: "no_app" });
  const shop = context.state.shops[domain];
  if (shop === undefined) return err({ kind: "shop_not_found", shop: domain });
  if (!shop.installed) return err({ kind: "not_installed", shop: domain });
  return ok({ app, shop });
}

/**
 * A buyer can pay with the app only once it is a payment method of the shop: Shopify lets the merchant activate
 * a payments app only after the app marked itself ready with `paymentsAppConfigure(ready: true)`, and until then
 * the admin shows that the provider is not ready to process payments
 * (https://shopify.dev/apps/payments/onboarding-a-merchant-payments-apps, "Merchant experience", steps 3 to 7;
 * https://shopify.dev/docs/api/payments-apps/latest/mutations/paymentsAppConfigure, `ready`: "The provider is ready
 * to process merchant's payments"). The simulator takes ready as activated (the merchant's click is not simulated),
 * and a later `ready: false` as no longer offered at checkout: a guess, Shopify documents no deactivation by the app.
 */
function offeredAtCheckout(shop: ShopRecord): boolean {
  return shop.paymentsAppConfiguration?.ready === true;
}

export async function startCheckout(
  context: SimulatorContext,
  input: CheckoutInput,
): Promise<Result<{ session: PaymentSessionRecord; attempt: DeliveryAttempt }, SessionStartError>> {
  const ready = readyShop(context, input.shop);
  if (!ready.ok) return ready;
  if (!offeredAtCheckout(ready.value.shop)) return err({ kind: "not_ready", shop: input.shop });
  const built = buildPaymentSession(context, input);
  // Stored before sending: the app may call paymentSessionPending before it answers.
  context.state.paymentSessions[built.id] = built;
  // From here on the stored (tracked) record: its changes are what the store saves.
  const session = context.state.paymentSessions[built.id] as PaymentSessionRecord;
  await context.store.save();
  const attempt = await deliver(context, ready.value.app, session);
  return ok({ session, attempt });
}

export async function resendPaymentSession(
  context: SimulatorContext,
  session: PaymentSessionRecord,
): Promise<Result<DeliveryAttempt, SessionStartError>> {
  const ready = readyShop(context, session.shop);
  if (!ready.ok) return ready;
  return ok(await deliver(context, ready.value.app, session));
}

export async function startRefund(
  context: SimulatorContext,
  payment: PaymentSessionRecord,
  amountMinor: number,
): Promise<Result<{ refund: RefundSessionRecord; attempt: DeliveryAttempt }, SessionStartError>> {
  const ready = readyShop(context, payment.shop);
  if (!ready.ok) return ready;
  if (payment.state !== "resolved") {
    return err({ kind: "not_refundable", message: `Payment session ${payment.id} is ${payment.state}; only a resolved (paid) payment can be refunded` });
  }
  const refunded = payment.refundIds
    .map((id) => context.state.refundSessions[id])
    .filter((refund): refund is RefundSessionRecord => refund !== undefined && refund.state !== "rejected")
    .reduce((sum, refund) => sum + refund.amountMinor, 0);
  const refundable = payment.amountMinor - refunded;
  if (amountMinor > refundable) {
    return err({ kind: "not_refundable", message: `Refund amount ${formatMinor(amountMinor)} exceeds the refundable ${formatMinor(refundable)} ${payment.currency}` });
  }
  const merchantLocale = merchantLocaleOf(payment);
  const built = buildRefundSession(context, payment, amountMinor, merchantLocale);
  context.state.refundSessions[built.id] = built;
  const refund = context.state.refundSessions[built.id] as RefundSessionRecord;
  payment.refundIds.push(refund.id);
  await context.store.save();
  const attempt = await deliverSessionRequest(context, ready.value.app, { kind: "refund", shop: refund.shop, body: refund.body });
  refund.deliveries.push(attempt);
  await context.store.save();
  return ok({ refund, attempt });
}

export async function resendRefundSession(
  context: SimulatorContext,
  refund: RefundSessionRecord,
): Promise<Result<DeliveryAttempt, SessionStartError>> {
  const ready = readyShop(context, refund.shop);
  if (!ready.ok) return ready;
  const attempt = await deliverSessionRequest(context, ready.value.app, { kind: "refund", shop: refund.shop, body: refund.body });
  refund.deliveries.push(attempt);
  await context.store.save();
  return ok(attempt);
}

async function deliver(context: SimulatorContext, app: RegisteredApp, session: PaymentSessionRecord): Promise<DeliveryAttempt> {
  const attempt = await deliverSessionRequest(context, app, { kind: "payment", shop: session.shop, body: session.body });
  session.deliveries.push(attempt);
  await context.store.save();
  return attempt;
}

function merchantLocaleOf(payment: PaymentSessionRecord): string {
  try {
    const body = JSON.parse(payment.body) as { merchant_locale?: unknown };
    return typeof body.merchant_locale === "string" ? body.merchant_locale : "es";
  } catch {
    return "es";
  }
}

/** The control API's answer to a checkout or resend. */
export function deliveryAnswer(record: { id: string; gid: string }, attempt: DeliveryAttempt) {
  return {
    id: record.id,
    gid: record.gid,
    status: attempt.status,
    redirect_url: attempt.redirectUrl,
    response: attempt.response,
    requestId: attempt.requestId,
    problems: attempt.problems,
    ...(attempt.error ? { error: attempt.error } : {}),
  };
}
