import type pg from "pg";

import { PipelineRolledBack } from "./pg-pipeline";

/**
 * Group commit for PostgreSQL: write units that arrive while earlier ones are being written share ONE transaction
 * (BEGIN, every unit's statements, COMMIT), and every caller is answered only after that COMMIT returned, i.e. its
 * rows are durable. Per unit that saves the BEGIN and COMMIT round trips and the commit's WAL flush (measured here:
 * a round trip 0.12 ms, a commit 0.4 ms, and each statement costs the app's CPU too: bench/notifications/RESULTS.md).
 *
 * No timer: a unit arriving when fewer than `maxBatches` transactions are in flight starts at once (alone, as before,
 * when the app is quiet); under load the units that queue meanwhile go together in the next batch.
 *
 * Optimistic, without savepoints (each would be a round trip more per unit): if any unit of a batch throws (a guard
 * that failed, a duplicate, a statement error, a deadlock between batches), the batch is rolled back and each of its
 * units runs again alone in its own transaction, so a unit's outcome is exactly what it would have been alone. A unit
 * is a generator function of its statements (SqlUnit), so running it again replays it from the start. A failure of
 * BEGIN or COMMIT itself (the connection lost, the server gone) is not replayed: every caller gets the error, as each
 * would have alone (the outcome of a COMMIT cut short is unknown).
 *
 * A unit submitted as ONE statement (`oneStatement`) that runs alone (the app is quiet, or the unit replays alone)
 * is sent without BEGIN and COMMIT: a single statement is its own transaction in PostgreSQL, atomic, and committed
 * (durable, with synchronous_commit) before its answer arrives. One round trip instead of three. In a batch it is
 * written like any other unit. The caller promises that such a unit, if it throws, wrote nothing (SqlDriver.write).
 *
 * One-statement units (the payment session's insert and its CIP, a notification's evidence without a change) queue
 * apart and go as ONE pipeline (pg-pipeline.ts): their statements and one Sync in one write, one implicit transaction
 * committed before the single answer, so N units cost one round trip instead of N + 2. At most MAX_PIPELINES are in
 * flight; a unit arriving when fewer are starts at once (alone: one statement, one round trip).
 */
export interface PgUnitRunner {
  /** Runs one unit's statements on the client, inside a transaction the caller opened. */
  run(client: pg.PoolClient, unit: () => Generator<unknown, unknown, unknown>): Promise<unknown>;
  /**
   * Runs one-statement units as ONE pipeline (pg-pipeline.ts: every statement, one Sync, one implicit transaction
   * committed before the answer) and gives each unit its statement's result. Throws PipelineRolledBack when the
   * server refused a statement (nothing written), any other error when the outcome is unknown.
   */
  runPipelined(client: pg.PoolClient, units: readonly (() => Generator<unknown, unknown, unknown>)[]): Promise<UnitOutcome[]>;
}

export type UnitOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

interface Pending {
  unit: () => Generator<unknown, unknown, unknown>;
  oneStatement: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 64;

class UnitFailed extends Error {}

/**
 * Pipelines in flight at once. One round trip carries a whole pipeline, so units that wait for the one in flight and
 * then go together cost less than units started side by side, each its own round trip (write-units.ts on PostgreSQL,
 * 8 sessions at a time: 1.25 round trips per session with 5 in flight, 0.53 with 2, 0.25 with 1). Two, not one, so a
 * statement waiting on a row lock does not hold every other write behind it.
 */
export const MAX_PIPELINES = 2;

export class PgGroupCommit {
  /** Units of more than one statement: BEGIN ... COMMIT batches, at most maxBatches at once. */
  private queue: Pending[] = [];
  /** One-statement units: pipelines, at most MAX_PIPELINES at once. */
  private piped: Pending[] = [];
  private inFlight = 0;
  private pipelinesInFlight = 0;
  private idle: Array<() => void> = [];

  constructor(
    private readonly pool: pg.Pool,
    private readonly runner: PgUnitRunner,
    private readonly maxBatches: number,
  ) {}

  submit<T>(unit: () => Generator<unknown, T, unknown>, oneStatement = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      (oneStatement ? this.piped : this.queue).push({ unit, oneStatement, resolve: resolve as (value: unknown) => void, reject });
      this.pump();
    });
  }

  /** Resolves once everything submitted so far is committed (or failed). */
  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxBatches) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight += 1;
      void this.runTransaction(batch).finally(() => {
        this.inFlight -= 1;
        this.settled();
      });
    }
    while (this.piped.length > 0 && this.pipelinesInFlight < MAX_PIPELINES) {
      const batch = this.piped.splice(0, MAX_BATCH);
      this.pipelinesInFlight += 1;
      void (batch.length > 1 ? this.runPipelined(batch) : this.runAlone(batch[0] as Pending)).finally(() => {
        this.pipelinesInFlight -= 1;
        this.settled();
      });
    }
  }

  private settled(): void {
    this.pump();
    if (this.isIdle()) this.notifyIdle();
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.piped.length === 0 && this.inFlight === 0 && this.pipelinesInFlight === 0;
  }

  /**
   * A unit that throws after its statement wrote nothing (the oneStatement promise), so the others' commit stands and
   * only its caller gets its error, as alone. A statement the server refused rolled back the whole pipeline: each
   * unit runs again alone, as in a transaction batch. An unknown outcome (connection lost, timeout) is every caller's
   * error, and the connection is discarded (its prepared statements may be half known).
   */
  private async runPipelined(batch: Pending[]): Promise<void> {
    const client = await this.connectFor(batch);
    if (!client) return;
    let outcomes: UnitOutcome[];
    try {
      outcomes = await this.runner.runPipelined(
        client,
        batch.map((p) => p.unit),
      );
    } catch (error) {
      client.release(error instanceof Error ? error : true);
      if (error instanceof PipelineRolledBack) await Promise.all(batch.map((p) => this.runAlone(p)));
      else for (const p of batch) p.reject(error);
      return;
    }
    client.release();
    outcomes.forEach((outcome, i) => {
      const p = batch[i] as Pending;
      if (outcome.ok) p.resolve(outcome.value);
      else p.reject(outcome.error);
    });
  }

  private async runTransaction(batch: Pending[]): Promise<void> {
    if (batch.length === 0) return;
    if (batch.length === 1) {
      await this.runAlone(batch[0] as Pending);
      return;
    }
    const client = await this.connectFor(batch);
    if (!client) return;
    let values: unknown[];
    try {
      values = await this.inTransaction(client, async () => {
        const out: unknown[] = [];
        for (const p of batch) {
          try {
            out.push(await this.runner.run(client, p.unit));
          } catch {
            throw new UnitFailed();
          }
        }
        return out;
      });
    } catch (error) {
      client.release();
      if (error instanceof UnitFailed) {
        // One unit threw: nothing of the batch was committed; each runs alone, as it would have without grouping.
        await Promise.all(batch.map((p) => this.runAlone(p)));
      } else {
        for (const p of batch) p.reject(error);
      }
      return;
    }
    client.release();
    batch.forEach((p, i) => p.resolve(values[i]));
  }

  private async runAlone(p: Pending): Promise<void> {
    const client = await this.connectFor([p]);
    if (!client) return;
    try {
      p.resolve(p.oneStatement ? await this.runner.run(client, p.unit) : await this.inTransaction(client, () => this.runner.run(client, p.unit)));
    } catch (error) {
      p.reject(error);
    } finally {
      client.release();
    }
  }

  /** A pooled connection, or null once every unit of the batch has been given the pool's error. */
  private async connectFor(batch: readonly Pending[]): Promise<pg.PoolClient | null> {
    try {
      return await this.pool.connect();
    } catch (error) {
      for (const p of batch) p.reject(error);
      return null;
    }
  }

  private async inTransaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
    await client.query("BEGIN");
    let value: T;
    try {
      value = await work();
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
    await client.query("COMMIT");
    return value;
  }

  private notifyIdle(): void {
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}
