import type { NewException, PaymentChange, PaymentSessionRecord } from "./payment-store";

/** A PagoEfectivo notification as received: kept whole, as evidence for disputes. */
export interface NotificationEvidence {
  shopId: string | null;
  paymentSessionId: string | null;
  cip: string | null;
  operationNumber: string | null;
  eventType: string | null;
  rawBody: Buffer;
  headers: Record<string, string>;
  signature: string | null;
  signatureValid: boolean;
  verificationReason: string | null;
  /** Unique for verified notifications (cip:operation:event); null for anything unverified. */
  dedupeKey: string | null;
  outcome: string;
  receivedAt: Date;
}

export interface NotificationStore {
  isKnown(dedupeKey: string): Promise<boolean>;
  /**
   * Stores the evidence and, in the same transaction, applies the session change (if any) and
   * records exceptions. Returns "duplicate" when the dedupe key was already stored (a concurrent
   * replay), or "guard_failed" when the session moved on and the change did not apply; in both
   * cases nothing was written.
   */
  commit(params: {
    evidence: NotificationEvidence;
    change?: PaymentChange;
    exceptions?: NewException[];
  }): Promise<{ result: "stored"; session: PaymentSessionRecord | null } | { result: "duplicate" } | { result: "guard_failed" }>;
}
