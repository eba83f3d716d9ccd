import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";
import pg from "pg";

import type { DatabaseEngine } from "../../config/env";
import type { Logger } from "../../lib/logger";

/**
 * Applies the migrations in prisma/migrations/<engine>/ at start-up, in order, each in its own
 * transaction, and records them in Prisma's `_prisma_migrations` table format (so
 * `prisma migrate deploy` stays usable wherever Prisma's engines can be downloaded).
 * Prisma's own migrate commands cannot run here offline on PostgreSQL; see ARCHITECTURE.md.
 * Several instances may start at once: PostgreSQL serialises them with an advisory lock,
 * SQLite with an immediate (write-locking) transaction.
 */

export const MIGRATIONS_ROOT = path.resolve(import.meta.dirname, "../../../prisma/migrations");

// The same lock key Prisma's schema engine uses, so a concurrent `prisma migrate deploy` waits too.
const ADVISORY_LOCK_KEY = 72707369;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

export function readMigrations(engine: DatabaseEngine, root = MIGRATIONS_ROOT): MigrationFile[] {
  const dir = path.join(root, engine);
  return readdirSync(dir)
    .filter((entry) => statSync(path.join(dir, entry)).isDirectory())
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

function checkHistory(migrations: MigrationFile[], rows: AppliedRow[]): Set<string> {
  const known = new Map(migrations.map((m) => [m.name, m]));
  const done = new Set<string>();
  for (const row of rows) {
    if (row.rolled_back_at) continue;
    if (!row.finished_at) {
      throw new MigrationError(
        `Migration ${row.migration_name} started but did not finish; fix the database and mark it rolled back before starting again.`,
      );
    }
    const file = known.get(row.migration_name);
    if (!file) {
      throw new MigrationError(
        `The database has migration ${row.migration_name}, which this version of the app does not know. Is an older version running against a newer database?`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(`Migration ${row.migration_name} was modified after it was applied.`);
    }
    done.add(row.migration_name);
  }
  return done;
}

export function migrateSqlite(file: string, logger: Logger, root = MIGRATIONS_ROOT): MigrationReport {
  const migrations = readMigrations("sqlite", root);
  const db = new Database(file, { timeout: 30_000 });
  try {
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "checksum" TEXT NOT NULL,
      "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL,
      "logs" TEXT,
      "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
    )`);
    const applied: string[] = [];
    let alreadyApplied = 0;
    const run = db.transaction(() => {
      const rows = db.prepare(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`).all() as AppliedRow[];
      const done = checkHistory(migrations, rows);
      alreadyApplied = done.size;
      for (const migration of migrations) {
        if (done.has(migration.name)) continue;
        const startedAt = new Date().toISOString();
        db.exec(migration.sql);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
        ).run(randomUUID(), migration.checksum, new Date().toISOString(), migration.name, startedAt);
        applied.push(migration.name);
      }
    });
    run.immediate();
    for (const name of applied) logger.info({ migration: name, engine: "sqlite" }, "applied migration");
    return { applied, alreadyApplied };
  } finally {
    db.close();
  }
}

export async function migratePostgres(url: string, logger: Logger, root = MIGRATIONS_ROOT): Promise<MigrationReport> {
  const migrations = readMigrations("postgresql", root);
  const client = new pg.Client({ connectionString: url });
  // Cut while migrating (or waiting for another instance's lock), the query in flight fails and start-up stops with
  // that error; the "error" event the cut connection also emits must be heard, or it ends the process (issue #10).
  client.on("error", (error) => logger.warn({ err: error.message, connection: "migrator" }, "database connection lost"));
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const done = checkHistory(migrations, rows);
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      const startedAt = new Date();
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)`,
          [randomUUID(), migration.checksum, migration.name, startedAt],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
      applied.push(migration.name);
      logger.info({ migration: migration.name, engine: "postgresql" }, "applied migration");
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
