import type { DatabaseEngine } from "../../config/env";
import type { Db } from "./database";
import type { SqliteDriver, SqlValue } from "./sql/sql-driver";

/**
 * Bulk reads and writes for settlement lines, the ledger and exceptions, through the same Prisma client
 * as everything else but with one JSON parameter per batch.
 *
 * Why: measured on this machine with Prisma 6.19's JS query compiler, `createMany` costs about 300 µs per
 * row on SQLite (every value is planned and serialized one by one; batch size does not matter) and a
 * multi-row `$executeRaw` with one parameter per value about 60 µs; a million-line settlement file would
 * take minutes. Packing a batch into a single JSON text parameter and letting the database unpack it
 * (SQLite `json_each`, PostgreSQL `json_array_elements`) costs about 14 µs per row, close to raw
 * better-sqlite3 (11 µs). Reads are the mirror image: the page is aggregated into one JSON text value
 * (SQLite `json_group_array`, PostgreSQL `json_agg`) and parsed with JSON.parse, 3.4 µs per row against
 * 9.6 µs for findMany. Only the bulk paths use this; everything else uses the model API.
 */

export type ColumnType = "text" | "int" | "timestamp" | "bool";

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  /** For select(): an SQL expression instead of the quoted column name (e.g. a qualified column of a join). */
  readonly expr?: string;
}

/** A row for insert(): values in column order; timestamps as ISO strings, booleans as booleans. */
export type BulkRow = readonly (string | number | boolean | Date | null)[];

/**
 * Rows per JSON text value. V8 allocates strings above ~128 KB in its large-object space, which only a full
 * collection frees; a page as one 1.5 MB string per query left hundreds of MB of dead strings waiting
 * there during a million-line run. Chunks of 256 rows (~50 KB) die young.
 */
const JSON_CHUNK_ROWS = 256;

export class BulkSql {
  /**
   * @param sqlite SQLite only, optional: the driver under Prisma (the same connection). Given, select() reads
   * rows straight from a prepared statement, skipping the JSON aggregation and Prisma's per-query work: a
   * million-row reconciliation read costs about half as much CPU. PostgreSQL keeps json_agg (one value per
   * chunk of rows is cheaper over the wire than a row each).
   */
  constructor(
    private readonly db: Db,
    readonly engine: DatabaseEngine,
    private readonly sqlite: SqliteDriver | null = null,
  ) {}

  /** `$n` for PostgreSQL, `?` for SQLite. */
  param(index: number): string {
    return this.engine === "postgresql" ? `$${index}` : "?";
  }

  /**
   * Inserts the rows in one statement. `onConflict: "ignore"` skips rows that violate any unique
   * constraint (INSERT ... ON CONFLICT DO NOTHING on both engines). Returns the number of rows inserted.
   */
  async insert(table: string, columns: readonly ColumnSpec[], rows: readonly BulkRow[], onConflict: "ignore" | "error"): Promise<number> {
    if (rows.length === 0) return 0;
    const source = this.jsonSource(rows, 1);
    const names = columns.map((c) => quote(c.name)).join(", ");
    const values = columns.map((c, i) => this.field(i, c.type)).join(", ");
    const sql = `INSERT INTO ${quote(table)} (${names}) SELECT ${values} FROM ${source.sql} WHERE true${onConflict === "ignore" ? " ON CONFLICT DO NOTHING" : ""}`;
    return Number(await this.db.$executeRawUnsafe(sql, ...source.params));
  }

  /**
   * The rows as a derived table `u` with one JSON array per row in column `e`, fed by one text parameter
   * per chunk of rows starting at parameter `firstParam`. Read the values with field(). ("WHERE true" after
   * it keeps SQLite from reading a following ON CONFLICT as a join constraint.)
   */
  jsonSource(rows: readonly BulkRow[], firstParam: number): { sql: string; params: string[] } {
    const params: string[] = [];
    for (let i = 0; i < rows.length; i += JSON_CHUNK_ROWS) params.push(JSON.stringify(rows.slice(i, i + JSON_CHUNK_ROWS)));
    const selects = params.map((_, i) =>
      this.engine === "postgresql" ? `SELECT e FROM json_array_elements($${firstParam + i}::json) AS e` : "SELECT value AS e FROM json_each(?)",
    );
    return { sql: `(${selects.join(" UNION ALL ")}) AS u`, params };
  }

  /** Value `index` of the row in jsonSource's `u.e`, as SQL of the column's type. */
  field(index: number, type: ColumnType): string {
    if (this.engine === "postgresql") return `(u.e->>${index})::${pgType(type)}`;
    // ->> gives SQL values: JSON numbers become INTEGER, true/false become 1/0, strings TEXT, null NULL.
    return type === "bool" ? `((u.e->>${index}) != 0)` : `(u.e->>${index})`;
  }

  /**
   * Runs `SELECT <columns> <rest>` and returns its rows as arrays in column order, aggregated into JSON by
   * the database. `rest` starts at FROM and may hold WHERE / ORDER BY / LIMIT with placeholders from
   * param(). Timestamps come back as epoch milliseconds (null stays null), booleans as booleans. Both
   * engines aggregate a sorted subquery in its order in practice, but SQL does not promise it: callers that
   * page take their cursor from the largest key, not the last row.
   */
  async select(columns: readonly ColumnSpec[], rest: string, params: readonly unknown[]): Promise<unknown[][]> {
    const inner = columns.map((c, i) => `${this.readExpression(c)} AS c${i}`).join(", ");
    if (this.sqlite && this.engine === "sqlite") {
      const rows = this.sqlite.rowsSync(`SELECT ${inner} ${rest}`, params as SqlValue[]);
      const booleans = columns.flatMap((c, i) => (c.type === "bool" ? [i] : []));
      if (booleans.length > 0) for (const row of rows) for (const i of booleans) row[i] = row[i] === null ? null : row[i] === true || row[i] === 1;
      return rows;
    }
    const positions = columns.map((_, i) => `c${i}`).join(", ");
    const sql =
      this.engine === "postgresql"
        ? `SELECT COALESCE(json_agg(json_build_array(${positions})), '[]'::json)::text AS j FROM (SELECT *, (row_number() OVER () - 1) / ${JSON_CHUNK_ROWS} AS chunk FROM (SELECT ${inner} ${rest}) q) t GROUP BY chunk ORDER BY chunk`
        : `SELECT json_group_array(json_array(${positions})) AS j FROM (SELECT *, (row_number() OVER () - 1) / ${JSON_CHUNK_ROWS} AS chunk FROM (SELECT ${inner} ${rest})) GROUP BY chunk ORDER BY chunk`;
    const result = await this.db.$queryRawUnsafe<{ j: string | null }[]>(sql, ...params);
    const timestamps: number[] = [];
    const booleans: number[] = [];
    columns.forEach((c, i) => {
      if (c.type === "timestamp") timestamps.push(i);
      else if (c.type === "bool") booleans.push(i);
    });
    const rows: unknown[][] = [];
    for (const { j } of result) {
      for (const row of JSON.parse(j ?? "[]") as unknown[][]) {
        for (const i of timestamps) row[i] = toEpochMs(row[i]);
        for (const i of booleans) row[i] = row[i] === null ? null : row[i] === true || row[i] === 1;
        rows.push(row);
      }
    }
    return rows;
  }

  /** Timestamps are read as epoch milliseconds computed by the database: cheaper than parsing text in JS. */
  private readExpression(column: ColumnSpec): string {
    const expr = column.expr ?? quote(column.name);
    if (column.type !== "timestamp") return expr;
    return this.engine === "postgresql"
      ? `ROUND(EXTRACT(EPOCH FROM ${expr}) * 1000)::bigint`
      : `CAST(ROUND(unixepoch(${expr}, 'subsec') * 1000) AS INTEGER)`;
  }

  /** A JSON array parameter usable as a set: `x IN (<jsonSet(n)>)` with the array bound at position n. */
  jsonSet(index: number): string {
    return this.engine === "postgresql" ? `SELECT json_array_elements_text($${index}::json)` : "SELECT value FROM json_each(?)";
  }
}

export function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

function pgType(type: ColumnType): string {
  switch (type) {
    case "text":
      return "text";
    case "int":
      return "integer";
    case "timestamp":
      return "timestamp(3)";
    case "bool":
      return "boolean";
  }
}

/** Timestamps arrive as epoch milliseconds (see readExpression); ISO text is still accepted. */
function toEpochMs(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  const text = String(value);
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? null : ms;
}
