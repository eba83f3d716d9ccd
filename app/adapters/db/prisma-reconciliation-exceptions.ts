import { randomUUID } from "node:crypto";

import type { Prisma } from "../../../prisma/generated/sqlite/client";
import type { DatabaseEngine } from "../../config/env";
import type { ExceptionWriter, NewReconciliationException } from "../../ports/reconciliation";
import type { ExceptionBook, ExceptionFilter, ExceptionHistoryEntry, ExceptionOrder, ExceptionRecord } from "../../ports/reconciliation-admin";
import type { Db } from "./database";
import { type BulkRow, BulkSql, type ColumnSpec } from "./prisma-settlement-bulk-sql";

const INSERT_COLUMNS: ColumnSpec[] = [
  { name: "id", type: "text" },
  { name: "shopId", type: "text" },
  { name: "paymentSessionId", type: "text" },
  { name: "cip", type: "text" },
  { name: "kind", type: "text" },
  { name: "source", type: "text" },
  { name: "status", type: "text" },
  { name: "dedupeKey", type: "text" },
  { name: "evidenceJson", type: "text" },
  { name: "suggestedActionEs", type: "text" },
  { name: "suggestedActionEn", type: "text" },
  { name: "detectedAt", type: "timestamp" },
  { name: "runId", type: "text" },
  { name: "historyJson", type: "text" },
];

const CHUNK = 5_000;
const IN_CHUNK = 900;

/**
 * Reconciliation exceptions. The dedupe key is unique across the table, so keys this adapter writes are
 * scoped to the shop ("<shopId>:<key>"); those the notification handler writes are per CIP and
 * operation. History is append-only JSON on the row: detected, resolved (by whom, with what note),
 * resolved automatically (by which run). Nothing is ever deleted except with the shop.
 */
export class PrismaReconciliationExceptions implements ExceptionWriter, ExceptionBook {
  private readonly bulk: BulkSql;

  constructor(
    private readonly db: Db,
    engine: DatabaseEngine,
  ) {
    this.bulk = new BulkSql(db, engine);
  }

  static scopedKey(shopId: string, key: string): string {
    return `${shopId}:${key}`;
  }

  async record(
    shopId: string,
    exceptions: readonly NewReconciliationException[],
    options: { runId: string; at: Date; onePerCip: ReadonlySet<string> },
  ): Promise<{ inserted: NewReconciliationException[] }> {
    const inserted: NewReconciliationException[] = [];
    // Within a run the same key can come twice (e.g. notification_missing from two lines of one CIP).
    const unique = new Map<string, NewReconciliationException>();
    for (const e of exceptions) if (!unique.has(e.dedupeKey)) unique.set(e.dedupeKey, e);
    const all = [...unique.values()];
    for (let i = 0; i < all.length; i += CHUNK) {
      const chunk = all.slice(i, i + CHUNK);
      const known = await this.existingKeys(chunk.map((e) => PrismaReconciliationExceptions.scopedKey(shopId, e.dedupeKey)));
      const perCip = await this.existingKindCips(
        shopId,
        chunk.filter((e) => options.onePerCip.has(e.kind) && e.cip),
      );
      const fresh = chunk.filter((e) => {
        if (known.has(PrismaReconciliationExceptions.scopedKey(shopId, e.dedupeKey))) return false;
        if (options.onePerCip.has(e.kind) && e.cip && perCip.has(`${e.kind}:${e.cip}`)) return false;
        return true;
      });
      // One per CIP also within this batch (two lines of one unknown-to-the-ledger payment).
      const seenPerCip = new Set<string>();
      const rows: BulkRow[] = [];
      for (const e of fresh) {
        if (options.onePerCip.has(e.kind) && e.cip) {
          const key = `${e.kind}:${e.cip}`;
          if (seenPerCip.has(key)) continue;
          seenPerCip.add(key);
        }
        inserted.push(e);
        const history: ExceptionHistoryEntry[] = [{ at: options.at.toISOString(), action: "detected", by: null, note: null, runId: options.runId }];
        rows.push([
          randomUUID(),
          shopId,
          e.paymentSessionId,
          e.cip,
          e.kind,
          e.source,
          "open",
          PrismaReconciliationExceptions.scopedKey(shopId, e.dedupeKey),
          JSON.stringify(e.evidence),
          e.suggestedAction.es,
          e.suggestedAction.en,
          options.at.toISOString(),
          options.runId,
          JSON.stringify(history),
        ]);
      }
      // A concurrent writer may have stored one of these keys since: the conflict is skipped.
      await this.bulk.insert("ReconciliationException", INSERT_COLUMNS, rows, "ignore");
    }
    return { inserted };
  }

  async autoResolve(
    shopId: string,
    kinds: readonly string[],
    stillFound: ReadonlySet<string>,
    options: { runId: string; at: Date; note: string },
  ): Promise<number> {
    const open = await this.db.reconciliationException.findMany({
      where: { shopId, status: "open", kind: { in: [...kinds] }, source: { in: ["reconciliation", "settlement"] } },
      select: { id: true, dedupeKey: true, historyJson: true },
    });
    const prefix = `${shopId}:`;
    const gone = open.filter((row) => row.dedupeKey.startsWith(prefix) && !stillFound.has(row.dedupeKey.slice(prefix.length)));
    for (const row of gone) {
      const history = [...parseHistory(row.historyJson), { at: options.at.toISOString(), action: "auto_resolved", by: null, note: options.note, runId: options.runId }];
      await this.db.reconciliationException.updateMany({
        where: { id: row.id, status: "open" },
        data: { status: "resolved", resolvedAt: options.at, resolutionNote: options.note, resolvedBy: "reconciliation", historyJson: JSON.stringify(history) },
      });
    }
    return gone.length;
  }

  async list(shopId: string, filter: ExceptionFilter, page: { skip: number; take: number }): Promise<{ items: ExceptionRecord[]; total: number }> {
    const where = this.where(shopId, filter);
    const [rows, total] = await Promise.all([
      this.db.reconciliationException.findMany({ where, orderBy: [{ detectedAt: "desc" }, { id: "desc" }], skip: page.skip, take: page.take }),
      this.db.reconciliationException.count({ where }),
    ]);
    return { items: rows.map(toRecord), total };
  }

  /** Every matching exception, a page at a time, for the CSV export (keyset on detectedAt, id). */
  async *pages(shopId: string, filter: ExceptionFilter, startedAt: Date, pageSize = 1_000): AsyncGenerator<ExceptionRecord[]> {
    const where: Prisma.ReconciliationExceptionWhereInput = { AND: [this.where(shopId, filter), { detectedAt: { lte: startedAt } }] };
    let cursor: string | null = null;
    for (;;) {
      const rows: Awaited<ReturnType<Db["reconciliationException"]["findMany"]>> = await this.db.reconciliationException.findMany({
        where,
        orderBy: [{ id: "asc" }],
        take: pageSize,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      });
      if (rows.length > 0) yield rows.map(toRecord);
      if (rows.length < pageSize) return;
      cursor = rows[rows.length - 1]?.id ?? null;
    }
  }

  async find(shopId: string, id: string): Promise<ExceptionRecord | null> {
    const row = await this.db.reconciliationException.findFirst({ where: { id, shopId } });
    return row ? toRecord(row) : null;
  }

  /** Resolves an open exception with the merchant's note; null if not found, "already" if resolved. */
  async resolve(shopId: string, id: string, input: { note: string; by: string | null; at: Date }): Promise<ExceptionRecord | "already" | null> {
    const row = await this.db.reconciliationException.findFirst({ where: { id, shopId } });
    if (!row) return null;
    if (row.status === "resolved") return "already";
    const history = [...parseHistory(row.historyJson), { at: input.at.toISOString(), action: "resolved", by: input.by, note: input.note, runId: null }];
    const { count } = await this.db.reconciliationException.updateMany({
      where: { id, shopId, status: "open" },
      data: { status: "resolved", resolvedAt: input.at, resolutionNote: input.note, resolvedBy: input.by, historyJson: JSON.stringify(history) },
    });
    if (count !== 1) return "already";
    return this.find(shopId, id);
  }

  async counts(shopId: string): Promise<{ kind: string; status: string; count: number }[]> {
    const groups = await this.db.reconciliationException.groupBy({ by: ["kind", "status"], where: { shopId }, _count: { _all: true } });
    return groups.map((g) => ({ kind: g.kind, status: g.status, count: g._count._all }));
  }

  async forPayment(shopId: string, paymentSessionId: string, cip: string | null): Promise<ExceptionRecord[]> {
    const or: Prisma.ReconciliationExceptionWhereInput[] = [{ paymentSessionId }];
    if (cip) or.push({ cip });
    const rows = await this.db.reconciliationException.findMany({ where: { shopId, OR: or }, orderBy: [{ detectedAt: "asc" }, { id: "asc" }], take: 500 });
    return rows.map(toRecord);
  }

  /** Payment session id → its Shopify order's name and financial status, and the session's Shopify state, for showing next to exceptions. */
  async ordersOf(shopId: string, paymentSessionIds: readonly string[]): Promise<Map<string, ExceptionOrder>> {
    const orders = new Map<string, ExceptionOrder>();
    const ids = [...new Set(paymentSessionIds)];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const rows = await this.db.paymentSession.findMany({
        where: { shopId, id: { in: ids.slice(i, i + IN_CHUNK) } },
        select: { id: true, orderName: true, orderFinancialStatus: true, shopifyState: true },
      });
      for (const row of rows) orders.set(row.id, { orderName: row.orderName, orderFinancialStatus: row.orderFinancialStatus, shopifyState: row.shopifyState });
    }
    return orders;
  }

  private async existingKeys(keys: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    if (keys.length === 0) return found;
    const rows = await this.bulk.select([{ name: "dedupeKey", type: "text" }], `FROM "ReconciliationException" WHERE "dedupeKey" IN (${this.bulk.jsonSet(1)})`, [
      JSON.stringify(keys),
    ]);
    for (const [key] of rows) found.add(String(key));
    return found;
  }

  private async existingKindCips(shopId: string, exceptions: readonly NewReconciliationException[]): Promise<Set<string>> {
    const found = new Set<string>();
    const byKind = new Map<string, string[]>();
    for (const e of exceptions) if (e.cip) byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), e.cip]);
    for (const [kind, cips] of byKind) {
      for (let i = 0; i < cips.length; i += IN_CHUNK) {
        const rows = await this.db.reconciliationException.findMany({
          where: { shopId, kind, cip: { in: cips.slice(i, i + IN_CHUNK) } },
          select: { cip: true },
        });
        for (const row of rows) found.add(`${kind}:${row.cip ?? ""}`);
      }
    }
    return found;
  }

  private where(shopId: string, filter: ExceptionFilter): Prisma.ReconciliationExceptionWhereInput {
    const and: Prisma.ReconciliationExceptionWhereInput[] = [{ shopId }];
    if (filter.kinds && filter.kinds.length > 0) and.push({ kind: { in: [...filter.kinds] } });
    if (filter.status) and.push({ status: filter.status });
    if (filter.cip) and.push({ cip: filter.cip });
    if (filter.paymentSessionId) and.push({ paymentSessionId: filter.paymentSessionId });
    return { AND: and };
  }
}

type ExceptionRow = NonNullable<Awaited<ReturnType<Db["reconciliationException"]["findFirst"]>>>;

function toRecord(row: ExceptionRow): ExceptionRecord {
  return {
    id: row.id,
    shopId: row.shopId,
    kind: row.kind,
    source: row.source,
    status: row.status === "resolved" ? "resolved" : "open",
    cip: row.cip,
    paymentSessionId: row.paymentSessionId,
    evidence: parseObject(row.evidenceJson),
    suggestedAction: { es: row.suggestedActionEs, en: row.suggestedActionEn },
    detectedAt: row.detectedAt,
    resolvedAt: row.resolvedAt,
    resolutionNote: row.resolutionNote,
    resolvedBy: row.resolvedBy,
    runId: row.runId,
    history: historyOf(row),
  };
}

/** Exceptions written before the history column (by the notification handler) get their detection entry here. */
function historyOf(row: ExceptionRow): ExceptionHistoryEntry[] {
  const history = parseHistory(row.historyJson);
  if (history.some((entry) => entry.action === "detected")) return history;
  return [{ at: row.detectedAt.toISOString(), action: "detected", by: null, note: null, runId: row.runId }, ...history];
}

function parseHistory(json: string): ExceptionHistoryEntry[] {
  try {
    const parsed = JSON.parse(json) as unknown;
    return Array.isArray(parsed) ? (parsed as ExceptionHistoryEntry[]) : [];
  } catch {
    return [];
  }
}

function parseObject(json: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(json) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
