import { mkdirSync } from "node:fs";
import path from "node:path";

import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

import { PrismaClient as PostgresPrismaClient } from "../../../prisma/generated/postgresql/client";
import { PrismaClient as SqlitePrismaClient } from "../../../prisma/generated/sqlite/client";
import type { DatabaseEngine } from "../../config/env";
import type { Logger } from "../../lib/logger";
import { migratePostgres, migrateSqlite, type MigrationReport } from "./migrator";

/**
 * Both generated clients expose the same model API (one schema, two providers), so the rest of
 * the data layer is written against one of the two types.
 */
export type Db = SqlitePrismaClient;
export type DbTransaction = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export interface Database {
  readonly engine: DatabaseEngine;
  readonly prisma: Db;
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
  config: { engine: DatabaseEngine; url: string; poolSize?: number },
  _logger: Logger,
): Promise<Database> {
  if (config.engine === "sqlite") {
    const file = sqliteFile(config.url);
    mkdirSync(path.dirname(file), { recursive: true });
    const prisma = new SqlitePrismaClient({ adapter: new PrismaBetterSQLite3({ url: file, timeout: 30_000 }), errorFormat: "minimal" });
    await prisma.$queryRawUnsafe("PRAGMA foreign_keys = ON");
    await prisma.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
    return wrap("sqlite", prisma);
  }
  const adapter = new PrismaPg({ connectionString: config.url, max: config.poolSize ?? 10 });
  const prisma = new PostgresPrismaClient({ adapter, errorFormat: "minimal" }) as unknown as Db;
  return wrap("postgresql", prisma);
}

function wrap(engine: DatabaseEngine, prisma: Db): Database {
  return {
    engine,
    prisma,
    async ping() {
      try {
        await prisma.$queryRawUnsafe("SELECT 1");
        return true;
      } catch {
        return false;
      }
    },
    close: () => prisma.$disconnect(),
  };
}

export function sqliteFile(url: string): string {
  return path.resolve(url.replace(/^file:/, ""));
}
