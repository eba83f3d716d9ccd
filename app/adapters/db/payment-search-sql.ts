import type { DatabaseEngine } from "../../config/env";
import { searchFold } from "./search-fold";
import type { SqlDriver, SqlValue } from "./sql/sql-driver";
import { searchIndexOf } from "./sqlite-search-index";

/**
 * The admin payment search's SQL (PrismaAdminPayments.list): where a search runs and its WHERE clause.
 */

/** How a search matches: LIKE/ILIKE, the trigram index, or the columns directly with the trigram's case folding. */
export type SearchMode = "like" | "index" | "fold";
export type SearchReader = Pick<SqlDriver, "all">;

/**
 * Where a search runs and how it matches (SQLite; see sqlite-search-index.ts). Three characters or more: the trigram
 * index, on its read-only connection, once the worker has applied every change committed before this call; if it is
 * not ready or not caught up in time, the payments' columns are matched directly with the tokenizer's case folding
 * ("fold"), on the same connection. Shorter searches, PostgreSQL, and a driver without an index: the driver, "like".
 */
export async function searchReader(engine: DatabaseEngine, driver: SqlDriver, q: string): Promise<{ reader: SearchReader; search: SearchMode }> {
  if (engine === "postgresql" || [...q].length < 3) return { reader: driver, search: "like" };
  const index = searchIndexOf(driver);
  if (!index) return { reader: driver, search: "like" };
  const reader: SearchReader = { all: async (sql, params) => index.all(sql, params) };
  return { reader, search: (await index.catchUp()) ? "index" : "fold" };
}

/**
 * Case-insensitive substring of the CIP, order name, email or id, with "%", "_" and "\\" taken literally
 * (issue #10). SQLite: three characters or more are looked up in the FTS5 trigram table PaymentSearch
 * (in the search file a worker keeps, see sqlite-search-index.ts), or, while it is not ready, matched directly
 * with the trigram tokenizer's case folding; shorter ones with LIKE (ASCII case folded, as SQLite's LIKE does).
 * PostgreSQL: ILIKE, which the pg_trgm GIN index serves.
 */
export function searchClause(engine: DatabaseEngine, q: string, search: SearchMode): { sql: string; params: SqlValue[] } {
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  if (engine === "postgresql") {
    const one = (column: string) => `${column} ILIKE ? ESCAPE '\\'`;
    return { sql: `(${one(`"cip"`)} OR ${one(`"orderName"`)} OR ${one(`"email"`)} OR ${one(`"id"`)})`, params: [like, like, like, like] };
  }
  if (search === "index") {
    return {
      sql: `"id" IN (SELECT "paymentId" FROM search."PaymentSearch" WHERE "PaymentSearch" MATCH ?)`,
      params: [`{cip orderName email paymentId} : "${q.replace(/"/g, '""')}"`],
    };
  }
  if (search === "fold") {
    const needle = searchFold(q);
    const one = (column: string) => `instr(search_fold(${column}), ?) > 0`;
    return { sql: `(${one(`"cip"`)} OR ${one(`"orderName"`)} OR ${one(`"email"`)} OR ${one(`"id"`)})`, params: [needle, needle, needle, needle] };
  }
  const one = (column: string) => `${column} LIKE ? ESCAPE '\\'`;
  return { sql: `(${one(`"cip"`)} OR ${one(`"orderName"`)} OR ${one(`"email"`)} OR ${one(`"id"`)})`, params: [like, like, like, like] };
}
