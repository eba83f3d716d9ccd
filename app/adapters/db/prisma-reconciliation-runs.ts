import { randomUUID } from "node:crypto";

import type { ManualRunStore, RunRecord, RunStats, RunStore, RunTrigger } from "../../ports/reconciliation";
import type { RunHistory } from "../../ports/reconciliation-admin";
import type { Db } from "./database";
import { isUniqueViolation } from "./prisma-errors";

type RunRow = NonNullable<Awaited<ReturnType<Db["reconciliationRun"]["findFirst"]>>>;

/** Reconciliation runs: when, why (schedule, manual, import), how it went and what it found. */
export class PrismaReconciliationRuns implements RunStore, ManualRunStore, RunHistory {
  constructor(private readonly db: Db) {}

  async create(shopId: string, trigger: RunTrigger, at: Date): Promise<RunRecord> {
    const row = await this.db.reconciliationRun.create({
      data: { id: randomUUID(), shopId, trigger, status: "queued", startedAt: at, statsJson: "{}" },
    });
    return toRecord(row);
  }

  /**
   * The partial unique index "ReconciliationRun_one_active_manual" (migration 20261204172500_one_active_manual_run)
   * lets one manual run per shop be queued or running: the insert that loses answers the winner's run.
   */
  async createManual(shopId: string, at: Date, staleBefore: Date): Promise<{ run: RunRecord; created: boolean }> {
    // A few tries: the active run may finish, or be failed as stale, between the refused insert and the look-up.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      try {
        return { run: await this.create(shopId, "manual", at), created: true };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const active = await this.db.reconciliationRun.findFirst({ where: { shopId, trigger: "manual", status: { in: ["queued", "running"] } } });
      if (!active) continue;
      if ((active.heartbeatAt ?? active.startedAt) >= staleBefore) return { run: toRecord(active), created: false };
      // Only this row, and only if nobody moved it on meanwhile (another instance failing it too, or it starting).
      await this.db.reconciliationRun.updateMany({
        where: { id: active.id, status: active.status, startedAt: active.startedAt, heartbeatAt: active.heartbeatAt },
        data: { status: "failed", finishedAt: at, error: "The instance running it stopped" },
      });
    }
    throw new Error(`could not queue a manual run for shop ${shopId}: the shop's active run kept changing`);
  }

  /** A run already failed as abandoned (createManual, failAbandoned) stays failed: reviving it could make two active. */
  async markRunning(runId: string, at: Date): Promise<void> {
    await this.db.reconciliationRun.updateMany({ where: { id: runId, status: { in: ["queued", "running"] } }, data: { status: "running", startedAt: at } });
  }

  async finish(runId: string, stats: RunStats, at: Date): Promise<void> {
    await this.db.reconciliationRun.update({ where: { id: runId }, data: { status: "done", finishedAt: at, statsJson: JSON.stringify(stats) } });
  }

  async fail(runId: string, error: string, at: Date): Promise<void> {
    await this.db.reconciliationRun.update({ where: { id: runId }, data: { status: "failed", finishedAt: at, error: error.slice(0, 1000) } });
  }

  async heartbeat(runIds: readonly string[], at: Date): Promise<void> {
    if (runIds.length === 0) return;
    await this.db.reconciliationRun.updateMany({ where: { id: { in: [...runIds] }, status: { in: ["queued", "running"] } }, data: { heartbeatAt: at } });
  }

  async list(shopId: string, page: { skip: number; take: number }): Promise<{ items: RunRecord[]; total: number }> {
    const [rows, total] = await Promise.all([
      this.db.reconciliationRun.findMany({ where: { shopId }, orderBy: [{ startedAt: "desc" }, { id: "desc" }], skip: page.skip, take: page.take }),
      this.db.reconciliationRun.count({ where: { shopId } }),
    ]);
    return { items: rows.map(toRecord), total };
  }

  async find(shopId: string, id: string): Promise<RunRecord | null> {
    const row = await this.db.reconciliationRun.findFirst({ where: { id, shopId } });
    return row ? toRecord(row) : null;
  }

  async latest(shopId: string, trigger?: RunTrigger): Promise<RunRecord | null> {
    const row = await this.db.reconciliationRun.findFirst({ where: { shopId, ...(trigger ? { trigger } : {}) }, orderBy: [{ startedAt: "desc" }, { id: "desc" }] });
    return row ? toRecord(row) : null;
  }

  /** The newest run queued or going for the shop, if any (the panel follows it). */
  async active(shopId: string): Promise<RunRecord | null> {
    const row = await this.db.reconciliationRun.findFirst({
      where: { shopId, status: { in: ["queued", "running"] } },
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    });
    return row ? toRecord(row) : null;
  }

  /** Runs left queued or running by an instance that stopped: marked failed so the list does not show them forever. */
  async failAbandoned(before: Date, at: Date): Promise<number> {
    const { count } = await this.db.reconciliationRun.updateMany({
      where: {
        status: { in: ["queued", "running"] },
        OR: [{ heartbeatAt: { lt: before } }, { heartbeatAt: null, startedAt: { lt: before } }],
      },
      data: { status: "failed", finishedAt: at, error: "The instance running it stopped" },
    });
    return count;
  }
}

function toRecord(row: RunRow): RunRecord {
  let stats: Partial<RunStats> = {};
  try {
    stats = JSON.parse(row.statsJson) as Partial<RunStats>;
  } catch {
    stats = {};
  }
  return {
    id: row.id,
    shopId: row.shopId,
    trigger: row.trigger === "schedule" || row.trigger === "import" ? row.trigger : "manual",
    status: row.status === "done" || row.status === "failed" || row.status === "queued" ? row.status : "running",
    error: row.error,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    stats,
  };
}
