import { randomUUID } from "node:crypto";

import type { RunRecord, RunStats, RunStore, RunTrigger } from "../../ports/reconciliation";
import type { RunHistory } from "../../ports/reconciliation-admin";
import type { Db } from "./database";

type RunRow = NonNullable<Awaited<ReturnType<Db["reconciliationRun"]["findFirst"]>>>;

/** Reconciliation runs: when, why (schedule, manual, import), how it went and what it found. */
export class PrismaReconciliationRuns implements RunStore, RunHistory {
  constructor(private readonly db: Db) {}

  async create(shopId: string, trigger: RunTrigger, at: Date): Promise<RunRecord> {
    const row = await this.db.reconciliationRun.create({
      data: { id: randomUUID(), shopId, trigger, status: "queued", startedAt: at, statsJson: "{}" },
    });
    return toRecord(row);
  }

  async markRunning(runId: string, at: Date): Promise<void> {
    await this.db.reconciliationRun.update({ where: { id: runId }, data: { status: "running", startedAt: at } });
  }

  async finish(runId: string, stats: RunStats, at: Date): Promise<void> {
    await this.db.reconciliationRun.update({ where: { id: runId }, data: { status: "done", finishedAt: at, statsJson: JSON.stringify(stats) } });
  }

  async fail(runId: string, error: string, at: Date): Promise<void> {
    await this.db.reconciliationRun.update({ where: { id: runId }, data: { status: "failed", finishedAt: at, error: error.slice(0, 1000) } });
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
      where: { status: { in: ["queued", "running"] }, startedAt: { lt: before } },
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
