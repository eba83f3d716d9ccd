import type { Database } from "../../app/adapters/db/database";
import { searchIndexOf } from "../../app/adapters/db/sqlite-search-index";

/** Resolves once the SQLite search index's worker has its index ready (built or resumed) and attached. */
export async function searchIndexReady(db: Database, timeoutMs = 20_000): Promise<void> {
  const index = searchIndexOf(db.driver);
  if (!index) throw new Error("no search index on this database");
  for (const started = Date.now(); !index.ready; ) {
    if (Date.now() - started > timeoutMs) throw new Error("the search index did not get ready");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
