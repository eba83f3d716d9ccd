import { describe, expect, it } from "vitest";

import { SettlementFiles } from "../../../../app/adapters/settlement-files/settlement-file-reader";
import { settlementColumnMappingSchema } from "../../../../app/domain/settlement/column-mapping";
import { FixedClock } from "../../../../app/lib/clock";
import type {
  ImportProgress,
  NewSettlementLine,
  SettlementImportStore,
  SettlementLineWriter,
} from "../../../../app/ports/settlement-imports";
import { ImportSettlementFile } from "../../../../app/use-cases/import-settlement-file/import-settlement-file";
import { memorySource } from "../../../helpers/settlement-file-source";

const mapping = settlementColumnMappingSchema.parse({ columns: { cip: "CIP", amount: "Monto", paymentDate: "Fecha", operationNumber: "Operación" }, defaultCurrency: "PEN" });

/** Lines stored by (shop, key), as the unique index would. */
class MemoryLines implements SettlementLineWriter {
  readonly rows = new Map<string, NewSettlementLine & { importId: string }>();
  inserts = 0;

  async insertNew(shopId: string, importId: string, lines: readonly NewSettlementLine[]): Promise<number> {
    this.inserts += 1;
    let inserted = 0;
    for (const line of lines) {
      const key = `${shopId}|${line.lineKey}`;
      if (this.rows.has(key)) continue;
      this.rows.set(key, { ...line, importId });
      inserted += 1;
    }
    return inserted;
  }

  async ownersOf(shopId: string, keys: readonly string[]) {
    const owners = new Map<string, { importId: string; lineNumber: number }>();
    for (const key of keys) {
      const row = this.rows.get(`${shopId}|${key}`);
      if (row) owners.set(key, { importId: row.importId, lineNumber: row.lineNumber });
    }
    return owners;
  }

  async deleteImportLines(importId: string): Promise<number> {
    let count = 0;
    for (const [key, row] of this.rows) if (row.importId === importId && this.rows.delete(key)) count += 1;
    return count;
  }

  keysOf(importId: string): string[] {
    return [...this.rows.values()].filter((r) => r.importId === importId).map((r) => r.lineKey);
  }
}

function progressStore(saved: ImportProgress[]): SettlementImportStore {
  const unused = () => {
    throw new Error("not used by the importer");
  };
  return {
    create: unused,
    requeueFailed: unused,
    get: unused,
    findForShop: unused,
    findByHash: unused,
    list: unused,
    markImporting: unused,
    saveProgress: async (_id, progress) => {
      saved.push({ ...progress, errors: [...progress.errors] });
    },
    markImported: unused,
    markDone: unused,
    markFailed: unused,
    listStale: unused,
  };
}

function run(lines: MemoryLines, csv: string, importId: string, batchSize = 2, saved: ImportProgress[] = []) {
  const importer = new ImportSettlementFile({ imports: progressStore(saved), lines, files: new SettlementFiles(), clock: new FixedClock(new Date("2025-08-01T12:00:00Z")), batchSize });
  return importer.execute({ importId, shopId: "shop_1", format: "csv", mapping, sizeBytes: Buffer.byteLength(csv), file: memorySource(Buffer.from(csv)) });
}

describe("ImportSettlementFile", () => {
  it("keeps the good rows, and counts and reports bad rows with their line and reason", async () => {
    const lines = new MemoryLines();
    const saved: ImportProgress[] = [];
    const csv = ["CIP,Monto,Fecha,Operación", "1001,10.00,2025-07-01,1", "x1,10.00,2025-07-01,2", "1003,abc,2025-07-02,3", "1004,12.50,2025-07-03 08:00,4", "1005,,2025-07-03,5"].join("\n");
    const result = await run(lines, csv, "imp_a", 2, saved);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ totalRows: 5, goodRows: 2, badRows: 3, duplicateRows: 0 });
    expect(result.value.errors.map((e) => e.line)).toEqual([3, 4, 6]);
    expect(result.value.errors[2]?.reason).toBe("amount is empty");
    expect(result.value.coverage).toEqual({ from: new Date("2025-07-01T05:00:00Z"), to: new Date("2025-07-03T13:00:00Z") });
    expect(lines.keysOf("imp_a")).toEqual(["op:1001:1", "op:1004:4"]);
    // Progress is saved after each batch of stored lines, with the bytes read so far.
    expect(saved.length).toBeGreaterThanOrEqual(1);
    expect(saved.at(-1)?.goodRows).toBe(2);
    expect(saved.at(-1)?.bytesRead).toBe(Buffer.byteLength(csv));
  });

  it("fails a file whose header does not fit the mapping, with nothing stored", async () => {
    const lines = new MemoryLines();
    const result = await run(lines, "A,B,C\n1,2,3\n", "imp_b");
    expect(result).toEqual({ ok: false, error: { kind: "unreadable_file", message: expect.stringContaining('"CIP"') } });
    expect(lines.rows.size).toBe(0);
  });

  it("stores a line repeated inside the file under #2, #3 (in the same batch and across batches)", async () => {
    const lines = new MemoryLines();
    const same = "2001,10.00,2025-07-01,77";
    const csv = ["CIP,Monto,Fecha,Operación", same, same, "2002,5.00,2025-07-01,78", same].join("\n");
    const result = await run(lines, csv, "imp_c", 2);
    expect(result.ok && result.value).toMatchObject({ goodRows: 4, duplicateRows: 0 });
    expect(lines.keysOf("imp_c").sort()).toEqual(["op:2001:77", "op:2001:77#2", "op:2001:77#3", "op:2002:78"]);
  });

  it("skips lines that an earlier import stored, so overlapping files add only what is new", async () => {
    const lines = new MemoryLines();
    await run(lines, ["CIP,Monto,Fecha,Operación", "3001,10.00,2025-07-01,1", "3002,10.00,2025-07-01,2"].join("\n"), "imp_d");
    const result = await run(lines, ["CIP,Monto,Fecha,Operación", "3002,10.00,2025-07-01,2", "3003,10.00,2025-07-01,3", "3001,10.00,2025-07-01,1"].join("\n"), "imp_e");
    expect(result.ok && result.value).toMatchObject({ totalRows: 3, goodRows: 1, duplicateRows: 2 });
    expect(lines.keysOf("imp_e")).toEqual(["op:3003:3"]);
  });

  it("keys lines without an operation number by CIP, payment instant, currency and amount", async () => {
    const lines = new MemoryLines();
    const noOp = settlementColumnMappingSchema.parse({ columns: { cip: "CIP", amount: "Monto", paymentDate: "Fecha" }, defaultCurrency: "USD" });
    const importer = new ImportSettlementFile({ imports: progressStore([]), lines, files: new SettlementFiles(), clock: new FixedClock(new Date()) });
    const csv = "CIP,Monto,Fecha\n4001,7.25,2025-07-01 10:00\n";
    await importer.execute({ importId: "imp_f", shopId: "shop_1", format: "csv", mapping: noOp, sizeBytes: csv.length, file: memorySource(Buffer.from(csv)) });
    expect(lines.keysOf("imp_f")).toEqual(["dt:4001:2025-07-01T15:00:00.000Z:USD:725"]);
  });

  it("stops between batches when aborted", async () => {
    const lines = new MemoryLines();
    const controller = new AbortController();
    controller.abort();
    const importer = new ImportSettlementFile({ imports: progressStore([]), lines, files: new SettlementFiles(), clock: new FixedClock(new Date()), batchSize: 1 });
    const csv = "CIP,Monto,Fecha,Operación\n5001,1.00,2025-07-01,1\n5002,1.00,2025-07-01,2\n";
    const result = await importer.execute({ importId: "imp_g", shopId: "shop_1", format: "csv", mapping, sizeBytes: csv.length, file: memorySource(Buffer.from(csv)), signal: controller.signal });
    expect(result.ok ? null : result.error.kind).toBe("aborted");
  });
});
