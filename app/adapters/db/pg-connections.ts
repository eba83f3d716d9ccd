import pg from "pg";

import type { Logger } from "../../lib/logger";

/**
 * Every pg connection the app holds must hear its own "error" (issue #10, "Database unreachable"). A connection
 * cut by the server or the network fails the query in flight AND emits "error" on its Client; unheard, that
 * event ends the process. pg-pool listens only while a connection sits idle (then it drops it and emits "error"
 * on the pool) and pool.query() while it runs its one query; a connection checked out with pool.connect() (a
 * transaction: ours in sql-driver, Prisma's interactive ones) is heard by no one.
 *
 * And a checked-out connection that dies must still go back to the pool: Prisma's driver adapter (6.19) releases
 * a transaction's connection only after its ROLLBACK or COMMIT succeeded, which on a dead connection never
 * happens; each transaction cut that way would keep one of the pool's connections checked out for good, until
 * the pool had none left and every query waited forever (measured: `$disconnect()` then hung).
 *
 * So for every connection of the pool: if it errs while checked out, log it and release it to the pool with the
 * error (pg-pool then discards it; the next request connects again, and while the database is away that fails
 * fast, answered 503). Its holder's own later release() is then a no-op, its later queries fail.
 */
export type ConnectionLost = (error: Error, where: string) => void;

export function connectionLostLogger(logger: Logger): ConnectionLost {
  return (error, where) =>
    logger.warn({ err: error.message, code: (error as { code?: unknown }).code ?? null, connection: where }, "database connection lost");
}

/**
 * Bounds on every pg connection (issue #10, "requests fail fast"): a network that stalls (packets dropped, no
 * reset) would otherwise hold each request forever, as pg sets no timeout by default. `connectTimeoutMs` bounds
 * opening a connection and waiting for a free one in the pool (pg-pool's `connectionTimeoutMillis`);
 * `queryTimeoutMs` is the server's `statement_timeout` and, one second later, the client's own `query_timeout`
 * (the server cannot cancel what it never received). Each failure is recognised by isDatabaseUnavailable (503).
 */
export interface PgTimeouts {
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_QUERY_TIMEOUT_MS = 15_000;
/** Past the server's statement_timeout, the time its cancellation answer may take to arrive. */
const NETWORK_GRACE_MS = 1_000;

export function guardedPool(config: pg.PoolConfig, name: string, onLost: ConnectionLost, timeouts: PgTimeouts = {}): pg.Pool {
  const queryTimeoutMs = timeouts.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const pool = new pg.Pool({
    ...config,
    connectionTimeoutMillis: timeouts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    statement_timeout: queryTimeoutMs,
    query_timeout: queryTimeoutMs + NETWORK_GRACE_MS,
  });
  const checkedOut = new WeakSet<pg.PoolClient>();
  pool.on("acquire", (client) => checkedOut.add(client));
  pool.on("release", (_error, client) => checkedOut.delete(client));
  pool.on("error", (error) => onLost(error, `${name}, idle`));
  pool.on("connect", (client) => {
    client.on("error", (error) => {
      // Idle: pg-pool's own listener drops it and emits the pool's "error" (logged above).
      if (!checkedOut.has(client)) return;
      onLost(error, `${name}, in use`);
      const release = client.release.bind(client);
      client.release = () => undefined;
      release(error);
    });
  });
  return pool;
}
