import Database from "better-sqlite3";
import pg from "pg";

import { scenarioFiles } from "./scenario";

/**
 * Child process (bench:reconcile --postgres): copies the scenario from its SQLite file into a PostgreSQL
 * database already migrated with the app's migrations (setup, not measured). Same rows, same values:
 * timestamps are ISO text in UTC on both sides, booleans and bytes converted. Prints one JSON line.
 */
const TABLES = ["Shop", "FeeScheduleEntry", "PaymentSession", "PagoEfectivoNotification"] as const;
const ROWS_PER_STATEMENT = 2_000;

async function main(): Promise<void> {
  const [dir, url] = process.argv.slice(2);
  if (!dir || !url) throw new Error("usage: postgres-scenario <scenario dir> <postgresql url>");
  const sqlite = new Database(scenarioFiles(dir).dbFile, { readonly: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const copied: Record<string, number> = {};
  try {
    for (const table of TABLES) {
      const types = new Map(
        (await client.query<{ column_name: string; data_type: string }>(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1`, [table])).rows.map(
          (r) => [r.column_name, r.data_type],
        ),
      );
      const statement = sqlite.prepare(`SELECT * FROM "${table}"`);
      const columns = statement.columns().map((c) => c.name).filter((name) => types.has(name));
      const list = columns.map((c) => `"${c}"`).join(", ");
      const insert = `INSERT INTO "${table}" (${list}) SELECT ${list} FROM json_populate_recordset(NULL::"${table}", $1::json)`;
      let chunk: Record<string, unknown>[] = [];
      let count = 0;
      const flush = async () => {
        if (chunk.length === 0) return;
        await client.query(insert, [JSON.stringify(chunk)]);
        count += chunk.length;
        chunk = [];
      };
      for (const row of statement.iterate() as Iterable<Record<string, unknown>>) {
        const out: Record<string, unknown> = {};
        for (const column of columns) out[column] = convert(row[column], types.get(column));
        chunk.push(out);
        if (chunk.length >= ROWS_PER_STATEMENT) await flush();
      }
      await flush();
      copied[table] = count;
    }
    await client.query("ANALYZE");
  } finally {
    await client.end();
    sqlite.close();
  }
  process.stdout.write(`${JSON.stringify(copied)}\n`);
}

function convert(value: unknown, type: string | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (type === "boolean") return value === 1 || value === true;
  if (type === "bytea") return `\\x${Buffer.from(value as Uint8Array).toString("hex")}`;
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
