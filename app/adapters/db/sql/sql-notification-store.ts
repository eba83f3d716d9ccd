import type { NotificationContext, NotificationEvidence, NotificationStore } from "../../../ports/notification-store";
import type { NewException, PaymentChange, PaymentSessionRecord } from "../../../ports/payment-store";
import type { SqlDriver, SqlRow, SqlUnit } from "./sql-driver";
import { bool, credentialFromRow, SESSION_COLUMNS, sessionFromRow, SHOP_COLUMNS, shopFromRow } from "./sql-rows";
import { applyChange, DuplicateNotification, GuardFailed, insertExceptions, insertNotification, notificationWithChange } from "./sql-writes";

const CREDENTIAL_COLUMNS = ["environment", "accessKey", "secretKeyEncrypted", "idService", "verifiedAt"] as const;

/**
 * The shop by its notification key, joined to its credentials (0-2 rows) and to the session holding the CIP (at
 * most one: cip is unique; not read for a replay, which needs none), with the dedupe check as a subquery: one
 * statement, one round trip on PostgreSQL.
 */
const LOOKUP = `SELECT ${SHOP_COLUMNS.map((c) => `s."${c}" AS "${c}"`).join(",")},
  ${CREDENTIAL_COLUMNS.map((c) => `c."${c}" AS "c_${c}"`).join(",")},
  ${SESSION_COLUMNS.map((c) => `p."${c}" AS "p_${c}"`).join(",")},
  EXISTS (SELECT 1 FROM "PagoEfectivoNotification" WHERE "dedupeKey" = ?) AS "known"
FROM "Shop" s
LEFT JOIN "PagoEfectivoCredential" c ON c."shopId" = s."id"
LEFT JOIN "PaymentSession" p ON p."cip" = ? AND NOT EXISTS (SELECT 1 FROM "PagoEfectivoNotification" WHERE "dedupeKey" = ?)
WHERE s."notificationKey" = ?
ORDER BY c."environment" ASC`;

const CREDENTIAL_ALIASES = CREDENTIAL_COLUMNS.map((c) => [c, `c_${c}`] as const);
const SESSION_ALIASES = SESSION_COLUMNS.map((c) => [c, `p_${c}`] as const);

/** The columns of one table, from a joined row where they carry aliases. */
function unaliased(row: SqlRow, aliases: ReadonlyArray<readonly [string, string]>): SqlRow {
  const out: SqlRow = {};
  for (const [column, alias] of aliases) out[column] = row[alias];
  return out;
}

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

  async lookup(params: { notificationKey: string; dedupeKey: string | null; cip: string | null }): Promise<NotificationContext | null> {
    const rows = await this.driver.all(LOOKUP, [params.dedupeKey, params.cip, params.dedupeKey, params.notificationKey]);
    const first = rows[0];
    if (!first) return null;
    const shop = shopFromRow(first);
    return {
      shop,
      credentials: rows.filter((r) => r.c_environment !== null && r.c_environment !== undefined).map((r) => credentialFromRow({ ...unaliased(r, CREDENTIAL_ALIASES), shopId: shop.id })),
      known: bool(first.known),
      sessionByCip: first.p_id === null || first.p_id === undefined ? null : sessionFromRow(unaliased(first, SESSION_ALIASES)),
    };
  }

  async commit(params: {
    evidence: NotificationEvidence;
    change?: PaymentChange;
    exceptions?: NewException[];
  }): Promise<{ result: "stored"; session: PaymentSessionRecord | null } | { result: "duplicate" } | { result: "guard_failed" }> {
    const { evidence, change } = params;
    const engine = this.driver.engine;
    // On PostgreSQL evidence alone is one statement that writes nothing when it throws (a duplicate), so it may run
    // without BEGIN/COMMIT. Not with a change: a failed guard throws after the evidence was inserted, which only a
    // transaction's rollback undoes.
    const oneStatement = engine === "postgresql" && !change && (params.exceptions ?? []).length === 0;
    try {
      const session = await this.driver.write(function* (): SqlUnit<PaymentSessionRecord | null> {
        if (engine === "postgresql" && change) {
          const updated = yield* notificationWithChange(evidence, change);
          yield* insertExceptions(params.exceptions ?? [], evidence.receivedAt);
          return updated;
        }
        yield* insertNotification(evidence);
        const updated = change ? yield* applyChange(change, evidence.receivedAt, engine) : null;
        yield* insertExceptions(params.exceptions ?? [], evidence.receivedAt);
        return updated;
      }, { oneStatement });
      return { result: "stored", session };
    } catch (error) {
      if (error instanceof GuardFailed) return { result: "guard_failed" };
      if (error instanceof DuplicateNotification) return { result: "duplicate" };
      throw error;
    }
  }
}
