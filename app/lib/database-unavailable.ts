/**
 * True when an error means the database cannot be used right now (unreachable, connection cut, disk full or
 * read-only, locked past the busy timeout), as opposed to a bug or a refused write. The HTTP edge answers these
 * with 503 so senders retry (Shopify resends session requests, PagoEfectivo retries a notification once); the
 * transaction that hit them was rolled back, so nothing is half-written.
 *
 * Recognised shapes: Prisma's connection codes (P1001 can't reach, P1002 timed out, P1008 operation timed out,
 * P1017 server closed the connection, P2024 pool timeout), driver-adapter errors (`meta.driverAdapterError.cause`),
 * node-postgres and socket errors (ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE, "Connection terminated"), the pools'
 * timeouts on a stalled network or a statement past its bound (pg-connections.ts: "Query read timeout", "timeout
 * exceeded when trying to connect", 57014 statement_timeout), and
 * SQLite's result codes for an unwritable or locked file (SQLITE_FULL, SQLITE_READONLY*, SQLITE_IOERR*,
 * SQLITE_CANTOPEN, SQLITE_BUSY*).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 4) return false;
  const e = error as {
    code?: unknown;
    kind?: unknown;
    message?: unknown;
    cause?: unknown;
    originalCode?: unknown;
    meta?: { driverAdapterError?: { cause?: unknown } };
  };
  if (typeof e.code === "string" && (PRISMA_CODES.has(e.code) || SOCKET_CODES.has(e.code) || SQLITE_CODE.test(e.code))) return true;
  if (typeof e.originalCode === "string" && SQLITE_CODE.test(e.originalCode)) return true;
  if (typeof e.kind === "string" && ADAPTER_KINDS.has(e.kind)) return true;
  if (typeof e.message === "string" && MESSAGE.test(e.message)) return true;
  return isDatabaseUnavailable(e.meta?.driverAdapterError?.cause, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1);
}

const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "57P01", "57P02", "57P03", "08000", "08001", "08003", "08006", "57014"]);
const SQLITE_CODE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|BUSY)/;
// Prisma's driver adapters name the cause: DatabaseNotReachable, ConnectionClosed, SocketTimeout, TooManyConnections...
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "DatabaseDoesNotExist", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const MESSAGE =
  /Connection terminated|Can't reach database server|Server has closed the connection|database or disk is full|attempt to write a readonly database|disk I\/O error|database is locked|unable to open database file|connect ECONNREFUSED|Timed out fetching a new connection|Query read timeout|timeout exceeded when trying to connect|Connection terminated due to connection timeout|canceling statement due to statement timeout/i;
