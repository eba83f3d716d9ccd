import { randomUUID } from "node:crypto";

import { writesFor } from "../../domain/payment-session";
import type { NotificationContext, NotificationEvidence, NotificationStore } from "../../ports/notification-store";
import type { Environment, NewException, PaymentChange, PaymentSessionRecord } from "../../ports/payment-store";
import type { Db } from "./database";
import { isUniqueViolation } from "./prisma-errors";
import { guardedWhere } from "./prisma-payment-guard";
import { toSession } from "./prisma-payment-rows";
import { PrismaPaymentStore } from "./prisma-payment-store";
import { insertEvents, insertExceptions, insertJobs } from "./prisma-payment-writes";

class GuardFailed extends Error {}

export class PrismaNotificationStore implements NotificationStore {
  constructor(private readonly db: Db) {}

  async isKnown(dedupeKey: string): Promise<boolean> {
    return (await this.db.pagoEfectivoNotification.findUnique({ where: { dedupeKey }, select: { id: true } })) !== null;
  }

  async isStoredReplay(params: { notificationKey: string; shopId: string; environment: Environment; secretKeyEncrypted: string; dedupeKey: string }): Promise<boolean> {
    const credential = await this.db.pagoEfectivoCredential.findFirst({
      where: { shopId: params.shopId, environment: params.environment, secretKeyEncrypted: params.secretKeyEncrypted, shop: { notificationKey: params.notificationKey } },
      select: { id: true },
    });
    return credential !== null && (await this.isKnown(params.dedupeKey));
  }

  async lookup(params: { notificationKey: string; dedupeKey: string | null; cip: string | null }): Promise<NotificationContext | null> {
    const payments = new PrismaPaymentStore(this.db);
    const shop = await payments.findShopByNotificationKey(params.notificationKey);
    if (!shop) return null;
    const known = params.dedupeKey !== null && (await this.isKnown(params.dedupeKey));
    return {
      shop,
      credentials: await payments.listCredentials(shop.id),
      known,
      sessionByCip: params.cip !== null && !known ? await payments.findSessionByCip(params.cip) : null,
    };
  }

  async commit(params: {
    evidence: NotificationEvidence;
    change?: PaymentChange;
    exceptions?: NewException[];
  }): Promise<{ result: "stored"; session: PaymentSessionRecord | null } | { result: "duplicate" } | { result: "guard_failed" }> {
    const { evidence, change } = params;
    try {
      const session = await this.db.$transaction(async (tx) => {
        await tx.pagoEfectivoNotification.create({
          data: {
            id: randomUUID(),
            shopId: evidence.shopId,
            paymentSessionId: evidence.paymentSessionId,
            cip: evidence.cip,
            operationNumber: evidence.operationNumber,
            eventType: evidence.eventType,
            rawBody: new Uint8Array(evidence.rawBody),
            headersJson: JSON.stringify(evidence.headers),
            signature: evidence.signature,
            signatureValid: evidence.signatureValid,
            verificationReason: evidence.verificationReason,
            dedupeKey: evidence.dedupeKey,
            outcome: evidence.outcome,
            receivedAt: evidence.receivedAt,
          },
        });
        let updated: PaymentSessionRecord | null = null;
        if (change) {
          const now = change.set.updatedAt ?? evidence.receivedAt;
          const { count } = await tx.paymentSession.updateMany({
            where: guardedWhere(change),
            data: { ...change.set, ...writesFor(change.move), updatedAt: now },
          });
          if (count !== 1) throw new GuardFailed();
          const row = await tx.paymentSession.findUniqueOrThrow({ where: { id: change.sessionId } });
          await insertEvents(tx, row.id, row.shopId, change.events ?? []);
          await insertJobs(tx, change.jobs ?? [], now, row.id);
          await insertExceptions(tx, change.exceptions ?? [], now);
          updated = toSession(row);
        }
        await insertExceptions(tx, params.exceptions ?? [], evidence.receivedAt);
        return updated;
      });
      return { result: "stored", session };
    } catch (error) {
      if (error instanceof GuardFailed) return { result: "guard_failed" };
      if (isUniqueViolation(error)) return { result: "duplicate" };
      throw error;
    }
  }
}
