import { randomUUID } from "node:crypto";

import type { NewOutboxJob } from "../../ports/outbox";
import type { NewException, TimelineEvent } from "../../ports/payment-store";
import type { Db, DbTransaction } from "./database";
import { timeOrderedId } from "./time-ordered-id";

type Client = Db | DbTransaction;

export async function insertEvents(db: Client, sessionId: string, shopId: string, events: TimelineEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.paymentEvent.createMany({
    data: events.map((e) => ({
      id: timeOrderedId(),
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
        id: timeOrderedId(),
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
