import type { RecordRefundRequestParsed } from "../../contracts/admin-api";
import { LIMA_UTC_OFFSET, limaDateKey } from "../../domain/lima-time";
import { type RefundMove, refundTransition } from "../../domain/refund-session";
import type { Clock } from "../../lib/clock";
import { err, ok, type Result } from "../../lib/result";
import type { RefundSessionRecord, RefundStore } from "../../ports/refund-store";
import { refundRejectJob, refundResolveJob } from "../shared/jobs";

/** The request as the wire contract parses it (app/contracts/admin-api/refunds.ts). */
export type RecordRefundInput = RecordRefundRequestParsed;

export type DecideRefundError =
  | { kind: "not_found"; message: string }
  | { kind: "already_decided"; message: string; refund: RefundSessionRecord }
  /** The money cannot have gone back on a day that has not come yet (Lima, by the app's clock). */
  | { kind: "refunded_on_in_future"; message: string; refundedOn: string; today: string };

/**
 * The merchant's decision on a manual refund: record how the money went back (resolve at Shopify)
 * or refuse it with a reason (reject at Shopify). Each decision is taken once; the Shopify
 * mutation goes through the outbox in the same transaction.
 */
export class DecideRefund {
  constructor(private readonly deps: { refunds: RefundStore; clock: Clock }) {}

  async record(shopId: string, refundId: string, input: RecordRefundInput, decidedBy: string): Promise<Result<RefundSessionRecord, DecideRefundError>> {
    const refund = await this.load(shopId, refundId, "recorded");
    if (!refund.ok) return refund;
    const now = this.deps.clock.now();
    const today = limaDateKey(now);
    if (input.refundedOn > today) {
      return err({ kind: "refunded_on_in_future", message: `refundedOn ${input.refundedOn} is after today (${today}, Lima)`, refundedOn: input.refundedOn, today });
    }
    const decided = await this.deps.refunds.decide({
      refundId,
      now,
      move: "recorded",
      set: {
        method: input.method,
        reference: input.reference,
        refundedOn: new Date(`${input.refundedOn}T12:00:00${LIMA_UTC_OFFSET}`),
        note: input.note ?? null,
        decidedAt: now,
        decidedBy,
      },
      job: refundResolveJob(shopId, refundId, refund.value.paymentSessionId),
      event: { type: "refund_recorded", at: now, detail: { refundSessionId: refundId, method: input.method, reference: input.reference, refundedOn: input.refundedOn, by: decidedBy } },
    });
    return decided ? ok(decided) : this.alreadyDecided(refundId);
  }

  async reject(shopId: string, refundId: string, reason: string, decidedBy: string): Promise<Result<RefundSessionRecord, DecideRefundError>> {
    const refund = await this.load(shopId, refundId, "refused");
    if (!refund.ok) return refund;
    const now = this.deps.clock.now();
    const decided = await this.deps.refunds.decide({
      refundId,
      now,
      move: "refused",
      set: { rejectReason: reason, decidedAt: now, decidedBy },
      job: refundRejectJob(shopId, refundId, refund.value.paymentSessionId, reason),
      event: { type: "refund_rejected", at: now, detail: { refundSessionId: refundId, reason, by: decidedBy } },
    });
    return decided ? ok(decided) : this.alreadyDecided(refundId);
  }

  private async load(shopId: string, refundId: string, move: RefundMove): Promise<Result<RefundSessionRecord, DecideRefundError>> {
    const refund = await this.deps.refunds.find(refundId);
    // Another shop's refund is reported as not found, never as forbidden: ids are not to be probed.
    if (!refund || refund.shopId !== shopId) return err({ kind: "not_found", message: `Refund ${refundId} not found` });
    if (!refundTransition(refund.state, move).ok) return err({ kind: "already_decided", message: `Refund ${refundId} is already ${refund.state}`, refund });
    return ok(refund);
  }

  private async alreadyDecided(refundId: string): Promise<Result<RefundSessionRecord, DecideRefundError>> {
    const current = await this.deps.refunds.find(refundId);
    if (!current) return err({ kind: "not_found", message: `Refund ${refundId} not found` });
    return err({ kind: "already_decided", message: `Refund ${refundId} is already ${current.state}`, refund: current });
  }
}
