import { createHash } from "node:crypto";

import type BetterSqlite3 from "better-sqlite3";
import pg from "pg";

import { type ConnectionLost, guardedPool, type PgTimeouts } from "../pg-connections";
import { MAX_PIPELINES, PgGroupCommit, type UnitOutcome } from "./pg-group-commit";
import { type PipelineResult, type PipelineStatement, type PipelineTypes, runPipeline } from "./pg-pipeline";
import { SqliteGroupCommit } from "./sqlite-group-commit";

/**
 * The database driver under Prisma, for the hot paths (notifications, payment sessions, admin list):
 * prepared, parameterised statements reused across requests, no query compiler in between.
 * Measured here, Prisma 6.19 spends ~0.4 ms of CPU per query; a prepared better-sqlite3 statement
 * 10-30 µs. Prisma stays the data model and the migrations, and every other path.
 *
 * SQLite: the SAME connection Prisma uses (captured from its adapter, see database.ts), so there is
 * one writer in the process and no second connection can block the event loop in SQLite's busy
 * handler while Prisma holds a transaction open across awaits. Writes go through group commit.
 * PostgreSQL: its own small pool, timestamps read and written as UTC.
 */
export type SqlValue = string | number | boolean | Date | Buffer | null | bigint;
export type SqlRow = Record<string, unknown>;

/**
 * A write unit: a generator that yields its statements (`?` placeholders) and receives their results, so
 * the same code runs synchronously inside SQLite's group commit and asynchronously in a PostgreSQL
 * transaction. Build statements with `yield* all(...)` / `yield* run(...)`.
 */
export type SqlOp = { kind: "all" | "run"; sql: string; params: readonly SqlValue[] };
export type SqlUnit<T> = Generator<SqlOp, T, unknown>;

export function* all(sql: string, params: readonly SqlValue[]): Generator<SqlOp, SqlRow[], unknown> {
  return (yield { kind: "all", sql, params }) as SqlRow[];
}

/** Returns the number of rows changed. */
export function* run(sql: string, params: readonly SqlValue[]): Generator<SqlOp, number, unknown> {
  return (yield { kind: "run", sql, params }) as number;
}

export interface SqlDriver {
  readonly engine: "sqlite" | "postgresql";
  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  get(sql: string, params?: readonly SqlValue[]): Promise<SqlRow | null>;
  /**
   * Runs the unit in a write transaction and resolves once it is committed (durable); if it throws, its
   * writes are undone and the promise rejects with that error. On SQLite concurrent units share one
   * transaction (group commit), each in its own savepoint. `oneStatement`: the unit is exactly one statement and,
   * if it throws after it, that statement wrote nothing (e.g. a guard that matched no row): PostgreSQL may then run
   * it alone without BEGIN/COMMIT, so nothing could be rolled back. A second statement is refused before it is sent.
   */
  write<T>(unit: () => SqlUnit<T>, options?: { oneStatement?: boolean }): Promise<T>;
  close(): Promise<void>;
}

const STATEMENT_CACHE_LIMIT = 500;

export class SqliteDriver implements SqlDriver {
  readonly engine = "sqlite" as const;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private readonly group: SqliteGroupCommit;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.group = new SqliteGroupCommit(db);
  }

  statement(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      // Prisma's adapter turns safe integers on for the connection; our rows hold plain numbers.
      if (statement.reader) statement.safeIntegers(false);
      if (this.statements.size >= STATEMENT_CACHE_LIMIT) this.statements.delete(this.statements.keys().next().value as string);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  allSync(sql: string, params: readonly SqlValue[] = []): SqlRow[] {
    const statement = this.statement(sql);
    const values = params.map(toSqlite);
    if (statement.reader) return statement.all(...values) as SqlRow[];
    statement.run(...values);
    return [];
  }

  /** A read's rows as arrays in column order (no object per row): for the bulk reads of reconciliation. */
  rowsSync(sql: string, params: readonly SqlValue[] = []): unknown[][] {
    const statement = this.statement(sql);
    statement.raw(true);
    try {
      return statement.all(...params.map(toSqlite)) as unknown[][];
    } finally {
      statement.raw(false);
    }
  }

  runSync(sql: string, params: readonly SqlValue[] = []): number {
    return this.statement(sql).run(...params.map(toSqlite)).changes;
  }

  async all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    return this.allSync(sql, params);
  }

  async get(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow | null> {
    return (this.statement(sql).get(...params.map(toSqlite)) as SqlRow | undefined) ?? null;
  }

  write<T>(unit: () => SqlUnit<T>): Promise<T> {
    return this.group.submit(() => {
      const steps = unit();
      let step = steps.next();
      while (!step.done) {
        const op = step.value;
        step = steps.next(op.kind === "all" ? this.allSync(op.sql, op.params) : this.runSync(op.sql, op.params));
      }
      return step.value;
    });
  }

  /**
   * Runs `work` (synchronous statements from statement()) as one write unit of the group commit: its own
   * savepoint in a transaction, resolved once committed. For bulk writes that run one prepared statement per
   * row (settlement lines): no generator step or parameter array per statement.
   */
  writeSync<T>(work: () => T): Promise<T> {
    return this.group.submit(work);
  }

  async close(): Promise<void> {
    await this.group.drain();
    this.statements.clear();
  }
}

/** What Prisma's better-sqlite3 adapter stores, so rows written here and by Prisma compare and sort alike. */
export function toSqlite(value: SqlValue): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

const PG_TIMESTAMP = 1114;
const PG_NAMED_LIMIT = 200;

export class PgDriver implements SqlDriver {
  readonly engine = "postgresql" as const;
  private readonly pool: pg.Pool;
  private readonly group: PgGroupCommit;
  private readonly types: PipelineTypes;
  private readonly texts = new Map<string, { name?: string; text: string }>();
  /** Statement names handed out so far (at most PG_NAMED_LIMIT). */
  private readonly named = new Set<string>();

  constructor(connectionString: string, max: number, onLost: ConnectionLost = () => undefined, timeouts: PgTimeouts = {}) {
    // Prisma's columns are TIMESTAMP(3) without time zone, holding UTC: read them as UTC whatever the host's zone.
    // Asked for every column of every result (node-postgres' addFields), so the parser is made once.
    const utcTimestamp = (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    const types = {
      getTypeParser: ((oid: number, format?: "text" | "binary") => (oid === PG_TIMESTAMP ? utcTimestamp : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
    };
    // A connection the server (or the network) cuts, idle or in a write, is logged and discarded, never ends the
    // process (issue #10, "Database unreachable", see pg-connections.ts); the next query connects again, and a
    // query that meets the outage fails and is answered 503.
    this.pool = guardedPool({ connectionString, max, types }, "sql driver", onLost, timeouts);
    // About half the pool in writes at once (MAX_PIPELINES pipelines, the rest BEGIN ... COMMIT batches): the reads (a
    // notification's look-up, a session's shop) keep the rest.
    this.types = types;
    this.group = new PgGroupCommit(
      this.pool,
      { run: (client, unit) => this.runUnit(client, unit), runPipelined: (client, units) => this.runPipelined(client, units) },
      Math.max(1, Math.floor(max / 2) - MAX_PIPELINES),
    );
  }

  /**
   * `?` → `$n`, cached per statement text, as a named prepared statement: each connection parses and plans it once
   * and then only binds it (the notification's read joins four tables: its planning cost more than its execution).
   * The name is a digest of the text, so a name never stands for two texts, even after the cache is cleared. Each
   * connection keeps what it prepared until it closes, so only the first PG_NAMED_LIMIT texts are named (the hot
   * paths' few statements come first and come back constantly); later ones, e.g. the admin's many filter
   * combinations, run unnamed as before.
   */
  private text(sql: string): { name?: string; text: string } {
    let query = this.texts.get(sql);
    if (query === undefined) {
      let i = 0;
      const text = sql.replace(/\?/g, () => `$${++i}`);
      let name: string | undefined = `pe_${createHash("sha256").update(text).digest("base64url").slice(0, 24)}`;
      if (!this.named.has(name)) {
        if (this.named.size < PG_NAMED_LIMIT) this.named.add(name);
        else name = undefined;
      }
      query = name ? { name, text } : { text };
      if (this.texts.size >= STATEMENT_CACHE_LIMIT) this.texts.clear();
      this.texts.set(sql, query);
    }
    return query;
  }

  async all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    return (await this.pool.query({ ...this.text(sql), values: params.map(toPg) })).rows as SqlRow[];
  }

  async get(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow | null> {
    return (await this.all(sql, params))[0] ?? null;
  }

  /** Group-committed (pg-group-commit.ts): answered once the transaction holding the unit is committed. */
  write<T>(unit: () => SqlUnit<T>, options: { oneStatement?: boolean } = {}): Promise<T> {
    return options.oneStatement ? this.group.submit(() => oneStatement(unit), true) : this.group.submit(unit);
  }

  /** One unit's statements, in order, each given the previous one's result, inside the caller's transaction. */
  private async runUnit(client: pg.PoolClient, unit: () => Generator<unknown, unknown, unknown>): Promise<unknown> {
    const steps = unit() as SqlUnit<unknown>;
    let step = steps.next();
    while (!step.done) {
      const op = step.value;
      const result = await client.query({ ...this.text(op.sql), values: op.params.map(toPg) });
      step = steps.next(op.kind === "all" ? result.rows : (result.rowCount ?? 0));
    }
    return step.value;
  }

  /** One-statement units (each wrapped by oneStatement below) as one pipeline; each unit then gets its result. */
  private async runPipelined(client: pg.PoolClient, units: readonly (() => Generator<unknown, unknown, unknown>)[]): Promise<UnitOutcome[]> {
    type Started = { steps: SqlUnit<unknown>; first: IteratorResult<SqlOp, unknown> } | { error: unknown };
    const started = units.map((unit): Started => {
      try {
        const steps = unit() as SqlUnit<unknown>;
        return { steps, first: steps.next() };
      } catch (error) {
        return { error };
      }
    });
    const statements: PipelineStatement[] = [];
    for (const unit of started) if ("steps" in unit && !unit.first.done) statements.push({ ...this.text(unit.first.value.sql), values: unit.first.value.params.map(toPg) });
    const results = statements.length > 0 ? await runPipeline(client, statements, this.types) : [];
    let next = 0;
    return started.map((unit): UnitOutcome => {
      if (!("steps" in unit)) return { ok: false, error: unit.error };
      if (unit.first.done) return { ok: true, value: unit.first.value };
      const result = results[next++] as PipelineResult;
      try {
        const after = unit.steps.next(unit.first.value.kind === "all" ? result.rows : result.rowCount);
        // oneStatement() refuses a second statement; this guards a unit that reached here unwrapped.
        if (!after.done) throw new Error("A pipelined unit yielded a second statement");
        return { ok: true, value: after.value };
      } catch (error) {
        return { ok: false, error };
      }
    });
  }

  async close(): Promise<void> {
    await this.group.drain();
    await this.pool.end();
  }
}

/** The unit, refusing a second statement before it is sent: one submitted as one statement may run without BEGIN. */
function* oneStatement<T>(unit: () => SqlUnit<T>): SqlUnit<T> {
  const steps = unit();
  const first = steps.next();
  if (first.done) return first.value;
  const after = steps.next(yield first.value);
  if (!after.done) throw new Error("A unit written as one statement yielded a second one");
  return after.value;
}

/** UTC text for TIMESTAMP columns (a Date would be sent in the host's zone and its offset dropped). */
function toPg(value: SqlValue): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "");
  if (typeof value === "bigint") return value.toString();
  return value;
}

/** A unique constraint violation from either driver. */
export function isSqlUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}
