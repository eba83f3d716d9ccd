import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { all, PgDriver, run, type SqlUnit } from "../../app/adapters/db/sql/sql-driver";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

/**
 * PostgreSQL's group commit (app/adapters/db/sql/pg-group-commit.ts) against a real server: concurrent units share
 * transactions, yet each caller gets exactly its own unit's outcome, answered after its rows are committed, and a
 * unit that fails leaves nothing behind and takes no other unit with it. PostgreSQL only (TEST_DATABASE_URL).
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)("PostgreSQL group commit", () => {
  let database: TestDatabase;
  let driver: PgDriver;
  let reader: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    reader = new pg.Pool({ connectionString: database.url, max: 4 });
    // pool.end() resolves once its clients are told to close, not once the server has let them go: the database's
    // DROP ... WITH (FORCE) right after can still terminate one (57P01), on a client the pool no longer listens to.
    reader.on("connect", (client) => client.on("error", () => undefined));
    await reader.query(`CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)`);
    await reader.query(`CREATE TABLE p (k TEXT PRIMARY KEY, v INTEGER NOT NULL CHECK (v >= 0), flag BOOLEAN NOT NULL, at TIMESTAMP(3) NOT NULL)`);
    driver = new PgDriver(database.url, 4);
  });
  afterAll(async () => {
    await driver?.close();
    await reader?.end();
    await database?.drop();
  });

  class Refused extends Error {}
  const insert = (k: string, v: number) =>
    function* (): SqlUnit<number> {
      const n = yield* run(`INSERT INTO t (k, v) VALUES (?, ?) ON CONFLICT (k) DO NOTHING`, [k, v]);
      if (n === 0) throw new Refused(k);
      yield* run(`UPDATE t SET v = v + 1 WHERE k = ?`, [k]);
      return v + 1;
    };
  const count = async (prefix: string) => Number((await reader.query(`SELECT COUNT(*) AS n FROM t WHERE k LIKE $1`, [`${prefix}%`])).rows[0].n);

  it("answers every concurrent unit with its own result, each committed by then, in fewer transactions than units", async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const value = await driver.write(insert(`a${i}`, i));
        // Answered only once committed: another connection already sees the row, with both statements applied.
        const row = await reader.query(`SELECT v FROM t WHERE k = $1`, [`a${i}`]);
        return [value, row.rows[0]?.v] as const;
      }),
    );
    results.forEach(([value, seen], i) => expect([value, seen]).toEqual([i + 1, i + 1]));
    // Each row's xmin is the transaction that wrote it: alone, 200 units would be 200 transactions.
    const transactions = Number((await reader.query(`SELECT COUNT(DISTINCT xmin::text) AS n FROM t WHERE k LIKE 'a%'`)).rows[0].n);
    expect(transactions).toBeLessThan(50);
  });

  it("rejects only the unit that failed, leaves nothing of it, and commits the others", async () => {
    await driver.write(insert("b-taken", 0));
    const outcomes = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => driver.write(insert(i === 30 ? "b-taken" : `b${i}`, i))));
    outcomes.forEach((o, i) => {
      if (i === 30) expect(o.status === "rejected" && o.reason instanceof Refused).toBe(true);
      else expect(o).toEqual({ status: "fulfilled", value: i + 1 });
    });
    expect(await count("b")).toBe(60);
    expect(Number((await reader.query(`SELECT v FROM t WHERE k = 'b-taken'`)).rows[0].v)).toBe(1);
  });

  it("a statement error in one unit (a bad statement aborts PostgreSQL's transaction) fails that unit only", async () => {
    const bad = function* (): SqlUnit<number> {
      yield* run(`INSERT INTO t (k, v) VALUES (?, ?)`, ["c-bad", 1]);
      return yield* run(`INSERT INTO t (k, v) VALUES (?, ?)`, ["c-bad", 2]);
    };
    const outcomes = await Promise.allSettled([...Array.from({ length: 20 }, (_, i) => driver.write(insert(`c${i}`, i))), driver.write(bad)]);
    expect(outcomes.slice(0, 20).every((o) => o.status === "fulfilled")).toBe(true);
    expect(outcomes[20]?.status).toBe("rejected");
    expect(await count("c-bad")).toBe(0);
    expect(await count("c")).toBe(20);
  });

  it("writes a one-statement unit, alone or among others, committed when answered; refuses a second statement unsent", async () => {
    const one = (k: string, v: number) =>
      function* (): SqlUnit<number> {
        return yield* run(`INSERT INTO t (k, v) VALUES (?, ?) ON CONFLICT (k) DO NOTHING`, [k, v]);
      };
    expect(await driver.write(one("d-alone", 1), { oneStatement: true })).toBe(1);
    expect(await count("d-alone")).toBe(1);
    const mixed = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? driver.write(one(`d${i}`, i), { oneStatement: true }) : driver.write(insert(`d${i}`, i)))));
    mixed.forEach((value, i) => expect(value).toBe(i % 2 === 0 ? 1 : i + 1));
    expect(await count("d")).toBe(41);
    const two = function* (): SqlUnit<number> {
      yield* run(`INSERT INTO t (k, v) VALUES (?, ?)`, ["e-first", 1]);
      return yield* run(`INSERT INTO t (k, v) VALUES (?, ?)`, ["e-second", 2]);
    };
    await expect(driver.write(two, { oneStatement: true })).rejects.toThrow(/second/);
    expect(await count("e-second")).toBe(0);
  });

  // One-statement units that queue together go as one pipeline (pg-pipeline.ts): one round trip, one transaction.
  class NoRow extends Error {}
  const returning = (k: string, v: number, at: Date) =>
    function* (): SqlUnit<{ k: string; v: number; flag: boolean; at: Date }> {
      const rows = yield* all(`INSERT INTO p (k, v, flag, at) VALUES (?, ?, ?, ?) ON CONFLICT (k) DO NOTHING RETURNING k, v, flag, at`, [k, v, v % 2 === 0, at]);
      // Thrown after its statement wrote nothing (the oneStatement promise): a guard that matched no row.
      if (!rows[0]) throw new NoRow(k);
      return rows[0] as { k: string; v: number; flag: boolean; at: Date };
    };
  const countP = async (prefix: string) => Number((await reader.query(`SELECT COUNT(*) AS n FROM p WHERE k LIKE $1`, [`${prefix}%`])).rows[0].n);

  it("pipelines concurrent one-statement units: each its own rows (UTC timestamps, booleans), committed when answered, few transactions", async () => {
    const at = new Date("2026-12-05T01:02:03.456Z");
    // Round trips: every query the driver's connections were given (a pipeline is one; BEGIN, a statement, COMMIT one each).
    const sent = vi.spyOn(pg.Client.prototype, "query");
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const row = await driver.write(returning(`pa${i}`, i, at), { oneStatement: true });
        const seen = await reader.query(`SELECT v FROM p WHERE k = $1`, [`pa${i}`]);
        return { row, seen: seen.rows[0]?.v };
      }),
    );
    results.forEach(({ row, seen }, i) => expect({ row, seen }).toEqual({ row: { k: `pa${i}`, v: i, flag: i % 2 === 0, at }, seen: i }));
    const writes = sent.mock.calls.filter(([query]: unknown[]) => typeof query === "object" && query !== null && !String((query as { text?: unknown }).text).startsWith("SELECT v FROM p"));
    // Alone or in BEGIN ... COMMIT, 200 units would be at least 200 round trips.
    expect(writes.length).toBeLessThan(100);
    const transactions = Number((await reader.query(`SELECT COUNT(DISTINCT xmin::text) AS n FROM p WHERE k LIKE 'pa%'`)).rows[0].n);
    expect(transactions).toBeLessThan(50);
  });

  it("in a pipeline, a unit that throws after its statement fails alone; a statement the server refuses fails only its unit", async () => {
    const at = new Date();
    await driver.write(returning("pb-taken", 1, at), { oneStatement: true });
    const refused = function* (): SqlUnit<number> {
      // Breaks the CHECK constraint: the server refuses it, and the pipeline it was in rolls back and replays alone.
      return yield* run(`INSERT INTO p (k, v, flag, at) VALUES (?, ?, ?, ?)`, ["pb-refused", -1, true, at]);
    };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        i === 20 ? driver.write(refused, { oneStatement: true }) : driver.write(returning(i === 40 ? "pb-taken" : `pb${i}`, i, at), { oneStatement: true }),
      ),
    );
    outcomes.forEach((o, i) => {
      if (i === 20) expect(o.status === "rejected" && (o.reason as { code?: string }).code).toBe("23514");
      else if (i === 40) expect(o.status === "rejected" && o.reason instanceof NoRow).toBe(true);
      else expect(o).toMatchObject({ status: "fulfilled", value: { k: `pb${i}`, v: i } });
    });
    expect(await countP("pb-refused")).toBe(0);
    expect(await countP("pb")).toBe(59);
    // Connections that saw a refused pipeline were discarded; the driver still writes (its statements parse again).
    expect(await driver.write(returning("pb-after", 7, at), { oneStatement: true })).toMatchObject({ k: "pb-after", v: 7 });
  });
});
