import { randomUUID } from "node:crypto";

import type { Currency } from "../../domain/money";
import { allowedShopifySourcesFor, allowedSourcesFor, type PaymentState, writesFor } from "../../domain/payment-session";
import type { NewOutboxJob } from "../../ports/outbox";
import type {
  CredentialRecord,
  Environment,
  NewException,
  NewPaymentSession,
  PaymentChange,
  PaymentSessionRecord,
  PaymentStore,
  ShopRecord,
  TimelineEvent,
} from "../../ports/payment-store";
import type { Db, DbTransaction } from "./database";
import { isUniqueViolation } from "./prisma-errors";
import { storedCurrency } from "./stored-currency";

type Client = Db | DbTransaction;

export class PrismaPaymentStore implements PaymentStore {
  constructor(private readonly db: Db) {}

  async findShopByDomain(domain: string): Promise<ShopRecord | null> {
    return toShop(await this.db.shop.findUnique({ where: { domain } }));
  }

  async findShopById(id: string): Promise<ShopRecord | null> {
    return toShop(await this.db.shop.findUnique({ where: { id } }));
  }

  async findShopByNotificationKey(key: string): Promise<ShopRecord | null> {
    return toShop(await this.db.shop.findUnique({ where: { notificationKey: key } }));
  }

  async findCredentials(shopId: string, environment: Environment): Promise<CredentialRecord | null> {
    const row = await this.db.pagoEfectivoCredential.findUnique({ where: { shopId_environment: { shopId, environment } } });
    return row ? toCredential(row) : null;
  }

  async listCredentials(shopId: string): Promise<CredentialRecord[]> {
    const rows = await this.db.pagoEfectivoCredential.findMany({ where: { shopId }, orderBy: { environment: "asc" } });
    return rows.map(toCredential);
  }

  async getOrCreateSession(
    session: NewPaymentSession,
    events: TimelineEvent[],
  ): Promise<{ session: PaymentSessionRecord; created: boolean }> {
    const existing = await this.findSession(session.id);
    if (existing) return { session: existing, created: false };
    try {
      const row = await this.db.$transaction(async (tx) => {
        const created = await tx.paymentSession.create({ data: { ...session, updatedAt: session.createdAt } });
        await insertEvents(tx, session.id, session.shopId, events);
        return created;
      });
      return { session: toSession(row), created: true };
    } catch (error) {
      // Another request with the same id won the race: the stored session is the answer.
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.findSession(session.id);
      if (!winner) throw error;
      return { session: winner, created: false };
    }
  }

  async findSession(id: string): Promise<PaymentSessionRecord | null> {
    const row = await this.db.paymentSession.findUnique({ where: { id } });
    return row ? toSession(row) : null;
  }

  async findSessionByBuyerToken(token: string): Promise<PaymentSessionRecord | null> {
    const row = await this.db.paymentSession.findUnique({ where: { buyerToken: token } });
    return row ? toSession(row) : null;
  }

  async findSessionByCip(cip: string): Promise<PaymentSessionRecord | null> {
    const row = await this.db.paymentSession.findUnique({ where: { cip } });
    return row ? toSession(row) : null;
  }

  async findSessionByOrderId(shopId: string, orderId: string): Promise<PaymentSessionRecord | null> {
    const row = await this.db.paymentSession.findFirst({ where: { shopId, orderId } });
    return row ? toSession(row) : null;
  }

  async findLostCreationCandidates(shopId: string, money: { amountMinor: number; currency: Currency }): Promise<PaymentSessionRecord[]> {
    const rows = await this.db.paymentSession.findMany({
      where: {
        shopId,
        cip: null,
        amountMinor: money.amountMinor,
        currency: money.currency,
        // A lost answer (cipExpiresAt kept), or an issuing attempt under way or cut short (the instance died
        // after PagoEfectivo created the CIP and before it was stored).
        OR: [{ cipExpiresAt: { not: null } }, { issuingUntil: { not: null } }],
      },
      orderBy: { createdAt: "asc" },
      take: 50,
    });
    return rows.map(toSession);
  }

  async listUnconfirmedPastExpiry(params: { now: Date; limit: number }): Promise<PaymentSessionRecord[]> {
    const rows = await this.db.paymentSession.findMany({
      where: { state: "pending", cip: null, cipExpiresAt: { lte: params.now } },
      orderBy: { cipExpiresAt: "asc" },
      take: params.limit,
    });
    return rows.map(toSession);
  }

  /** One process's version (the app runs SqlPaymentStore, which measures the lease on the database's clock). */
  async claimIssuing(sessionId: string, now: Date, leaseMs: number): Promise<boolean> {
    const realNow = new Date();
    const { count } = await this.db.paymentSession.updateMany({
      where: {
        id: sessionId,
        cip: null,
        // A creation whose answer was lost may have made a CIP: never ask for a second one (see IssueCip).
        cipExpiresAt: null,
        state: { in: [...allowedSourcesFor("issuing_claimed")] },
        // Released only once the outcome is known: an expired lease is a creation of unknown outcome (see IssueCip).
        issuingUntil: null,
      },
      data: { issuingUntil: new Date(realNow.getTime() + leaseMs), cipAttempts: { increment: 1 }, updatedAt: now },
    });
    return count === 1;
  }

  async applyChange(change: PaymentChange): Promise<PaymentSessionRecord | null> {
    return this.db.$transaction(async (tx) => {
      const now = change.set.updatedAt ?? new Date();
      const { count } = await tx.paymentSession.updateMany({
        where: guardedWhere(change),
        data: { ...change.set, ...writesFor(change.move), updatedAt: now },
      });
      if (count !== 1) return null;
      const row = await tx.paymentSession.findUniqueOrThrow({ where: { id: change.sessionId } });
      await insertEvents(tx, row.id, row.shopId, change.events ?? []);
      await insertJobs(tx, change.jobs ?? [], now, row.id);
      await insertExceptions(tx, change.exceptions ?? [], now);
      return toSession(row);
    });
  }

  async addEvents(sessionId: string, shopId: string, events: TimelineEvent[]): Promise<void> {
    await insertEvents(this.db, sessionId, shopId, events);
  }

  async recordExceptions(exceptions: NewException[]): Promise<void> {
    await insertExceptions(this.db, exceptions, new Date());
  }

  async enqueue(jobs: NewOutboxJob[]): Promise<void> {
    await insertJobs(this.db, jobs, new Date(), null);
  }

  async listPendingForPolling(params: { polledBefore: Date; now: Date; limit: number }): Promise<PaymentSessionRecord[]> {
    const rows = await this.db.paymentSession.findMany({
      where: {
        state: "pending",
        cip: { not: null },
        OR: [{ lastPolledAt: null }, { lastPolledAt: { lt: params.polledBefore } }, { cipExpiresAt: { lte: params.now } }],
      },
      orderBy: [{ cipExpiresAt: "asc" }],
      take: params.limit,
    });
    return rows.map(toSession);
  }

  async listStaleAwaitingPhone(params: { createdBefore: Date; limit: number }): Promise<PaymentSessionRecord[]> {
    const rows = await this.db.paymentSession.findMany({
      where: { state: "awaiting_phone", cip: null, createdAt: { lt: params.createdBefore } },
      orderBy: { createdAt: "asc" },
      take: params.limit,
    });
    return rows.map(toSession);
  }

  async hasOpenException(sessionId: string, kinds: string[]): Promise<boolean> {
    const found = await this.db.reconciliationException.findFirst({
      where: { paymentSessionId: sessionId, status: "open", kind: { in: kinds } },
      select: { id: true },
    });
    return found !== null;
  }

  async markPolled(sessionIds: string[], at: Date): Promise<void> {
    if (sessionIds.length === 0) return;
    await this.db.paymentSession.updateMany({ where: { id: { in: sessionIds } }, data: { lastPolledAt: at } });
  }
}

export async function insertEvents(db: Client, sessionId: string, shopId: string, events: TimelineEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.paymentEvent.createMany({
    data: events.map((e) => ({
      id: randomUUID(),
      paymentSessionId: sessionId,
      shopId,
      type: e.type,
      at: e.at,
      detailJson: JSON.stringify(e.detail),
    })),
  });
}

/** Enqueues jobs; a job whose dedupe key already exists is kept as it is (stored idempotency). */
export async function insertJobs(db: Client, jobs: NewOutboxJob[], now: Date, paymentSessionId: string | null): Promise<void> {
  for (const job of jobs) {
    const exists = await db.outboxJob.findUnique({ where: { dedupeKey: job.dedupeKey }, select: { id: true } });
    if (exists) continue;
    const payload = job.payload as { paymentSessionId?: string; refundSessionId?: string };
    await db.outboxJob.create({
      data: {
        id: randomUUID(),
        kind: job.kind,
        shopId: job.shopId,
        paymentSessionId: payload.paymentSessionId ?? paymentSessionId,
        refundSessionId: payload.refundSessionId ?? null,
        payloadJson: JSON.stringify(job.payload),
        dedupeKey: job.dedupeKey,
        status: "pending",
        attempts: 0,
        nextAttemptAt: job.runAt ?? now,
        createdAt: now,
      },
    });
  }
}

export async function insertExceptions(db: Client, exceptions: NewException[], now: Date): Promise<void> {
  for (const e of exceptions) {
    const exists = await db.reconciliationException.findUnique({ where: { dedupeKey: e.dedupeKey }, select: { id: true } });
    if (exists) continue;
    await db.reconciliationException.create({
      data: {
        id: randomUUID(),
        shopId: e.shopId,
        paymentSessionId: e.paymentSessionId,
        cip: e.cip,
        kind: e.kind,
        source: e.source,
        status: "open",
        dedupeKey: e.dedupeKey,
        evidenceJson: JSON.stringify(e.evidence),
        suggestedActionEs: e.suggestedAction.es,
        suggestedActionEn: e.suggestedAction.en,
        detectedAt: now,
      },
    });
  }
}

type ShopRow = Awaited<ReturnType<Db["shop"]["findUnique"]>>;
type SessionRow = NonNullable<Awaited<ReturnType<Db["paymentSession"]["findUnique"]>>>;
type CredentialRow = NonNullable<Awaited<ReturnType<Db["pagoEfectivoCredential"]["findUnique"]>>>;

export function toShop(row: ShopRow): ShopRecord | null {
  if (!row) return null;
  return {
    id: row.id,
    domain: row.domain,
    name: row.name,
    status: row.status === "uninstalled" ? "uninstalled" : "installed",
    offlineTokenEncrypted: row.offlineTokenEncrypted,
    notificationKey: row.notificationKey,
    locale: row.locale,
    timezone: row.timezone,
    cipLifetimeHours: row.cipLifetimeHours,
    paymentConcept: row.paymentConcept,
    ready: row.ready,
  };
}

function toCredential(row: CredentialRow): CredentialRecord {
  return {
    shopId: row.shopId,
    environment: row.environment === "production" ? "production" : "sandbox",
    accessKey: row.accessKey,
    secretKeyEncrypted: row.secretKeyEncrypted,
    idService: row.idService,
    verifiedAt: row.verifiedAt,
  };
}

export function toSession(row: SessionRow): PaymentSessionRecord {
  return {
    ...row,
    currency: storedCurrency(row.currency, "PaymentSession"),
    state: row.state as PaymentState,
    environment: row.environment === "production" ? "production" : "sandbox",
  };
}

/**
 * The compare-and-set `where` of a PaymentChange, from the domain machine: the move's source states and, when the move
 * guards it, Shopify's view (SQL's IN never matches NULL, so null is its own branch).
 */
export function guardedWhere(change: PaymentChange) {
  return { id: change.sessionId, state: { in: [...allowedSourcesFor(change.move)] }, ...shopifyStateGuard(allowedShopifySourcesFor(change.move)) };
}

function shopifyStateGuard(states: readonly (string | null)[] | undefined): { OR?: Array<{ shopifyState: null | { in: string[] } }> } {
  if (!states) return {};
  const named = states.filter((s): s is string => s !== null);
  return { OR: [...(states.includes(null) ? [{ shopifyState: null }] : []), ...(named.length > 0 ? [{ shopifyState: { in: named } }] : [])] };
}
