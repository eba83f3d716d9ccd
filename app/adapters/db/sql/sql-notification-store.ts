import type { NotificationEvidence, NotificationStore } from "../../../ports/notification-store";
import type { NewException, PaymentChange, PaymentSessionRecord } from "../../../ports/payment-store";
import type { SqlDriver, SqlUnit } from "./sql-driver";
import { applyChange, DuplicateNotification, GuardFailed, insertExceptions, insertNotification } from "./sql-writes";

/**
 * NotificationStore on the driver (see sql-driver.ts): one indexed read for the dedupe check, and the
 * evidence, state change, timeline, resolve job and exceptions written as one unit (group-committed on
 * SQLite), answered only after it is committed.
 */
export class SqlNotificationStore implements NotificationStore {
  constructor(private readonly driver: SqlDriver) {}

  async isKnown(dedupeKey: string): Promise<boolean> {
    return (await this.driver.get(`SELECT 1 AS "known" FROM "PagoEfectivoNotification" WHERE "dedupeKey" = ?`, [dedupeKey])) !== null;
  }

  async commit(params: {
    evidence: NotificationEvidence;
    change?: PaymentChange;
    exceptions?: NewException[];
  }): Promise<{ result: "stored"; session: PaymentSessionRecord | null } | { result: "duplicate" } | { result: "guard_failed" }> {
    const { evidence, change } = params;
    try {
      const session = await this.driver.write(function* (): SqlUnit<PaymentSessionRecord | null> {
        yield* insertNotification(evidence);
        const updated = change ? yield* applyChange(change, evidence.receivedAt) : null;
        yield* insertExceptions(params.exceptions ?? [], evidence.receivedAt);
        return updated;
      });
      return { result: "stored", session };
    } catch (error) {
      if (error instanceof GuardFailed) return { result: "guard_failed" };
      if (error instanceof DuplicateNotification) return { result: "duplicate" };
      throw error;
    }
  }
}
