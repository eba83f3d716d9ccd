import { randomUUID } from "node:crypto";

import type { NewOutboxJob } from "../../../ports/outbox";
import type { NewException, TimelineEvent } from "../../../ports/payment-store";
import { timeOrderedId } from "../time-ordered-id";
import type { SqlValue } from "./sql-driver";

/**
 * PostgreSQL only: the rows that commit with a session's change (timeline events, outbox jobs, exceptions) written by
 * the same statement as the change, as data-modifying CTEs over its RETURNING row (`FROM "target"`): one round trip
 * instead of one per row (each is a socket write and a backend wake-up: bench/notifications/RESULTS.md, round 3).
 * Nothing is inserted when the change matched no row (a guard that failed, a session that already existed), exactly
 * as when they were written one by one after it. The same columns and ON CONFLICT keys as sql-writes.ts; timestamps
 * are cast (a parameter in a SELECT list would otherwise be text). `lead`: a statement written first in the same
 * WITH (a notification's evidence, see notificationWithChange in sql-writes.ts), which `head` may refer to.
 */
export function withFollowUps(
  head: { sql: string; params: readonly SqlValue[] },
  target: string,
  rows: { events: readonly TimelineEvent[]; jobs: readonly NewOutboxJob[]; exceptions: readonly NewException[]; now: Date; sessionId: string },
  lead?: { name: string; sql: string; params: readonly SqlValue[] },
): { sql: string; params: SqlValue[] } {
  const ctes: string[] = [...(lead ? [`"${lead.name}" AS (${lead.sql})`] : []), `"${target}" AS (${head.sql})`];
  const params: SqlValue[] = [...(lead?.params ?? []), ...head.params];
  let n = 0;
  for (const e of rows.events) {
    ctes.push(
      `"f${(n += 1)}" AS (INSERT INTO "PaymentEvent" ("id","paymentSessionId","shopId","type","at","detailJson") SELECT ?, "${target}"."id", "${target}"."shopId", ?, CAST(? AS TIMESTAMP(3)), ? FROM "${target}")`,
    );
    params.push(timeOrderedId(), e.type, e.at, JSON.stringify(e.detail));
  }
  for (const job of rows.jobs) {
    const payload = job.payload as { paymentSessionId?: string; refundSessionId?: string };
    ctes.push(
      `"f${(n += 1)}" AS (INSERT INTO "OutboxJob" ("id","kind","shopId","paymentSessionId","refundSessionId","payloadJson","dedupeKey","status","attempts","nextAttemptAt","createdAt")
       SELECT ?, ?, ?, ?, ?, ?, ?, 'pending', 0, CAST(? AS TIMESTAMP(3)), CAST(? AS TIMESTAMP(3)) FROM "${target}" ON CONFLICT ("dedupeKey") DO NOTHING)`,
    );
    params.push(timeOrderedId(), job.kind, job.shopId, payload.paymentSessionId ?? rows.sessionId, payload.refundSessionId ?? null, JSON.stringify(job.payload), job.dedupeKey, job.runAt ?? rows.now, rows.now);
  }
  for (const e of rows.exceptions) {
    ctes.push(
      `"f${(n += 1)}" AS (INSERT INTO "ReconciliationException" ("id","shopId","paymentSessionId","cip","kind","source","status","dedupeKey","evidenceJson","suggestedActionEs","suggestedActionEn","detectedAt")
       SELECT ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, CAST(? AS TIMESTAMP(3)) FROM "${target}" ON CONFLICT ("dedupeKey") DO NOTHING)`,
    );
    params.push(randomUUID(), e.shopId, e.paymentSessionId, e.cip, e.kind, e.source, e.dedupeKey, JSON.stringify(e.evidence), e.suggestedAction.es, e.suggestedAction.en, rows.now);
  }
  // With a lead statement: one row whatever happened, saying whether the lead wrote a row, with the target's columns
  // (all null when the target matched none).
  const select = lead ? `SELECT EXISTS (SELECT 1 FROM "${lead.name}") AS "pe_lead", "${target}".* FROM (SELECT 1) AS "pe_one" LEFT JOIN "${target}" ON TRUE` : `SELECT * FROM "${target}"`;
  return { sql: `WITH ${ctes.join(",\n")} ${select}`, params };
}
