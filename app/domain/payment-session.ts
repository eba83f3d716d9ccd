import { assertUnreachable } from "../lib/assert-unreachable";
import { err, ok, type Result } from "../lib/result";

/**
 * The life of a PagoEfectivo payment session, independent of storage and vendors.
 *
 *   awaiting_phone ──phone given──▶ issuing* ──CIP created──▶ pending ──paid──▶ paid
 *         │                                                     │ ├─expired──▶ expired
 *         └──────────────── rejected ◀──────── cannot serve ────┘ └─cancelled─▶ cancelled
 *
 * (*) "issuing" is not stored: it is `awaiting_phone`/`pending` without a CIP while a lease is held.
 * `paid`, `expired`, `rejected` and `cancelled` are final for the Shopify session; a payment that
 * arrives for a final session becomes a reconciliation exception, never a second resolution.
 */
export const PAYMENT_STATES = ["awaiting_phone", "pending", "paid", "expired", "rejected", "cancelled"] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export type PaymentEventKind =
  | { kind: "cip_issued" }
  | { kind: "paid" }
  | { kind: "expired" }
  | { kind: "rejected" }
  | { kind: "cancelled" };

export interface InvalidTransition {
  readonly from: PaymentState;
  readonly event: PaymentEventKind["kind"];
}

export function isPaymentState(value: string): value is PaymentState {
  return (PAYMENT_STATES as readonly string[]).includes(value);
}

export function isFinal(state: PaymentState): boolean {
  return state === "paid" || state === "expired" || state === "rejected" || state === "cancelled";
}

export function transition(from: PaymentState, event: PaymentEventKind): Result<PaymentState, InvalidTransition> {
  const invalid = err({ from, event: event.kind });
  switch (event.kind) {
    case "cip_issued":
      return from === "awaiting_phone" || from === "pending" ? ok("pending") : invalid;
    case "paid":
      return from === "pending" ? ok("paid") : invalid;
    case "expired":
      return from === "pending" || from === "awaiting_phone" ? ok("expired") : invalid;
    case "rejected":
      return from === "pending" || from === "awaiting_phone" ? ok("rejected") : invalid;
    case "cancelled":
      return from === "pending" || from === "awaiting_phone" ? ok("cancelled") : invalid;
    default:
      return assertUnreachable(event);
  }
}

/** Never more than 72 h: Shopify recommends pending sessions end within 3 days. */
export const MAX_CIP_LIFETIME_HOURS = 72;
export const DEFAULT_CIP_LIFETIME_HOURS = 48;

export function cipExpiry(now: Date, lifetimeHours: number): Date {
  const hours = Math.min(Math.max(Math.trunc(lifetimeHours), 1), MAX_CIP_LIFETIME_HOURS);
  // PagoEfectivo dates have second precision.
  return new Date(Math.floor((now.getTime() + hours * 3_600_000) / 1000) * 1000);
}
