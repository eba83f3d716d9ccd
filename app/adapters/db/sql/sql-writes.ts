import { randomUUID } from "node:crypto";

import { allowedShopifySourcesFor, allowedSourcesFor, writesFor } from "../../../domain/payment-session";
import type { NotificationEvidence } from "../../../ports/notification-store";
import type { NewOutboxJob } from "../../../ports/outbox";
import type { NewException, NewPaymentSession, PaymentChange, PaymentSessionRecord, TimelineEvent } from "../../../ports/payment-store";
import { timeOrderedId } from "../time-ordered-id";
import { all, run, type SqlRow, type SqlUnit, type SqlValue } from "./sql-driver";
import { SESSION_COLUMNS, sessionColumn, sessionFromRow, sqlValue } from "./sql-rows";
import { withFollowUps } from "./sql-writes-pg";

/**
 * The write units of the hot paths (see SqlDriver.write): the same rows Prisma's repositories write
 * (prisma-payment-store.ts), with idempotency kept by the unique keys (ON CONFLICT DO NOTHING on the
 * dedupe keys), in one statement per row and a state change guarded by compare-and-set.
 */
export class GuardFailed extends Error {}
export class DuplicateNotification extends Error {}

const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(",");

/** The whole session row, as every write unit hands it back (built once, not per statement). */
const RETURNING_SESSION = ` RETURNING ${SESSION_COLUMNS.map((c) => `"${c}"`).join(",")}`;

/**
 * SQL text by its shape (which columns, which guards): a payment session's INSERT and UPDATE are rebuilt from the
 * same few shapes on every request, and building the ~1 kB text (and hashing a new string for the driver's statement
 * cache) was a measurable share of a session's CPU (issue #13). The shapes are few (column sets come from code, not
 * input); the bound only keeps a bug from growing it without end.
 */
const SHAPE_LIMIT = 256;
function byShape(cache: Map<string, string>, shape: string, build: () => string): string {
  let sql = cache.get(shape);
  if (sql === undefined) {
    if (cache.size >= SHAPE_LIMIT) cache.clear();
    sql = build();
    cache.set(shape, sql);
  }
  return sql;
}
const updateShapes = new Map<string, string>();
const insertShapes = new Map<string, string>();

export function* insertEvents(sessionId: string, shopId: string, events: readonly TimelineEvent[]): SqlUnit<void> {
  for (const e of events) {
    yield* run(`INSERT INTO "PaymentEvent" ("id","paymentSessionId","shopId","type","at","detailJson") VALUES (?,?,?,?,?,?)`, [
      timeOrderedId(),
      sessionId,
      shopId,
      e.type,
      e.at,
      JSON.stringify(e.detail),
    ]);
  }
}

/** Enqueues jobs; a job whose dedupe key already exists is kept as it is (stored idempotency). */
export function* insertJobs(jobs: readonly NewOutboxJob[], now: Date, paymentSessionId: string | null): SqlUnit<void> {
  for (const job of jobs) {
    const payload = job.payload as { paymentSessionId?: string; refundSessionId?: string };
    yield* run(
      `INSERT INTO "OutboxJob" ("id","kind","shopId","paymentSessionId","refundSessionId","payloadJson","dedupeKey","status","attempts","nextAttemptAt","createdAt")
       VALUES (?,?,?,?,?,?,?,'pending',0,?,?) ON CONFLICT ("dedupeKey") DO NOTHING`,
      [
        timeOrderedId(),
        job.kind,
        job.shopId,
        payload.paymentSessionId ?? paymentSessionId,
        payload.refundSessionId ?? null,
        JSON.stringify(job.payload),
        job.dedupeKey,
        job.runAt ?? now,
        now,
      ],
    );
  }
}

export function* insertExceptions(exceptions: readonly NewException[], now: Date): SqlUnit<void> {
  for (const e of exceptions) {
    yield* run(
      `INSERT INTO "ReconciliationException" ("id","shopId","paymentSessionId","cip","kind","source","status","dedupeKey","evidenceJson","suggestedActionEs","suggestedActionEn","detectedAt")
       VALUES (?,?,?,?,?,?,'open',?,?,?,?,?) ON CONFLICT ("dedupeKey") DO NOTHING`,
      [randomUUID(), e.shopId, e.paymentSessionId, e.cip, e.kind, e.source, e.dedupeKey, JSON.stringify(e.evidence), e.suggestedAction.es, e.suggestedAction.en, now],
    );
  }
}

/**
 * The guarded state change and everything that commits with it; throws GuardFailed if the session moved on. On
 * PostgreSQL the events, jobs and exceptions are CTEs of the UPDATE itself (sql-writes-pg.ts): one round trip.
 */
export function* applyChange(change: PaymentChange, fallbackNow: Date, engine: "sqlite" | "postgresql" = "sqlite"): SqlUnit<PaymentSessionRecord> {
  const { update, now } = changeUpdate(change, fallbackNow);
  if (engine === "postgresql") {
    const folded = withFollowUps(update, "changed", { events: change.events ?? [], jobs: change.jobs ?? [], exceptions: change.exceptions ?? [], now, sessionId: change.sessionId });
    const row = (yield* all(folded.sql, folded.params))[0];
    if (!row) throw new GuardFailed();
    return sessionFromRow(row);
  }
  const rows = yield* all(update.sql, update.params);
  const row = rows[0];
  if (!row) throw new GuardFailed();
  const session = sessionFromRow(row);
  yield* insertEvents(session.id, session.shopId, change.events ?? []);
  yield* insertJobs(change.jobs ?? [], now, session.id);
  yield* insertExceptions(change.exceptions ?? [], now);
  return session;
}

/** The guarded UPDATE of a change (RETURNING the session), with `extraGuard` ANDed to its WHERE. */
export function changeUpdate(change: PaymentChange, fallbackNow: Date, extraGuard = ""): { update: { sql: string; params: SqlValue[] }; now: Date } {
  const now = change.set.updatedAt ?? fallbackNow;
  const set = { ...change.set, ...writesFor(change.move), updatedAt: now } as Record<string, unknown>;
  const sources = allowedSourcesFor(change.move);
  const keys = Object.keys(set).filter((k) => set[k] !== undefined);
  const shopify = shopifyStateGuard(allowedShopifySourcesFor(change.move));
  const noCip = change.expectNoCip ? ' AND "cip" IS NULL' : "";
  // The text depends only on these (each column name is checked when the shape is first built).
  const shape = `${keys.join(",")}|${sources.length}|${shopify.sql}|${noCip}|${extraGuard}`;
  const sql = byShape(
    updateShapes,
    shape,
    () =>
      `UPDATE "PaymentSession" SET ${keys.map((k) => `${sessionColumn(k)} = ?`).join(", ")} WHERE "id" = ? AND "state" IN (${placeholders(sources.length)})${shopify.sql}${noCip}${extraGuard}${RETURNING_SESSION}`,
  );
  const update = { sql, params: [...keys.map((k) => sqlValue(set[k])), change.sessionId, ...sources, ...shopify.params] };
  return { update, now };
}

/** The move's allowed Shopify views as SQL (IN never matches NULL, so null is its own branch): a late "pending" cannot overwrite "resolved". */
function shopifyStateGuard(states: readonly (string | null)[] | undefined): { sql: string; params: string[] } {
  if (!states) return { sql: "", params: [] };
  const named = states.filter((s): s is string => s !== null);
  const branches = [...(states.includes(null) ? ['"shopifyState" IS NULL'] : []), ...(named.length > 0 ? [`"shopifyState" IN (${placeholders(named.length)})`] : [])];
  return { sql: ` AND (${branches.length > 0 ? branches.join(" OR ") : "FALSE"})`, params: named };
}

/**
 * Inserts the session unless its id exists. With `lease`, the row is written holding the CIP-issuing lease for
 * `lease.ms`, on the database's clock as runClaim (sql-payment-store.ts) takes it: PostgreSQL's now() in UTC; on
 * SQLite the process's real clock.
 */
export function* insertSession(
  session: NewPaymentSession,
  events: readonly TimelineEvent[],
  lease: { engine: "sqlite" | "postgresql"; ms: number } | null = null,
  engine: "sqlite" | "postgresql" = lease?.engine ?? "sqlite",
): SqlUnit<PaymentSessionRecord | null> {
  const values: Record<string, unknown> = { ...session, updatedAt: session.createdAt, cipAttempts: lease ? 1 : 0 };
  const columns = Object.keys(values).filter((k) => values[k] !== undefined);
  const params = columns.map((k) => sqlValue(values[k]));
  const leaseParam = lease ? (lease.engine === "postgresql" ? lease.ms : new Date(Date.now() + lease.ms)) : null;
  if (lease) params.push(leaseParam);
  // SQLite: a new row holds exactly what was given (no column defaults apply, no trigger changes it), so its record
  // is built from the values and only the id comes back: RETURNING the whole row (its request body included) cost
  // about 10 us and a 45-field object per session (issue #13). Text SQLite would not store as given (a lone UTF-16
  // surrogate, which it replaces) is returned as stored instead.
  const fromValues = engine === "sqlite" && columns.every((k) => typeof values[k] !== "string" || !LONE_SURROGATE.test(values[k]));
  const returning = fromValues ? ' RETURNING "id"' : RETURNING_SESSION;
  const sql = byShape(insertShapes, `${columns.join(",")}|${lease?.engine ?? ""}|${returning}`, () => {
    const names = columns.map(sessionColumn);
    const slots = columns.map(() => "?");
    if (lease) {
      names.push('"issuingUntil"');
      slots.push(lease.engine === "postgresql" ? "(now() AT TIME ZONE 'UTC') + make_interval(secs => ?::double precision / 1000)" : "?");
    }
    return `INSERT INTO "PaymentSession" (${names.join(",")}) VALUES (${slots.join(",")}) ON CONFLICT ("id") DO NOTHING${returning}`;
  });
  const insert = { sql, params };
  if (engine === "postgresql") {
    // The session's first events in the same statement (sql-writes-pg.ts); none when the id already existed.
    const folded = withFollowUps(insert, "created", { events, jobs: [], exceptions: [], now: session.createdAt, sessionId: session.id });
    const row = (yield* all(folded.sql, folded.params))[0];
    return row ? sessionFromRow(row) : null;
  }
  const rows = yield* all(insert.sql, insert.params);
  const row = rows[0];
  if (!row) return null;
  yield* insertEvents(session.id, session.shopId, events);
  if (!fromValues) return sessionFromRow(row);
  const written: SqlRow = {};
  for (const column of SESSION_COLUMNS) written[column] = (values[column] as SqlValue | undefined) ?? null;
  if (lease) written.issuingUntil = leaseParam;
  return sessionFromRow(written);
}

/** A UTF-16 surrogate without its pair: SQLite's UTF-8 cannot hold it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * PostgreSQL: a notification's evidence and the change it makes (with its events, jobs, exceptions) in ONE statement,
 * one round trip instead of two: the UPDATE runs only if the evidence was inserted (EXISTS over the INSERT's
 * RETURNING). Throws DuplicateNotification when the dedupe key was already stored, GuardFailed when the session
 * moved on, exactly as insertNotification then applyChange; either way the unit's transaction is rolled back.
 */
export function* notificationWithChange(evidence: NotificationEvidence, change: PaymentChange): SqlUnit<PaymentSessionRecord> {
  const stored = notificationInsert(evidence);
  const { update, now } = changeUpdate(change, evidence.receivedAt, ` AND EXISTS (SELECT 1 FROM "evidence")`);
  const rows = { events: change.events ?? [], jobs: change.jobs ?? [], exceptions: change.exceptions ?? [], now, sessionId: change.sessionId };
  const folded = withFollowUps(update, "changed", rows, { name: "evidence", sql: `${stored.sql} RETURNING 1 AS "stored"`, params: stored.params });
  const row = (yield* all(folded.sql, folded.params))[0];
  if (!row || row.pe_lead !== true) throw new DuplicateNotification();
  if (row.id === null || row.id === undefined) throw new GuardFailed();
  return sessionFromRow(row);
}

/** Stores a notification's evidence; throws DuplicateNotification when its dedupe key is already stored. */
export function* insertNotification(evidence: NotificationEvidence): SqlUnit<void> {
  const statement = notificationInsert(evidence);
  const inserted = yield* run(statement.sql, statement.params);
  if (inserted === 0) throw new DuplicateNotification();
}

/** The evidence's INSERT, doing nothing when its dedupe key is already stored. */
export function notificationInsert(evidence: NotificationEvidence): { sql: string; params: SqlValue[] } {
  const params: SqlValue[] = [
    randomUUID(),
    evidence.shopId,
    evidence.paymentSessionId,
    evidence.cip,
    evidence.operationNumber,
    evidence.eventType,
    evidence.rawBody,
    JSON.stringify(evidence.headers),
    evidence.signature,
    evidence.signatureValid,
    evidence.verificationReason,
    evidence.dedupeKey,
    evidence.outcome,
    evidence.receivedAt,
  ];
  return {
    sql: `INSERT INTO "PagoEfectivoNotification" ("id","shopId","paymentSessionId","cip","operationNumber","eventType","rawBody","headersJson","signature","signatureValid","verificationReason","dedupeKey","outcome","receivedAt")
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT ("dedupeKey") DO NOTHING`,
    params,
  };
}
