import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";

import type { DatabaseEngine } from "../../app/config/env";

/**
 * A fresh, empty database for one test file: a temporary SQLite file, or, when TEST_DATABASE_URL
 * points at a PostgreSQL server, a new database created on that server and dropped afterwards.
 * The app migrates it with the same migrations production uses (never `db push`).
 */
export interface TestDatabase {
  engine: DatabaseEngine;
  url: string;
  drop(): Promise<void>;
}

export function testEngine(): DatabaseEngine {
  return process.env.TEST_DATABASE_URL ? "postgresql" : "sqlite";
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(path.join(tmpdir(), "pe-test-db-"));
    return {
      engine: "sqlite",
      url: `file:${path.join(dir, "test.db")}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `pe_test_${Date.now()}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    engine: "postgresql",
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      // A pool's end() resolves once its clients are told to close, before the server has let them go; FORCE would
      // terminate those (57P01) and a client no longer listened to would throw it. Give them up to 2 s to leave.
      for (let waited = 0; waited < 2_000; waited += 50) {
        const left = await client.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1`, [name]);
        if (Number(left.rows[0]?.n ?? 0) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
