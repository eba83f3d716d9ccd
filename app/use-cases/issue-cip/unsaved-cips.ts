import { isDatabaseUnavailable } from "../../lib/database-unavailable";
import type { Logger } from "../../lib/logger";
import type { PaymentChange, PaymentSessionRecord, PaymentStore } from "../../ports/payment-store";

/** A CIP PagoEfectivo created whose recording the database refused. */
interface UnsavedCip {
  change: PaymentChange;
  keptAt: number;
}

/**
 * CIPs PagoEfectivo created (its answer came back with the number) whose recording failed because the database was
 * unavailable at that moment (issue #10, "Database unreachable"): the request was answered 503, the issuing lease
 * stayed taken, and the number existed nowhere but in this process. Forgotten, the session ended up "creation
 * unconfirmed" (no CIP number) once the lease ran out: the buyer still pays the CIP e-mailed by PagoEfectivo, but a
 * payment whose notification is lost too (both deliveries during an outage) can never be found by polling, which
 * searches by CIP number only, and the paid session was rejected at expiry (the database-outage chaos scenario
 * lost payments this way).
 *
 * So the change that records the CIP is kept here and written again as soon as the database takes it: by a retry
 * timer, or first thing when the session is asked for again. It is written with the same
 * guard (an open session without a CIP): a session already final, or linked to a CIP meanwhile, is left as it is;
 * a session kept as "unconfirmed" meanwhile (another instance took over the lease) gets its CIP number, which is
 * what that state was waiting for. Memory only: a process killed with unsaved CIPs falls back to the interrupted
 * creation's path (IssueCip.keepInterrupted, payments linked by their notification), as before.
 */
export class UnsavedCips {
  private readonly kept = new Map<string, UnsavedCip>();
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: {
      store: PaymentStore;
      logger: Logger;
      /** The first retry's delay (real time); it doubles up to 2 s while the database stays away. */
      retryEveryMs?: number | undefined;
      /** At most this many kept at once (memory stays bounded through a long outage). */
      limit?: number;
    },
  ) {}

  get size(): number {
    return this.kept.size;
  }

  has(sessionId: string): boolean {
    return this.kept.has(sessionId);
  }

  /** Keeps the change that records a created CIP (its events marked as recorded late) and schedules its write. */
  keep(change: PaymentChange): void {
    const { logger, limit = 10_000, retryEveryMs = 250 } = this.deps;
    const full = !this.kept.has(change.sessionId) && this.kept.size >= limit;
    if (!full) {
      const events = (change.events ?? []).map((e) => ({ ...e, detail: { ...e.detail, recordedAfterDatabaseOutage: true } }));
      this.kept.set(change.sessionId, { change: { ...change, events }, keptAt: Date.now() });
    }
    logger.warn(
      { paymentSessionId: change.sessionId, cip: change.set.cip, kept: !full },
      full ? "CIP created but not recorded (database unavailable), and too many are kept already" : "CIP created but not recorded (database unavailable); kept and written when the database is back",
    );
    this.scheduleRetry(retryEveryMs);
  }

  /**
   * Writes one kept change and forgets it. Returns what the write returned: the session, or null when its guard
   * refused it (already recorded, final, or linked to a CIP meanwhile) or nothing was kept for it. Throws what the
   * store throws (the database still unavailable), keeping the change.
   */
  async save(sessionId: string): Promise<PaymentSessionRecord | null> {
    const entry = this.kept.get(sessionId);
    if (!entry) return null;
    const session = await this.deps.store.applyChange(entry.change);
    // Another save of the same change may have raced this one; both are guarded, one wins.
    if (this.kept.get(sessionId) === entry) this.kept.delete(sessionId);
    this.deps.logger.warn(
      { paymentSessionId: sessionId, cip: entry.change.set.cip, recorded: session !== null, keptMs: Date.now() - entry.keptAt },
      session ? "CIP created during a database outage recorded" : "CIP created during a database outage: the session was already decided; left as stored",
    );
    return session;
  }

  /** Writes every kept change; true when none is left. */
  async saveAll(): Promise<boolean> {
    for (const sessionId of [...this.kept.keys()]) {
      try {
        await this.save(sessionId);
      } catch (error) {
        if (!isDatabaseUnavailable(error)) this.deps.logger.error({ paymentSessionId: sessionId, err: error }, "recording a kept CIP failed; will retry");
        return false;
      }
    }
    return this.kept.size === 0;
  }

  private scheduleRetry(delayMs: number): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.saveAll().then((done) => {
        if (!done) this.scheduleRetry(Math.min(delayMs * 2, 2_000));
      });
    }, delayMs);
    this.retryTimer.unref();
  }
}
