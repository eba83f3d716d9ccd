import { allowedSourcesFor } from "../../../domain/payment-session";
import type { NewOutboxJob } from "../../../ports/outbox";
import type { CredentialRecord, Environment, IssuingClaim, NewException, NewPaymentSession, PaymentChange, PaymentSessionRecord, ShopRecord, TimelineEvent } from "../../../ports/payment-store";
import type { Db } from "../database";
import { PrismaPaymentStore } from "../prisma-payment-store";
import { run, type SqlDriver, type SqlUnit } from "./sql-driver";
import { credentialFromRow, SESSION_COLUMNS, sessionFromRow, SHOP_COLUMNS, shopFromRow } from "./sql-rows";
import { applyChange, GuardFailed, insertEvents, insertExceptions, insertJobs, insertSession } from "./sql-writes";

const SESSION = `SELECT ${SESSION_COLUMNS.map((c) => `"${c}"`).join(",")} FROM "PaymentSession"`;
const SHOP = `SELECT ${SHOP_COLUMNS.map((c) => `"${c}"`).join(",")} FROM "Shop"`;
const CREDENTIAL = `SELECT "shopId","environment","accessKey","secretKeyEncrypted","idService","verifiedAt" FROM "PagoEfectivoCredential"`;

/**
 * PaymentStore with the request paths (shop and credential look-ups, session reads, creation, the CIP
 * lease, guarded changes) on the driver: one prepared statement per read, one write unit per change,
 * group-committed on SQLite. Everything else (polling lists, order links) stays on Prisma.
 */
export class SqlPaymentStore extends PrismaPaymentStore {
  constructor(
    db: Db,
    private readonly driver: SqlDriver,
  ) {
    super(db);
  }

  override async findShopByDomain(domain: string): Promise<ShopRecord | null> {
    const row = await this.driver.get(`${SHOP} WHERE "domain" = ?`, [domain]);
    return row ? shopFromRow(row) : null;
  }

  override async findShopById(id: string): Promise<ShopRecord | null> {
    const row = await this.driver.get(`${SHOP} WHERE "id" = ?`, [id]);
    return row ? shopFromRow(row) : null;
  }

  override async findShopByNotificationKey(key: string): Promise<ShopRecord | null> {
    const row = await this.driver.get(`${SHOP} WHERE "notificationKey" = ?`, [key]);
    return row ? shopFromRow(row) : null;
  }

  override async findCredentials(shopId: string, environment: Environment): Promise<CredentialRecord | null> {
    const row = await this.driver.get(`${CREDENTIAL} WHERE "shopId" = ? AND "environment" = ?`, [shopId, environment]);
    return row ? credentialFromRow(row) : null;
  }

  override async listCredentials(shopId: string): Promise<CredentialRecord[]> {
    return (await this.driver.all(`${CREDENTIAL} WHERE "shopId" = ? ORDER BY "environment" ASC`, [shopId])).map(credentialFromRow);
  }

  override async findSession(id: string): Promise<PaymentSessionRecord | null> {
    const row = await this.driver.get(`${SESSION} WHERE "id" = ?`, [id]);
    return row ? sessionFromRow(row) : null;
  }

  override async findSessionByBuyerToken(token: string): Promise<PaymentSessionRecord | null> {
    const row = await this.driver.get(`${SESSION} WHERE "buyerToken" = ?`, [token]);
    return row ? sessionFromRow(row) : null;
  }

  override async findSessionByCip(cip: string): Promise<PaymentSessionRecord | null> {
    const row = await this.driver.get(`${SESSION} WHERE "cip" = ?`, [cip]);
    return row ? sessionFromRow(row) : null;
  }

  override async getOrCreateSession(
    session: NewPaymentSession,
    events: TimelineEvent[],
    options: { claimIssuingForMs?: number } = {},
  ): Promise<{ session: PaymentSessionRecord; created: boolean; claimed: boolean }> {
    // Written first (INSERT ... ON CONFLICT DO NOTHING): a new session, the common case, costs no read; with its
    // issuing lease when asked, in the same statement (one write instead of two).
    const lease = options.claimIssuingForMs === undefined ? null : { engine: this.driver.engine, ms: options.claimIssuingForMs };
    const engine = this.driver.engine;
    // On PostgreSQL the session and its events are one statement (sql-writes-pg.ts).
    const created = await this.driver.write(() => insertSession(session, events, lease, engine), { oneStatement: engine === "postgresql" });
    if (created) return { session: created, created: true, claimed: lease !== null };
    // Already stored (Shopify's retry, or another request with the same id won the race): the stored session is the answer.
    const winner = await this.findSession(session.id);
    if (!winner) throw new Error(`Payment session ${session.id} was neither created nor found`);
    return { session: winner, created: false, claimed: false };
  }

  override async claimIssuing(sessionId: string, now: Date, leaseMs: number): Promise<IssuingClaim> {
    const engine = this.driver.engine;
    const changed = await this.driver.write(
      function* (): SqlUnit<number> {
        return yield* runClaim(engine, sessionId, now, leaseMs);
      },
      { oneStatement: true },
    );
    if (changed === 1) return "claimed";
    // Whether the lease someone else holds has run out, on the same clock it was taken on.
    const row =
      engine === "postgresql"
        ? await this.driver.get(`SELECT ("issuingUntil" < (now() AT TIME ZONE 'UTC')) AS "expired" FROM "PaymentSession" WHERE "id" = ?`, [sessionId])
        : await this.driver.get(`SELECT ("issuingUntil" < ?) AS "expired" FROM "PaymentSession" WHERE "id" = ?`, [new Date(), sessionId]);
    const expired = row?.expired;
    return expired === true || expired === 1 ? "abandoned" : "held";
  }

  override async applyChange(change: PaymentChange): Promise<PaymentSessionRecord | null> {
    try {
      const engine = this.driver.engine;
      // On PostgreSQL the change with its events, jobs and exceptions is one statement (sql-writes-pg.ts).
      return await this.driver.write(() => applyChange(change, new Date(), engine), { oneStatement: engine === "postgresql" });
    } catch (error) {
      if (error instanceof GuardFailed) return null;
      throw error;
    }
  }

  override async addEvents(sessionId: string, shopId: string, events: TimelineEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.driver.write(() => insertEvents(sessionId, shopId, events));
  }

  override async recordExceptions(exceptions: NewException[]): Promise<void> {
    if (exceptions.length === 0) return;
    await this.driver.write(() => insertExceptions(exceptions, new Date()));
  }

  override async enqueue(jobs: NewOutboxJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.driver.write(() => insertJobs(jobs, new Date(), null));
  }
}

const CLAIM_SOURCES = allowedSourcesFor("issuing_claimed");

/**
 * The issuing lease on the database's clock: PostgreSQL's now() (in UTC, as the columns hold UTC), so instances
 * never disagree about whose lease has run out; on SQLite (one process, see sqlite-instance-lock.ts) the process's
 * real clock, which is the database's. Never the business clock: the sandbox clock can jump hours ahead.
 */
function* runClaim(engine: SqlDriver["engine"], sessionId: string, now: Date, leaseMs: number): SqlUnit<number> {
  const guard = `"id" = ? AND "cip" IS NULL AND "cipExpiresAt" IS NULL AND "state" IN (${CLAIM_SOURCES.map((s) => `'${s}'`).join(",")})`;
  if (engine === "postgresql") {
    return yield* run(
      `UPDATE "PaymentSession" SET "issuingUntil" = (now() AT TIME ZONE 'UTC') + make_interval(secs => ?::double precision / 1000), "cipAttempts" = "cipAttempts" + 1, "updatedAt" = ?
       WHERE ${guard} AND "issuingUntil" IS NULL`,
      [leaseMs, now, sessionId],
    );
  }
  const dbNow = new Date();
  return yield* run(
    `UPDATE "PaymentSession" SET "issuingUntil" = ?, "cipAttempts" = "cipAttempts" + 1, "updatedAt" = ?
     WHERE ${guard} AND "issuingUntil" IS NULL`,
    [new Date(dbNow.getTime() + leaseMs), now, sessionId],
  );
}
