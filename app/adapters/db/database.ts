import { mkdirSync } from "node:fs";
import path from "node:path";

import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type BetterSqlite3 from "better-sqlite3";

import { PrismaClient as PostgresPrismaClient } from "../../../prisma/generated/postgresql/client";
import { PrismaClient as SqlitePrismaClient } from "../../../prisma/generated/sqlite/client";
import type { DatabaseEngine } from "../../config/env";
import type { Logger } from "../../lib/logger";
import { migratePostgres, migrateSqlite, type MigrationReport } from "./migrator";
import { connectionLostLogger, guardedPool, type PgTimeouts } from "./pg-connections";
import { PgDriver, type SqlDriver, SqliteDriver } from "./sql/sql-driver";
import { installBusyCircuit } from "./sqlite-busy-circuit";
import { startSearchIndex } from "./sqlite-search-index";
import { SqliteWalCheckpointer } from "./sqlite-wal-checkpointer";

/**
 * Both generated clients expose the same model API (one schema, two providers), so the rest of
 * the data layer is written against one of the two types.
 */
export type Db = SqlitePrismaClient;
export type DbTransaction = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export interface Database {
  readonly engine: DatabaseEngine;
  readonly prisma: Db;
  /** The driver under Prisma, for the hot paths (app/adapters/db/sql/). */
  readonly driver: SqlDriver;
  /** SQLite: the worker thread that checkpoints the WAL (sqlite-wal-checkpointer.ts); null on PostgreSQL. */
  readonly walCheckpointer: SqliteWalCheckpointer | null;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export async function migrateDatabase(
  config: { engine: DatabaseEngine; url: string },
  logger: Logger,
  migrationsRoot?: string,
): Promise<MigrationReport> {
  if (config.engine === "sqlite") {
    const file = sqliteFile(config.url);
    mkdirSync(path.dirname(file), { recursive: true });
    return migrateSqlite(file, logger, migrationsRoot);
  }
  return migratePostgres(config.url, logger, migrationsRoot);
}

export async function openDatabase(
  config: { engine: DatabaseEngine; url: string; poolSize?: number } & PgTimeouts,
  logger: Logger,
): Promise<Database> {
  if (config.engine === "sqlite") {
    const file = sqliteFile(config.url);
    mkdirSync(path.dirname(file), { recursive: true });
    const captured = captureSqliteConnection(new PrismaBetterSQLite3({ url: file, timeout: SQLITE_BUSY_TIMEOUT_MS }));
    const prisma = new SqlitePrismaClient({ adapter: captured.factory, errorFormat: "minimal" });
    await prisma.$queryRawUnsafe("PRAGMA foreign_keys = ON");
    await prisma.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
    // WAL checkpoints in a worker thread, not inside a COMMIT on the event loop (issue #13).
    const checkpointer = new SqliteWalCheckpointer(file, captured.connection(), logger);
    const driver = new SqliteDriver(captured.connection());
    // The admin search's index, kept by a worker thread off the write path (sqlite-search-index.ts).
    const search = startSearchIndex(file, driver, logger);
    return wrap("sqlite", prisma, driver, checkpointer, () => search.stop());
  }
  // Both pools hear their connections' "error" and give back a cut one (pg-connections.ts, issue #10).
  const lost = connectionLostLogger(logger);
  const pool = guardedPool({ connectionString: config.url, max: config.poolSize ?? 10 }, "prisma", lost, config);
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const prisma = new PostgresPrismaClient({ adapter, errorFormat: "minimal" }) as unknown as Db;
  return wrap("postgresql", prisma, new PgDriver(config.url, config.poolSize ?? 10, lost, config), null);
}

/**
 * How long a statement on Prisma's paths waits for another process's SQLite write lock. The wait happens inside
 * the synchronous better-sqlite3 call, so it blocks the whole event loop: short, so a locked database fails
 * requests fast (503) instead of freezing the process (issue #10). In one process there is one connection, so
 * only another process can hold the lock. The group-commit writer does not wait here at all (sqlite-group-commit.ts).
 */
const SQLITE_BUSY_TIMEOUT_MS = 2_000;
/** Once a statement met the lock past SQLITE_BUSY_TIMEOUT_MS, each waits only this long until a write succeeds (sqlite-busy-circuit.ts). */
const SQLITE_BUSY_SHORT_MS = 100;

type SqliteAdapterFactory = InstanceType<typeof PrismaBetterSQLite3>;

/**
 * Prisma's better-sqlite3 adapter opens its own connection; the driver layer must use that same
 * connection (one writer per process, see sql/sqlite-group-commit.ts), so the factory is wrapped to keep
 * the adapter it creates. The adapter's `client` is the better-sqlite3 Database.
 */
function captureSqliteConnection(factory: SqliteAdapterFactory): { factory: SqliteAdapterFactory; connection(): BetterSqlite3.Database } {
  let client: BetterSqlite3.Database | null = null;
  const wrapped = Object.create(factory) as SqliteAdapterFactory;
  wrapped.connect = async () => {
    const adapter = await factory.connect();
    client = (adapter as unknown as { client: BetterSqlite3.Database }).client;
    installBusyCircuit(client, SQLITE_BUSY_TIMEOUT_MS, SQLITE_BUSY_SHORT_MS);
    return adapter;
  };
  return {
    factory: wrapped,
    connection() {
      if (!client) throw new Error("Prisma has not opened its SQLite connection yet");
      return client;
    },
  };
}

function wrap(
  engine: DatabaseEngine,
  prisma: Db,
  driver: SqlDriver,
  walCheckpointer: SqliteWalCheckpointer | null,
  beforeClose: () => Promise<void> = async () => {},
): Database {
  return {
    engine,
    prisma,
    driver,
    walCheckpointer,
    async ping() {
      try {
        await prisma.$queryRawUnsafe("SELECT 1");
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await beforeClose();
      await driver.close();
      // Before the app's connection closes: closing last, it checkpoints what is left and removes the WAL file.
      await walCheckpointer?.stop();
      await prisma.$disconnect();
    },
  };
}

export function sqliteFile(url: string): string {
  return path.resolve(url.replace(/^file:/, ""));
}
