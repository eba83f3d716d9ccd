import { randomBytes } from "node:crypto";
import path from "node:path";

import Database from "better-sqlite3";
import pg from "pg";

import { migrateDatabase } from "../../app/adapters/db/database";
import { silentLogger } from "../../app/lib/logger";

/**
 * The benchmark's own access to the app's database, for seeding and checking only (never on the measured
 * path): raw better-sqlite3 or pg on a database migrated with the app's migrations.
 */
export interface BenchDb {
  engine: "sqlite" | "postgresql";
  /** DATABASE_URL for the app. */
  url: string;
  exec(sql: string): Promise<void>;
  /** Runs one statement for many rows (in one transaction). `?` placeholders on both engines. */
  insertMany(sql: string, rows: unknown[][]): Promise<void>;
  get<T>(sql: string, params?: unknown[]): Promise<T>;
  close(): Promise<void>;
  drop(): Promise<void>;
}

/** The text SQLite rows hold for a DateTime (what Prisma's better-sqlite3 adapter writes). */
export function sqliteTime(d: Date): string {
  return d.toISOString().replace("Z", "+00:00");
}

/** An SQLite bench database seeded by an earlier run (bench:admin --reuse); the app migrates it at start. */
export async function openBenchDb(params: { engine: "sqlite"; dir: string; name: string }): Promise<BenchDb> {
  const file = path.join(params.dir, `${params.name}.db`);
  const db = new Database(file);
  return {
    engine: "sqlite",
    url: `file:${file}`,
    async exec(sql) {
      db.exec(sql);
    },
    async insertMany() {
      throw new Error("openBenchDb is for reading a seeded database");
    },
    async get<T>(sql: string, args: unknown[] = []) {
      return db.prepare(sql).get(...args) as T;
    },
    async close() {
      if (db.open) db.close();
    },
    async drop() {
      if (db.open) db.close();
    },
  };
}

export async function createBenchDb(params: { engine: "sqlite" | "postgresql"; dir: string; postgresUrl: string | null; name: string }): Promise<BenchDb> {
  if (params.engine === "sqlite") {
    const file = path.join(params.dir, `${params.name}.db`);
    await migrateDatabase({ engine: "sqlite", url: `file:${file}` }, silentLogger);
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    const toSqlite = (v: unknown) => (v instanceof Date ? sqliteTime(v) : typeof v === "boolean" ? (v ? 1 : 0) : v);
    return {
      engine: "sqlite",
      url: `file:${file}`,
      async exec(sql) {
        db.exec(sql);
      },
      async insertMany(sql, rows) {
        const statement = db.prepare(sql);
        db.transaction(() => {
          for (const row of rows) statement.run(...row.map(toSqlite));
        })();
      },
      async get<T>(sql: string, args: unknown[] = []) {
        return db.prepare(sql).get(...args.map(toSqlite)) as T;
      },
      async close() {
        db.close();
      },
      async drop() {
        db.close();
      },
    };
  }
  const serverUrl = params.postgresUrl ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const dbName = `pe_bench_${params.name}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  await migrateDatabase({ engine: "postgresql", url: url.toString() }, silentLogger);
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const numbered = (sql: string) => {
    let i = 0;
    return sql.replace(/\?/g, () => `$${++i}`);
  };
  let open = true;
  return {
    engine: "postgresql",
    url: url.toString(),
    async exec(sql) {
      await client.query(sql);
    },
    async insertMany(sql, rows) {
      // Many rows per statement: VALUES (...) repeated, up to PostgreSQL's 65535 parameters.
      const match = /^(.*VALUES\s*)(\(.*\))(.*)$/is.exec(sql);
      if (!match) throw new Error(`insertMany needs INSERT ... VALUES (...): ${sql}`);
      const [, head, tuple, tail] = match as unknown as [string, string, string, string];
      const width = (tuple.match(/\?/g) ?? []).length;
      const perStatement = Math.max(1, Math.floor(60_000 / Math.max(width, 1)));
      await client.query("BEGIN");
      for (let i = 0; i < rows.length; i += perStatement) {
        const chunk = rows.slice(i, i + perStatement);
        const text = `${head}${chunk.map(() => tuple).join(",")}${tail}`;
        await client.query(numbered(text), chunk.flat());
      }
      await client.query("COMMIT");
    },
    async get<T>(sql: string, args: unknown[] = []) {
      return (await client.query(numbered(sql), args)).rows[0] as T;
    },
    async close() {
      if (open) await client.end();
      open = false;
    },
    async drop() {
      if (open) await client.end();
      open = false;
      const a = new pg.Client({ connectionString: serverUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await a.end();
    },
  };
}
