import { cipExpiry } from "../../domain/payment-session";
import type { PaymentSessionRecord } from "../../ports/payment-store";
import type { ObservedPayment, PaidDecision } from "../shared/paid-decision";

export interface LostCreationLink {
  kind: "linked";
  session: PaymentSessionRecord;
  /** The lifetime the lost creation asked for (or its widest bound, for a creation cut short). */
  askedExpiresAt: Date;
  candidates: LostCreationCandidate[];
}

export interface LostCreationCandidate {
  paymentSessionId: string;
  state: string;
  createdAt: string;
  askedExpiresAt: string | null;
  insideLifetime: boolean;
}

/**
 * The one session a payment of an unknown CIP can be linked to: same shop (the notification URL), a CIP creation
 * whose answer was lost, the same amount and currency, and paid inside the lifetime that creation asked for.
 * PagoEfectivo's notification carries no reference of ours (DOC §5.2 lists only cip, currency and amount), so
 * nothing else can be matched; anything but exactly one such session is left to the merchant, with the candidates.
 */
export function pickLostCreation(
  sessions: PaymentSessionRecord[],
  payment: ObservedPayment,
  lifetimeHours: number,
): LostCreationLink | { kind: "unmatched"; candidates: LostCreationCandidate[] } {
  const paidAt = payment.paidAt.getTime();
  const candidates = sessions.map((s) => {
    // A creation cut short never stored what it asked for: at most the shop's lifetime from the session's last
    // change (the issuing claim sets updatedAt), which is later than the attempt, so the bound only widens.
    const askedExpiresAt = s.cipExpiresAt ?? (s.issuingUntil ? cipExpiry(s.updatedAt, lifetimeHours) : null);
    return {
      session: s,
      askedExpiresAt,
      view: {
        paymentSessionId: s.id,
        state: s.state,
        createdAt: s.createdAt.toISOString(),
        askedExpiresAt: askedExpiresAt?.toISOString() ?? null,
        insideLifetime: askedExpiresAt !== null && s.createdAt.getTime() <= paidAt && paidAt <= askedExpiresAt.getTime(),
      },
    };
  });
  const inside = candidates.filter((c) => c.view.insideLifetime);
  const views = candidates.map((c) => c.view);
  const only = inside.length === 1 ? inside[0] : undefined;
  return only?.askedExpiresAt ? { kind: "linked", session: only.session, askedExpiresAt: only.askedExpiresAt, candidates: views } : { kind: "unmatched", candidates: views };
}

/** Adds the link (the CIP number and a timeline event with the evidence) to a decision that marks the session paid. */
export function linkLostCreation(decision: PaidDecision, link: LostCreationLink, payment: ObservedPayment, now: Date): PaidDecision {
  if (!decision.change) return decision;
  return {
    ...decision,
    change: {
      ...decision.change,
      set: { ...decision.change.set, cip: payment.cip, cipExpiresAt: link.askedExpiresAt, issuingUntil: null },
      events: [
        {
          type: "cip_linked_after_lost_creation",
          at: now,
          detail: {
            cip: payment.cip,
            operationNumber: payment.operationNumber,
            amountMinor: payment.amountMinor,
            currency: payment.currency,
            paidAt: payment.paidAt.toISOString(),
            matchedOn: ["shop", "amount", "currency", "paid inside the asked-for lifetime", "only candidate"],
            candidates: link.candidates,
          },
        },
        ...(decision.change.events ?? []),
      ],
    },
  };
}
