import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { PagoEfectivoGateway, SearchedCip } from "../../ports/pagoefectivo-gateway";
import type { PaymentSessionRecord, PaymentStore } from "../../ports/payment-store";
import type { CredentialsResolver } from "../shared/credentials";
import { rejectJob } from "../shared/jobs";
import { decidePaid } from "../shared/paid-decision";

const FLAGGED_PAYMENT_KINDS = ["amount_mismatch", "currency_mismatch"];
const NOTIFICATION_GRACE_MS = 2 * 60_000;

function pastExpiry(session: PaymentSessionRecord, now: Date): boolean {
  return session.cipExpiresAt !== null && session.cipExpiresAt.getTime() <= now.getTime();
}

export interface PollReport {
  checked: number;
  paid: number;
  expired: number;
  errors: number;
}

/**
 * PagoEfectivo retries a notification only once, so the app does not trust delivery: pending CIPs
 * are checked with /v1/cips/search. A CIP found paid is resolved like a notified one (and flagged
 * "notification_missing"); a CIP past its expiry is checked once more here, right before the
 * session is rejected, so a payment made in the last minute is never rejected.
 */
export class PollPendingCips {
  constructor(
    private readonly deps: {
      store: PaymentStore;
      gateway: PagoEfectivoGateway;
      credentials: CredentialsResolver;
      clock: Clock;
      logger: Logger;
      pollEverySeconds: number;
      batchSize?: number;
      /** How long a buyer has to give a phone number before the session is abandoned. */
      awaitingPhoneTimeoutHours?: number;
    },
  ) {}

  async execute(): Promise<PollReport> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const report: PollReport = { checked: 0, paid: 0, expired: 0, errors: 0 };
    const sessions = await store.listPendingForPolling({
      polledBefore: new Date(now.getTime() - this.deps.pollEverySeconds * 1000),
      now,
      limit: this.deps.batchSize ?? 500,
    });
    const groups = new Map<string, PaymentSessionRecord[]>();
    for (const s of sessions) {
      const key = `${s.shopId}|${s.environment}`;
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    for (const group of groups.values()) await this.checkGroup(group, now, report);
    await this.abandonSessionsWithoutPhone(now, report);
    await this.expireUnconfirmedCreations(now, report);
    return report;
  }

  private async checkGroup(group: PaymentSessionRecord[], now: Date, report: PollReport): Promise<void> {
    const { store, gateway, credentials, logger } = this.deps;
    const first = group[0];
    if (!first) return;
    const creds = await credentials.forShop(first.shopId, first.environment);
    if (!creds) {
      report.errors += group.length;
      return;
    }
    const result = await gateway.searchCips(
      creds,
      group.map((s) => s.cip ?? "").filter(Boolean),
    );
    if (!result.ok) {
      report.errors += group.length;
      logger.warn({ shopId: first.shopId, kind: result.error.kind, message: result.error.message }, "polling PagoEfectivo failed; will retry");
      return;
    }
    const byCip = new Map(result.value.map((c) => [c.cip, c]));
    for (const session of group) {
      report.checked += 1;
      const found = session.cip ? byCip.get(session.cip) : undefined;
      await this.apply(session, found, now, report);
    }
    await store.markPolled(
      group.map((s) => s.id),
      now,
    );
  }

  private async apply(session: PaymentSessionRecord, found: SearchedCip | undefined, now: Date, report: PollReport): Promise<void> {
    const { store } = this.deps;
    if (found?.status === "paid") {
      // /cips/search reports the CIP's own amount, not what was paid: a payment already flagged
      // (wrong amount or currency) waits for the merchant instead of being resolved by polling.
      if (await store.hasOpenException(session.id, FLAGGED_PAYMENT_KINDS)) return;
      // A payment this fresh most likely has its notification in flight; look again next round
      // rather than calling the notification missing.
      const paidAt = found.datePayment ?? now;
      if (now.getTime() - paidAt.getTime() < NOTIFICATION_GRACE_MS && !pastExpiry(session, now)) return;
      const decision = decidePaid(
        session,
        {
          cip: found.cip,
          operationNumber: null,
          amountMinor: found.amount.amountMinor,
          currency: found.amount.currency,
          paidAt,
          channel: null,
          source: "polling",
        },
        now,
      );
      if (decision.change) {
        const updated = await store.applyChange(decision.change);
        if (updated) report.paid += 1;
      }
      if (decision.exceptions.length > 0) await store.recordExceptions(decision.exceptions);
      return;
    }
    const expiredAtPagoEfectivo = found?.status === "expired" || found?.status === "deleted";
    if (!expiredAtPagoEfectivo && !pastExpiry(session, now)) return;
    const updated = await store.applyChange({
      sessionId: session.id,
      move: "expired",
      set: { rejectionReason: "The CIP expired unpaid", updatedAt: now },
      events: [{ type: "expired", at: now, detail: { cip: session.cip, statusAtPagoEfectivo: found?.status ?? "not_found" } }],
      jobs: [rejectJob(session.shopId, session.id, "CANCELLED_PAYMENT", "The PagoEfectivo payment code (CIP) expired unpaid")],
    });
    if (updated) report.expired += 1;
  }

  /**
   * A session whose CIP creation got no answer has no CIP number to search for. When the lifetime it asked for has
   * passed (plus the grace a last notification may need) without a payment being linked, it expires like an
   * unpaid CIP. A payment that still turns up later is a reconciliation exception, never a second answer.
   */
  private async expireUnconfirmedCreations(now: Date, report: PollReport): Promise<void> {
    const { store } = this.deps;
    const due = await store.listUnconfirmedPastExpiry({ now: new Date(now.getTime() - NOTIFICATION_GRACE_MS), limit: 200 });
    for (const session of due) {
      const updated = await store.applyChange({
        sessionId: session.id,
        move: "expired",
        set: { rejectionReason: "No payment arrived for a CIP whose creation PagoEfectivo never confirmed", updatedAt: now },
        events: [{ type: "expired", at: now, detail: { reason: "creation_unconfirmed", askedExpiresAt: session.cipExpiresAt?.toISOString() ?? null } }],
        jobs: [rejectJob(session.shopId, session.id, "CANCELLED_PAYMENT", "The PagoEfectivo payment code (CIP) could not be confirmed and no payment arrived")],
      });
      if (updated) report.expired += 1;
    }
  }

  private async abandonSessionsWithoutPhone(now: Date, report: PollReport): Promise<void> {
    const { store } = this.deps;
    const hours = this.deps.awaitingPhoneTimeoutHours ?? 24;
    const stale = await store.listStaleAwaitingPhone({ createdBefore: new Date(now.getTime() - hours * 3_600_000), limit: 200 });
    for (const session of stale) {
      const updated = await store.applyChange({
        sessionId: session.id,
        move: "abandoned",
        set: { rejectionReason: "The buyer never completed the payment details", updatedAt: now },
        events: [{ type: "expired", at: now, detail: { reason: "no_phone" } }],
        jobs: [rejectJob(session.shopId, session.id, "CANCELLED_PAYMENT", "The buyer did not finish the PagoEfectivo step")],
      });
      if (updated) report.expired += 1;
    }
  }
}
