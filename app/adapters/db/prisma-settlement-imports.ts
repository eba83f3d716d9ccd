import type {
  ImportProgress,
  ImportRowError,
  ImportStatus,
  NewSettlementImport,
  SettlementFileFormat,
  SettlementImportRecord,
  SettlementImportStore,
} from "../../ports/settlement-imports";
import { settlementColumnMappingSchema } from "../settlement-files/column-mapping";
import type { Db } from "./database";
import { isUniqueViolation } from "./prisma-errors";

type ImportRow = NonNullable<Awaited<ReturnType<Db["settlementImport"]["findUnique"]>>>;

const UNFINISHED: ImportStatus[] = ["queued", "importing", "reconciling"];

/** Settlement imports: one row per file (unique per shop and file hash), with the progress the panel polls. */
export class PrismaSettlementImports implements SettlementImportStore {
  constructor(private readonly db: Db) {}

  async create(input: NewSettlementImport): Promise<{ created: true; record: SettlementImportRecord } | { created: false; existing: SettlementImportRecord }> {
    const existing = await this.findByHash(input.shopId, input.fileHash);
    if (existing) return { created: false, existing };
    try {
      const row = await this.db.settlementImport.create({ data: newRow(input) });
      return { created: true, record: toRecord(row) };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.findByHash(input.shopId, input.fileHash);
      if (!winner) throw error;
      return { created: false, existing: winner };
    }
  }

  async requeueFailed(id: string, input: NewSettlementImport): Promise<SettlementImportRecord | null> {
    const { count } = await this.db.settlementImport.updateMany({
      where: { id, shopId: input.shopId, status: "failed" },
      data: { ...newRow(input), id },
    });
    return count === 1 ? this.get(id) : null;
  }

  async get(id: string): Promise<SettlementImportRecord | null> {
    const row = await this.db.settlementImport.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  async findForShop(shopId: string, id: string): Promise<SettlementImportRecord | null> {
    const row = await this.db.settlementImport.findFirst({ where: { id, shopId } });
    return row ? toRecord(row) : null;
  }

  async findByHash(shopId: string, fileHash: string): Promise<SettlementImportRecord | null> {
    const row = await this.db.settlementImport.findUnique({ where: { shopId_fileHash: { shopId, fileHash } } });
    return row ? toRecord(row) : null;
  }

  async list(shopId: string, page: { skip: number; take: number }): Promise<{ items: SettlementImportRecord[]; total: number }> {
    const [rows, total] = await Promise.all([
      this.db.settlementImport.findMany({ where: { shopId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: page.skip, take: page.take }),
      this.db.settlementImport.count({ where: { shopId } }),
    ]);
    return { items: rows.map(toRecord), total };
  }

  async markImporting(id: string, at: Date): Promise<void> {
    await this.db.settlementImport.update({ where: { id }, data: { status: "importing", startedAt: at, heartbeatAt: at } });
  }

  async saveProgress(id: string, progress: ImportProgress): Promise<void> {
    await this.db.settlementImport.update({ where: { id }, data: { ...progressData(progress), heartbeatAt: progress.at } });
  }

  async markImported(id: string, progress: ImportProgress, coverage: { from: Date; to: Date } | null, status: "reconciling" | "done"): Promise<void> {
    await this.db.settlementImport.update({
      where: { id },
      data: {
        ...progressData(progress),
        status,
        coverageFrom: coverage?.from ?? null,
        coverageTo: coverage?.to ?? null,
        heartbeatAt: progress.at,
        ...(status === "done" ? { finishedAt: progress.at } : {}),
      },
    });
  }

  async markDone(id: string, runId: string | null, at: Date): Promise<void> {
    await this.db.settlementImport.update({ where: { id }, data: { status: "done", reconciliationRunId: runId, finishedAt: at, heartbeatAt: at } });
  }

  async markFailed(id: string, reason: string, at: Date): Promise<void> {
    await this.db.settlementImport.update({
      where: { id },
      data: { status: "failed", failureReason: reason.slice(0, 1000), finishedAt: at, heartbeatAt: at, goodRows: 0, duplicateRows: 0 },
    });
  }

  async listStale(before: Date): Promise<SettlementImportRecord[]> {
    const rows = await this.db.settlementImport.findMany({
      where: { status: { in: UNFINISHED }, OR: [{ heartbeatAt: null, createdAt: { lt: before } }, { heartbeatAt: { lt: before } }] },
      take: 100,
    });
    return rows.map(toRecord);
  }

  /** Payment dates covered by the shop's imported files: the span reconciliation expects lines for. */
  async coverage(shopId: string): Promise<{ from: Date; to: Date } | null> {
    const found = await this.db.settlementImport.aggregate({
      where: { shopId, status: { in: ["reconciling", "done"] } },
      _min: { coverageFrom: true },
      _max: { coverageTo: true },
    });
    const from = found._min.coverageFrom;
    const to = found._max.coverageTo;
    return from && to ? { from, to } : null;
  }

  /** The shop's imports whose lines count (imported, reconciling or done), oldest first. */
  async importedIds(shopId: string): Promise<string[]> {
    const rows = await this.db.settlementImport.findMany({
      where: { shopId, status: { in: ["importing", "reconciling", "done"] } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }
}

function newRow(input: NewSettlementImport) {
  return {
    id: input.id,
    shopId: input.shopId,
    fileName: input.fileName,
    fileHash: input.fileHash,
    format: input.format,
    status: "queued",
    sizeBytes: input.sizeBytes,
    bytesRead: 0,
    totalRows: 0,
    goodRows: 0,
    badRows: 0,
    duplicateRows: 0,
    errorsJson: "[]",
    mappingJson: JSON.stringify(input.mapping),
    failureReason: null,
    coverageFrom: null,
    coverageTo: null,
    reconciliationRunId: null,
    createdBy: input.createdBy,
    createdAt: input.createdAt,
    startedAt: null,
    heartbeatAt: input.createdAt,
    finishedAt: null,
  };
}

function progressData(progress: ImportProgress) {
  return {
    totalRows: progress.totalRows,
    goodRows: progress.goodRows,
    badRows: progress.badRows,
    duplicateRows: progress.duplicateRows,
    bytesRead: progress.bytesRead,
    errorsJson: JSON.stringify(progress.errors),
  };
}

function toRecord(row: ImportRow): SettlementImportRecord {
  const mapping = row.mappingJson ? settlementColumnMappingSchema.safeParse(safeJson(row.mappingJson)) : null;
  return {
    id: row.id,
    shopId: row.shopId,
    fileName: row.fileName,
    fileHash: row.fileHash,
    format: (row.format === "xlsx" ? "xlsx" : "csv") satisfies SettlementFileFormat,
    status: toStatus(row.status),
    sizeBytes: row.sizeBytes,
    bytesRead: row.bytesRead,
    totalRows: row.totalRows,
    goodRows: row.goodRows,
    badRows: row.badRows,
    duplicateRows: row.duplicateRows,
    errors: parseErrors(row.errorsJson),
    mapping: mapping?.success ? mapping.data : null,
    failureReason: row.failureReason,
    coverageFrom: row.coverageFrom,
    coverageTo: row.coverageTo,
    reconciliationRunId: row.reconciliationRunId,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

function toStatus(status: string): ImportStatus {
  return (["queued", "importing", "reconciling", "done", "failed"] as const).find((s) => s === status) ?? "failed";
}

function parseErrors(json: string): ImportRowError[] {
  const parsed = safeJson(json);
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(
    (e): e is ImportRowError => typeof e === "object" && e !== null && typeof (e as ImportRowError).line === "number" && typeof (e as ImportRowError).reason === "string",
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
