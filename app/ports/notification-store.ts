import type { CredentialRecord, Environment, NewException, PaymentChange, PaymentSessionRecord, ShopRecord } from "./payment-store";

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

/** What a notification needs before anything is decided, read together (see NotificationStore.lookup). */
export interface NotificationContext {
  shop: ShopRecord;
  /** The shop's stored PagoEfectivo credentials, ordered by environment. */
  credentials: CredentialRecord[];
  /** Whether a notification with the dedupe key asked for is already stored (false when none was asked for). */
  known: boolean;
  /** The session holding the CIP asked for, whichever shop it belongs to (null when none, none was asked for, or `known`). */
  sessionByCip: PaymentSessionRecord | null;
}

export interface NotificationStore {
  isKnown(dedupeKey: string): Promise<boolean>;
  /**
   * Whether a remembered delivery (ReplayMemory) is still answered "duplicate": the shop `shopId` still has this
   * notification URL key, its credential for `environment` still holds this sealed secret (so the signature that
   * verified then verifies now), and a notification with `dedupeKey` is stored. One narrow read; false sends the
   * notification down the full path.
   */
  isStoredReplay(params: { notificationKey: string; shopId: string; environment: Environment; secretKeyEncrypted: string; dedupeKey: string }): Promise<boolean>;
  /**
   * One read for a notification: the shop whose notification URL key this is (null: no such shop), its
   * credentials, whether `dedupeKey` is stored and the session with `cip`. The dedupe key and CIP come from
   * the body before its signature is checked: nothing read with them is acted on until it is.
   */
  lookup(params: { notificationKey: string; dedupeKey: string | null; cip: string | null }): Promise<NotificationContext | null>;
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
