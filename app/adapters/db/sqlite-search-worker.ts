/**
 * The search indexer's thread (see sqlite-search-index.ts for the design and the guarantees). Plain JavaScript
 * evaluated in the thread (eval: it runs the same under tsx, the built app and vitest, none of which needs to load a
 * TypeScript file into a new thread); better-sqlite3 is required by the path the app resolved.
 *
 * Two connections: the app's database read-only (it never takes that file's write lock, so the app's group commit
 * never waits for it), and the search file, which only this thread writes.
 * - Start: the search file is used if it was built completely, from this database (its source token), with this
 *   schema, not ahead of the database's change records, and passes quick_check; otherwise it is removed and built
 *   again from "PaymentSession" in chunks, each read in its own short snapshot (a long read would keep the WAL from
 *   being checkpointed). Changes committed meanwhile have records past the one read first, and are applied after.
 * - Then every POLL_MS (or at once when asked to catch up): the change records past the last applied one, joined with
 *   the payments' current values in ONE statement (one snapshot), a payment's row written once per batch however
 *   often it changed, and the last record's seq stored in the same transaction as the rows.
 * - Idle: FTS5 merges its segments a bounded step at a time, so searches read few b-trees.
 */
export const SEARCH_SCHEMA_VERSION = 1;

export const SEARCH_WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
const Database = require(workerData.driver);
const { mainFile, searchFile, batch, pollMs, rebuildChunk, idleMergeMs, mergePages, schemaVersion } = workerData;
(function run() {

const main = new Database(mainFile, { readonly: true, fileMustExist: true });
main.pragma("busy_timeout = 5000");
const hasChanges = main.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('PaymentSearchChange', 'PaymentSearchSource')").pluck().get() === 2;
if (!hasChanges) {
  // A database not migrated this far (a test of an older migration): nothing to index; searches match directly.
  parentPort.postMessage({ type: "unavailable" });
  main.close();
  return;
}
const source = main.prepare('SELECT "token" FROM "PaymentSearchSource" WHERE "id" = 1').pluck().get();
const maxSeq = main.prepare('SELECT coalesce(max("seq"), 0) FROM "PaymentSearchChange"').pluck();
const pending = main.prepare(
  'SELECT c."seq" AS "seq", c."paymentId" AS "paymentId", s."id" AS "present", s."cip" AS "cip", s."orderName" AS "orderName", s."email" AS "email" ' +
  'FROM "PaymentSearchChange" c LEFT JOIN "PaymentSession" s ON s."id" = c."paymentId" WHERE c."seq" > ? ORDER BY c."seq" LIMIT ?');
const chunk = main.prepare('SELECT "id", "cip", "orderName", "email" FROM "PaymentSession" WHERE "id" > ? ORDER BY "id" LIMIT ?');

const SCHEMA = [
  'CREATE VIRTUAL TABLE "PaymentSearch" USING fts5("paymentId", "cip", "orderName", "email", tokenize = \\'trigram\\')',
  'CREATE TABLE "PaymentSearchRow" ("paymentId" TEXT NOT NULL PRIMARY KEY, "searchRowid" INTEGER NOT NULL) WITHOUT ROWID',
  'CREATE TABLE "SearchState" ("id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1), "schemaVersion" INTEGER NOT NULL, "source" TEXT NOT NULL, "appliedSeq" INTEGER NOT NULL, "complete" INTEGER NOT NULL)',
];

let search = null;
let st = null;
let applied = 0;
let ready = false;
let stopping = false;
let timer = null;
let lastWork = Date.now();
let merged = false;

function removeSearchFiles() {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(searchFile + suffix, { force: true });
}

function openExisting() {
  if (!fs.existsSync(searchFile)) return "missing";
  let db = null;
  try {
    db = new Database(searchFile, { fileMustExist: true });
    db.pragma("busy_timeout = 5000");
    const state = db.prepare('SELECT "schemaVersion", "source", "appliedSeq", "complete" FROM "SearchState" WHERE "id" = 1').get();
    if (!state) throw new Error("no state");
    if (state.schemaVersion !== schemaVersion) throw new Error("schema " + state.schemaVersion);
    if (state.source !== source) throw new Error("built from another database");
    if (state.complete !== 1) throw new Error("build not finished");
    if (state.appliedSeq > maxSeq.get()) throw new Error("ahead of the database");
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new Error("quick_check: " + check);
    search = db;
    applied = state.appliedSeq;
    return null;
  } catch (error) {
    try { if (db) db.close(); } catch {}
    return String((error && error.message) || error);
  }
}

function prepare() {
  search.pragma("synchronous = NORMAL");
  st = {
    rowOf: search.prepare('SELECT "searchRowid" FROM "PaymentSearchRow" WHERE "paymentId" = ?').pluck(),
    deleteFts: search.prepare('DELETE FROM "PaymentSearch" WHERE "rowid" = ?'),
    deleteRow: search.prepare('DELETE FROM "PaymentSearchRow" WHERE "paymentId" = ?'),
    insertFts: search.prepare('INSERT INTO "PaymentSearch" ("paymentId", "cip", "orderName", "email") VALUES (?, ?, ?, ?)'),
    insertRow: search.prepare('INSERT INTO "PaymentSearchRow" ("paymentId", "searchRowid") VALUES (?, ?)'),
    setApplied: search.prepare('UPDATE "SearchState" SET "appliedSeq" = ? WHERE "id" = 1'),
    merge: search.prepare('INSERT INTO "PaymentSearch" ("PaymentSearch", "rank") VALUES (\\'merge\\', ?)'),
    totalChanges: search.prepare("SELECT total_changes()").pluck(),
  };
}

function insert(id, row) {
  const rowid = st.insertFts.run(id, row.cip, row.orderName, row.email).lastInsertRowid;
  st.insertRow.run(id, rowid);
}

/** A payment's row as it is now (row null: the payment is gone). */
function put(id, row) {
  const old = st.rowOf.get(id);
  if (old !== undefined) {
    st.deleteFts.run(old);
    st.deleteRow.run(id);
  }
  if (row) insert(id, row);
}

function applyBatch() {
  const rows = pending.all(applied, batch);
  if (rows.length === 0) return 0;
  const latest = new Map();
  for (const row of rows) latest.set(row.paymentId, row);
  const last = rows[rows.length - 1].seq;
  search.transaction(() => {
    for (const [id, row] of latest) put(id, row.present === null ? null : row);
    st.setApplied.run(last);
  })();
  applied = last;
  return rows.length;
}

async function rebuild() {
  removeSearchFiles();
  search = new Database(searchFile);
  search.pragma("journal_mode = WAL");
  for (const sql of SCHEMA) search.exec(sql);
  search.prepare('INSERT INTO "SearchState" ("id", "schemaVersion", "source", "appliedSeq", "complete") VALUES (1, ?, ?, 0, 0)').run(schemaVersion, source);
  prepare();
  // Every change committed after this read has a larger seq and is applied after the build.
  const start = maxSeq.get();
  let after = "";
  let count = 0;
  for (;;) {
    if (stopping) return -1;
    const rows = chunk.all(after, rebuildChunk);
    if (rows.length === 0) break;
    search.transaction(() => { for (const row of rows) insert(row.id, row); })();
    after = rows[rows.length - 1].id;
    count += rows.length;
    // Between chunks the thread hears "stop".
    await new Promise((resolve) => setImmediate(resolve));
  }
  search.exec('INSERT INTO "PaymentSearch" ("PaymentSearch") VALUES (\\'optimize\\')');
  search.prepare('UPDATE "SearchState" SET "appliedSeq" = ?, "complete" = 1 WHERE "id" = 1').run(start);
  applied = start;
  return count;
}

/** One bounded merge step (FTS5 'merge': about mergePages pages written); true if it did any work. */
function mergeStep(first) {
  const before = st.totalChanges.get();
  // Negative the first time: segments on every level are merged together, not only full levels.
  st.merge.run(first ? -mergePages : mergePages);
  return st.totalChanges.get() - before >= 2;
}

let mergeStarted = false;
function tick() {
  timer = null;
  if (stopping) return;
  let more = false;
  try {
    let total = 0;
    let n = 0;
    do {
      n = applyBatch();
      total += n;
    } while (n === batch && total < batch * 8);
    more = n === batch;
    if (total > 0) {
      parentPort.postMessage({ type: "applied", seq: applied });
      lastWork = Date.now();
      merged = false;
      mergeStarted = false;
    } else if (!merged && Date.now() - lastWork >= idleMergeMs) {
      const worked = mergeStep(!mergeStarted);
      mergeStarted = true;
      if (!worked) merged = true;
      else more = true;
    }
  } catch (error) {
    parentPort.postMessage({ type: "error", message: String((error && error.message) || error) });
  }
  timer = setTimeout(tick, more ? 0 : pollMs);
}

function catchUp(id) {
  try {
    let n = 0;
    let total = 0;
    do {
      n = applyBatch();
      total += n;
    } while (n === batch);
    if (total > 0) {
      parentPort.postMessage({ type: "applied", seq: applied });
      lastWork = Date.now();
      merged = false;
    }
    parentPort.postMessage({ type: "caughtUp", id, ok: true, seq: applied });
  } catch (error) {
    parentPort.postMessage({ type: "caughtUp", id, ok: false, message: String((error && error.message) || error) });
  }
}

parentPort.on("message", (message) => {
  if (message.type === "catchUp") {
    if (ready) catchUp(message.id);
    else parentPort.postMessage({ type: "caughtUp", id: message.id, ok: false, message: "not ready" });
  } else if (message.type === "stop") {
    stopping = true;
    if (timer) clearTimeout(timer);
    try { if (search) search.close(); } catch {}
    main.close();
    parentPort.close();
  }
});

(async () => {
  const problem = openExisting();
  let rows = 0;
  if (problem === null) {
    prepare();
  } else {
    parentPort.postMessage({ type: "rebuilding", reason: problem });
    rows = await rebuild();
    if (rows < 0) return;
  }
  ready = true;
  parentPort.postMessage({ type: "ready", rebuilt: problem !== null, reason: problem, rows, seq: applied });
  timer = setTimeout(tick, 0);
})();
})();
`;
