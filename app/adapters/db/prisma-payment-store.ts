import type { Currency } from "../../domain/money";
import { allowedSourcesFor, writesFor } from "../../domain/payment-session";
import type { NewOutboxJob } from "../../ports/outbox";
import type { IssuingClaim } from "../../ports/payment-store";
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
import type { Db } from "./database";
import { isUniqueViolation } from "./prisma-errors";
import { guardedWhere } from "./prisma-payment-guard";
import { toCredential, toSession, toShop } from "./prisma-payment-rows";
import { insertEvents, insertExceptions, insertJobs } from "./prisma-payment-writes";

export class PrismaPaymentStore implements PaymentStore {
  constructor(private readonly db: Db) {}

  async findShopByDomain(domain: string): Promise<ShopRecord | null> {
    return toShop(await this.db.shop.findUnique({ where: { domain } }));
  }

  async findShopWithCredentials(domain: string, environment: Environment): Promise<{ shop: ShopRecord; credentials: CredentialRecord | null } | null> {
    const shop = await this.findShopByDomain(domain);
    return shop ? { shop, credentials: await this.findCredentials(shop.id, environment) } : null;
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
    options: { claimIssuingForMs?: number } = {},
  ): Promise<{ session: PaymentSessionRecord; created: boolean; claimed: boolean }> {
    const existing = await this.findSession(session.id);
    if (existing) return { session: existing, created: false, claimed: false };
    const leaseMs = options.claimIssuingForMs;
    // The lease as claimIssuing takes it (the process's real clock, never the business clock).
    const lease = leaseMs === undefined ? {} : { issuingUntil: new Date(Date.now() + leaseMs), cipAttempts: 1 };
    try {
      const row = await this.db.$transaction(async (tx) => {
        const created = await tx.paymentSession.create({ data: { ...session, ...lease, updatedAt: session.createdAt } });
        await insertEvents(tx, session.id, session.shopId, events);
        return created;
      });
      return { session: toSession(row), created: true, claimed: leaseMs !== undefined };
    } catch (error) {
      // Another request with the same id won the race: the stored session is the answer.
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.findSession(session.id);
      if (!winner) throw error;
      return { session: winner, created: false, claimed: false };
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
  async claimIssuing(sessionId: string, now: Date, leaseMs: number): Promise<IssuingClaim> {
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
    if (count === 1) return "claimed";
    const held = await this.db.paymentSession.findUnique({ where: { id: sessionId }, select: { issuingUntil: true } });
    return held?.issuingUntil && held.issuingUntil.getTime() < realNow.getTime() ? "abandoned" : "held";
  }

  async applyChange(change: PaymentChange): Promise<PaymentSessionRecord | null> {
    return this.db.$transaction(async (tx) => {
      const now = change.set.updatedAt ?? new Date();
      const { count } = await tx.paymentSession.updateMany({
        where: { ...guardedWhere(change), ...(change.expectNoCip ? { cip: null } : {}) },
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
