import type { Database } from "../adapters/db/database";
import { readMigrations } from "../adapters/db/migrator";

/**
 * For /readyz: the migrations this code ships that the database has not recorded as applied.
 * Once it has seen none missing it stops asking (an applied migration does not come undone).
 */
export function pendingMigrationsCheck(db: Database): () => Promise<string[]> {
  const expected = readMigrations(db.engine).map((m) => m.name);
  let upToDate = false;
  return async () => {
    if (upToDate) return [];
    const rows = await db.prisma.$queryRawUnsafe<Array<{ migration_name: string }>>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    const missing = expected.filter((name) => !applied.has(name));
    upToDate = missing.length === 0;
    return missing;
  };
}
