import { type SimulatorState } from "./simulator-types";
import { type PaymentSessionRecord, type RefundSessionRecord } from "./simulator-types";
import { formatMinor } from "./simulator-values";

/** JSON views of recorded sessions for the control API. */

export function paymentSessionView(state: SimulatorState, session: PaymentSessionRecord, detailed: boolean) {
  const order = session.orderId ? state.orders[session.orderId] : undefined;
  return {
    id: session.id,
    gid: session.gid,
    shop: session.shop,
    amount: formatMinor(session.amountMinor),
    currency: session.currency,
    test: session.test,
    kind: session.kind,
    state: session.state,
    createdAt: session.createdAt,
    ...(session.nextAction ? { nextAction: session.nextAction } : {}),
    pendingExpiresAt: session.pendingExpiresAt,
    pendingReason: session.pendingReason,
    rejection: session.rejection,
    orderId: session.orderId,
    orderName: order?.name ?? null,
    redirectUrl: [...session.deliveries].reverse().find((attempt) => attempt.redirectUrl !== null)?.redirectUrl ?? null,
    refundIds: session.refundIds,
    mutations: session.mutations,
    ...(detailed ? { request: JSON.parse(session.body) as unknown, deliveries: session.deliveries } : {}),
  };
}

export function refundSessionView(session: RefundSessionRecord, detailed: boolean) {
  return {
    id: session.id,
    gid: session.gid,
    paymentSessionId: session.paymentSessionId,
    shop: session.shop,
    amount: formatMinor(session.amountMinor),
    currency: session.currency,
    test: session.test,
    state: session.state,
    createdAt: session.createdAt,
    rejection: session.rejection,
    mutations: session.mutations,
    ...(detailed ? { request: JSON.parse(session.body) as unknown, deliveries: session.deliveries } : {}),
  };
}
