import type { Currency } from "../domain/money";
import type { PaymentMove, PaymentState } from "../domain/payment-session";
import type { NewOutboxJob } from "./outbox";

/** Records as the use cases see them: plain values, money in céntimos, secrets still sealed. */

export type Environment = "sandbox" | "production";

export interface ShopRecord {
  id: string;
  domain: string;
  /** Shopify's shop.name, stored at install; null until Shopify answered. */
  name: string | null;
  status: "installed" | "uninstalled";
  offlineTokenEncrypted: string | null;
  notificationKey: string;
  locale: string;
  timezone: string;
  cipLifetimeHours: number;
  paymentConcept: string | null;
  ready: boolean;
}

export interface CredentialRecord {
  shopId: string;
  environment: Environment;
  accessKey: string;
  secretKeyEncrypted: string;
  idService: number;
  verifiedAt: Date | null;
}

export interface PaymentSessionRecord {
  id: string;
  gid: string;
  shopId: string;
  groupId: string | null;
  checkoutSessionId: string | null;
  amountMinor: number;
  currency: Currency;
  test: boolean;
  kind: string;
  merchantLocale: string | null;
  buyerLocale: string | null;
  email: string | null;
  phone: string | null;
  phoneCountryCode: string | null;
  givenName: string | null;
  familyName: string | null;
  cancelUrl: string | null;
  proposedAt: Date;
  requestId: string;
  apiVersion: string;
  requestBody: string;
  state: PaymentState;
  buyerToken: string;
  cip: string | null;
  cipUrl: string | null;
  cipExpiresAt: Date | null;
  cipIssuedAt: Date | null;
  cipAttempts: number;
  issuingUntil: Date | null;
  environment: Environment;
  nextActionUrl: string | null;
  shopifyState: string | null;
  paidAt: Date | null;
  paidAmountMinor: number | null;
  paidCurrency: string | null;
  operationNumber: string | null;
  paidVia: string | null;
  channel: string | null;
  orderId: string | null;
  orderName: string | null;
  orderFinancialStatus: string | null;
  rejectionReason: string | null;
  lastPolledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewPaymentSession = Omit<
  PaymentSessionRecord,
  | "cip"
  | "cipUrl"
  | "cipExpiresAt"
  | "cipIssuedAt"
  | "cipAttempts"
  | "issuingUntil"
  | "nextActionUrl"
  | "shopifyState"
  | "paidAt"
  | "paidAmountMinor"
  | "paidCurrency"
  | "operationNumber"
  | "paidVia"
  | "channel"
  | "orderId"
  | "orderName"
  | "orderFinancialStatus"
  | "lastPolledAt"
  | "updatedAt"
>;

export interface TimelineEvent {
  type: string;
  at: Date;
  detail: Record<string, unknown>;
}

export interface NewException {
  shopId: string;
  paymentSessionId: string | null;
  cip: string | null;
  kind: string;
  source: "notification" | "polling" | "reconciliation" | "settlement";
  dedupeKey: string;
  evidence: Record<string, unknown>;
  suggestedAction: { es: string; en: string };
}

/** The CIP-issuing lease: taken now, held by a creation under way, or left behind by one that never finished. */
export type IssuingClaim = "claimed" | "held" | "abandoned";

/** A state change plus everything that must commit with it (timeline, outbox, exceptions). */
export interface PaymentChange {
  sessionId: string;
  /**
   * The move of the domain state machine (domain/payment-session.ts): the store applies the update only while the
   * session is in one of the move's source states (compare-and-set), and writes the state the move ends in.
   */
  move: PaymentMove;
  /** The other fields the move writes; the state and Shopify's view come from the move. */
  set: Partial<Omit<PaymentSessionRecord, "id" | "shopId" | "createdAt" | "state" | "shopifyState">>;
  /** When true, the update also requires the session to have no CIP yet (a CIP, once stored, is never replaced). */
  expectNoCip?: boolean;
  events?: TimelineEvent[];
  jobs?: NewOutboxJob[];
  exceptions?: NewException[];
}

export interface PaymentStore {
  findShopByDomain(domain: string): Promise<ShopRecord | null>;
  /**
   * The shop and its credentials for one environment in one read (the payment-session path: a round trip less,
   * which counts on PostgreSQL). Nothing is cached: both are as stored now.
   */
  findShopWithCredentials(domain: string, environment: Environment): Promise<{ shop: ShopRecord; credentials: CredentialRecord | null } | null>;
  findShopById(id: string): Promise<ShopRecord | null>;
  findShopByNotificationKey(key: string): Promise<ShopRecord | null>;
  findCredentials(shopId: string, environment: Environment): Promise<CredentialRecord | null>;
  listCredentials(shopId: string): Promise<CredentialRecord[]>;

  /** Inserts the session unless one with the same id exists; never overwrites. */
  /**
   * With `claimIssuingForMs`, a session this call creates is written holding the CIP-issuing lease (as claimIssuing
   * would take it, on the database's clock) in the same write: `claimed` says so. A session that already existed is
   * returned as it is, its lease untouched (claimed false).
   */
  getOrCreateSession(
    session: NewPaymentSession,
    events: TimelineEvent[],
    options?: { claimIssuingForMs?: number },
  ): Promise<{ session: PaymentSessionRecord; created: boolean; claimed: boolean }>;
  findSession(id: string): Promise<PaymentSessionRecord | null>;
  findSessionByBuyerToken(token: string): Promise<PaymentSessionRecord | null>;
  findSessionByCip(cip: string): Promise<PaymentSessionRecord | null>;
  findSessionByOrderId(shopId: string, orderId: string): Promise<PaymentSessionRecord | null>;

  /**
   * A lost CIP creation (PagoEfectivo may have created the CIP and e-mailed it, but its answer never came) leaves
   * its session with no cip and cipExpiresAt set to the lifetime that was asked for; a creation under way, or cut
   * short by a crash, leaves it with no cip and an issuing lease (issuingUntil). These are the sessions of one
   * shop in either situation with exactly this amount and currency, in any state: the candidates for a payment of
   * an unknown CIP.
   */
  findLostCreationCandidates(shopId: string, money: { amountMinor: number; currency: Currency }): Promise<PaymentSessionRecord[]>;
  /** Pending sessions with a lost CIP creation whose asked-for lifetime has ended without a payment. */
  listUnconfirmedPastExpiry(params: { now: Date; limit: number }): Promise<PaymentSessionRecord[]>;

  /**
   * Takes the CIP-issuing lease for `leaseMs` if the session still needs a CIP and no lease was ever left behind: a
   * lease is released only once the creation's outcome is known, so an expired one is never taken over (see
   * IssueCip): the answer is then "abandoned", a creation of unknown outcome. The lease is measured on the database's
   * clock (instances may disagree about the time, and the sandbox clock can jump ahead); `now` is business time,
   * recorded as the session's updatedAt.
   */
  claimIssuing(sessionId: string, now: Date, leaseMs: number): Promise<IssuingClaim>;

  /** Applies a guarded change atomically; returns the updated session, or null if the guard failed. */
  applyChange(change: PaymentChange): Promise<PaymentSessionRecord | null>;

  addEvents(sessionId: string, shopId: string, events: TimelineEvent[]): Promise<void>;
  recordExceptions(exceptions: NewException[]): Promise<void>;
  enqueue(jobs: NewOutboxJob[]): Promise<void>;

  /** Sessions with a CIP still waiting for payment, not polled since `polledBefore` or expired by `now`. */
  listPendingForPolling(params: { polledBefore: Date; now: Date; limit: number }): Promise<PaymentSessionRecord[]>;
  /** Sessions that never got a CIP (no phone given) and are older than `createdBefore`. */
  listStaleAwaitingPhone(params: { createdBefore: Date; limit: number }): Promise<PaymentSessionRecord[]>;
  markPolled(sessionIds: string[], at: Date): Promise<void>;
  /** True when the session has an open exception of one of these kinds (e.g. a flagged payment). */
  hasOpenException(sessionId: string, kinds: string[]): Promise<boolean>;
}
