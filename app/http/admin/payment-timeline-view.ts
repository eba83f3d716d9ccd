import type { DeliveryAttemptRow, PaymentEventRow, PaymentNotificationRow } from "../../ports/admin-read-models";

/**
 * One payment's history for the panel, merged in time order from three sources: the app's own
 * timeline events, PagoEfectivo's notifications (with the signature check and what the app did),
 * and every delivery attempt of a Shopify mutation (or PagoEfectivo call) from the outbox.
 */

export interface TimelineEntry {
  at: string;
  kind: "event" | "notification" | "delivery";
  type: string;
  title: string;
  detail: Record<string, unknown> | null;
}

/** Exported for the test that every event type has the panel's words in es and en. */
export const EVENT_TITLES: Record<string, string> = {
  session_received: "Payment session received from Shopify",
  cip_issued: "CIP issued by PagoEfectivo",
  cip_creation_ambiguous: "PagoEfectivo's answer to the CIP creation was lost; no second CIP was created",
  cip_creation_failed: "PagoEfectivo refused or failed the CIP creation",
  cip_linked_after_lost_creation: "Payment of an unknown CIP linked to this session (its creation answer was lost)",
  buyer_phone_given: "Buyer gave a phone number",
  paid: "Payment confirmed",
  expired: "CIP expired",
  rejected: "Payment rejected",
  order_cancelled: "Order cancelled in Shopify",
  order_linked: "Order linked",
  order_unlinked: "Order unlinked",
  cip_deleted: "CIP deleted at PagoEfectivo",
  cip_delete_failed: "Could not delete the CIP at PagoEfectivo",
  refund_requested: "Refund requested by Shopify",
  refund_recorded: "Refund recorded by the merchant",
  refund_rejected: "Refund rejected by the merchant",
  shopify_refused: "Shopify refused the update",
  shopify_pending: "Shopify confirmed: pending",
  shopify_resolved: "Shopify confirmed: paid",
  shopify_rejected: "Shopify confirmed: rejected",
  shopify_refund_resolved: "Shopify confirmed the refund",
  shopify_refund_rejected: "Shopify confirmed the refund rejection",
};

const JOB_TITLES: Record<string, string> = {
  "payment_session.pending": "Shopify paymentSessionPending",
  "payment_session.resolve": "Shopify paymentSessionResolve",
  "payment_session.reject": "Shopify paymentSessionReject",
  "refund_session.resolve": "Shopify refundSessionResolve",
  "refund_session.reject": "Shopify refundSessionReject",
  "cip.delete": "PagoEfectivo: delete CIP",
};

const ATTEMPT_OUTCOMES: Record<string, string> = {
  done: "delivered",
  retry: "failed, will retry",
  failed: "failed for good",
  interrupted: "interrupted (the app instance stopped), will retry",
};

const KIND_ORDER = { event: 0, notification: 1, delivery: 2 } as const;

export function paymentTimeline(parts: {
  events: PaymentEventRow[];
  notifications: PaymentNotificationRow[];
  attempts: DeliveryAttemptRow[];
}): TimelineEntry[] {
  const entries: Array<TimelineEntry & { time: number; seq: number }> = [];
  let seq = 0;
  const push = (at: Date, entry: Omit<TimelineEntry, "at">) => entries.push({ ...entry, at: at.toISOString(), time: at.getTime(), seq: seq++ });

  for (const event of parts.events) {
    push(event.at, { kind: "event", type: event.type, title: EVENT_TITLES[event.type] ?? humanize(event.type), detail: parseDetail(event.detailJson) });
  }
  for (const n of parts.notifications) {
    const type = n.eventType ?? "unknown";
    push(n.receivedAt, {
      kind: "notification",
      type,
      title: `PagoEfectivo notification ${type}: signature ${n.signatureValid ? "valid" : "INVALID"}, ${humanize(n.outcome).toLowerCase()}`,
      detail: {
        signatureValid: n.signatureValid,
        outcome: n.outcome,
        verificationReason: n.verificationReason,
        cip: n.cip,
        operationNumber: n.operationNumber,
      },
    });
  }
  for (const attempt of parts.attempts) {
    const what = JOB_TITLES[attempt.jobKind] ?? humanize(attempt.jobKind);
    push(attempt.at, {
      kind: "delivery",
      type: attempt.jobKind,
      title: `${what}: ${ATTEMPT_OUTCOMES[attempt.outcome] ?? attempt.outcome}`,
      detail: { outcome: attempt.outcome, detail: attempt.detail, ...(attempt.refundSessionId ? { refundSessionId: attempt.refundSessionId } : {}) },
    });
  }
  entries.sort((a, b) => a.time - b.time || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.seq - b.seq);
  return entries.map(({ time: _time, seq: _seq, ...entry }) => entry);
}

function parseDetail(json: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { text: json };
  }
}

function humanize(code: string): string {
  const words = code.replace(/[._]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : "Unknown";
}
