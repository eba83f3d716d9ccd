import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PgDriver, run, type SqlUnit } from "../../app/adapters/db/sql/sql-driver";
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
});
