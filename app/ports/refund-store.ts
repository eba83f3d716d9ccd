import type { Currency } from "../domain/money";
import type { RefundMove, RefundState } from "../domain/refund-session";
import type { NewOutboxJob } from "./outbox";
import type { TimelineEvent } from "./payment-store";

export type { RefundState } from "../domain/refund-session";

export interface RefundSessionRecord {
  id: string;
  gid: string;
  shopId: string;
  paymentSessionId: string;
  amountMinor: number;
  currency: Currency;
  test: boolean;
  merchantLocale: string | null;
  proposedAt: Date;
  requestId: string;
  requestBody: string;
  state: RefundState;
  method: string | null;
  reference: string | null;
  refundedOn: Date | null;
  note: string | null;
  rejectReason: string | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewRefundSession = Omit<
  RefundSessionRecord,
  "method" | "reference" | "refundedOn" | "note" | "rejectReason" | "decidedAt" | "decidedBy" | "updatedAt"
>;

export interface RefundStore {
  getOrCreate(refund: NewRefundSession, event: TimelineEvent): Promise<{ refund: RefundSessionRecord; created: boolean }>;
  find(id: string): Promise<RefundSessionRecord | null>;
  listForShop(shopId: string, filter: { state?: RefundState; limit: number; offset: number }): Promise<{ items: RefundSessionRecord[]; total: number }>;
  /** Sum of refunds not rejected for a payment, to refuse refunding more than was paid. */
  refundedOrPendingMinor(paymentSessionId: string, exceptRefundId: string): Promise<number>;
  /** Moves an awaiting refund to its decision, with its job and timeline event, in one transaction. */
  decide(params: {
    refundId: string;
    move: RefundMove;
    set: Partial<Pick<RefundSessionRecord, "method" | "reference" | "refundedOn" | "note" | "rejectReason" | "decidedAt" | "decidedBy">>;
    job: NewOutboxJob;
    event: TimelineEvent;
    now: Date;
  }): Promise<RefundSessionRecord | null>;
}
