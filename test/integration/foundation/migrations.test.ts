import { cpSync,mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { migrateDatabase, openDatabase } from "../../../app/adapters/db/database";
import { MIGRATIONS_ROOT } from "../../../app/adapters/db/migrator";
import { silentLogger } from "../../../app/lib/logger";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-database";

describe("start-up migrations", () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it("applies every migration once, in Prisma's _prisma_migrations format, and is idempotent", async () => {
    const first = await migrateDatabase({ engine: db.engine, url: db.url }, silentLogger);
    expect(first.applied.length).toBeGreaterThan(0);
    const second = await migrateDatabase({ engine: db.engine, url: db.url }, silentLogger);
    expect(second.applied).toEqual([]);
    const opened = await openDatabase({ engine: db.engine, url: db.url }, silentLogger);
    const rows = await opened.prisma.$queryRawUnsafe<Array<{ migration_name: string; checksum: string }>>(
      `SELECT migration_name, checksum FROM "_prisma_migrations"`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first.applied);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
    expect(await opened.prisma.shop.count()).toBe(0);
    await opened.close();
  });

  it("lets several instances start at once without applying anything twice", async () => {
    const reports = await Promise.all([1, 2, 3].map(() => migrateDatabase({ engine: db.engine, url: db.url }, silentLogger)));
    const applied = reports.flatMap((r) => r.applied);
    expect(new Set(applied).size).toBe(applied.length);
  });

  it("refuses to start when an applied migration was edited afterwards", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "pe-migrations-"));
    try {
      cpSync(MIGRATIONS_ROOT, root, { recursive: true });
      await migrateDatabase({ engine: db.engine, url: db.url }, silentLogger, root);
      const dir = path.join(root, db.engine);
      const { readdirSync } = await import("node:fs");
      const first = readdirSync(dir).filter((d) => !d.includes(".")).sort()[0] ?? "";
      writeFileSync(path.join(dir, first, "migration.sql"), "-- edited\n", { flag: "a" });
      await expect(migrateDatabase({ engine: db.engine, url: db.url }, silentLogger, root)).rejects.toThrow(/modified after it was applied/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
