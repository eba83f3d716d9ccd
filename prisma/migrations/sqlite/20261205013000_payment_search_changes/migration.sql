-- The admin search's trigram index (FTS5) leaves the payment sessions' write transaction (issue #13): its triggers
-- cost 0.2-0.3 ms of CPU for the session INSERT and again for the CIP UPDATE, on the app's one writer, on the event
-- loop. Now a trigger only appends the changed payment's id to "PaymentSearchChange" (one row in one B-tree keyed by
-- an integer that only grows), and a worker thread (app/adapters/db/sqlite-search-index.ts) reads those records and
-- keeps the FTS5 table in a SQLite file of its own, "<database>.search", that only it writes: it never takes this
-- database's write lock, so the group commit (BEGIN IMMEDIATE) never waits for it.
-- The index is derived data: the worker builds it from "PaymentSession" when its file is missing, from another
-- database, or unreadable (so the rows indexed before this migration are carried over by that first build), and
-- keeps the last change it applied in the same transaction as the rows it wrote, so a restart resumes there.
-- A search waits for the worker to apply every change committed before it (or, while the index is being built,
-- matches the rows directly), so it answers as it did with the triggers.
-- "seq" is the rowid: SQLite gives max + 1, so records are in commit order. The app deletes applied records except
-- the last one, so the maximum, and with it the numbering, never goes back.
-- "PaymentSearchSource" names this database: a search file built from another database (a copy restored beside an
-- old index) is rebuilt, not trusted.
-- SQLite only: PostgreSQL's search is a pg_trgm index on the table itself, with no triggers.
DROP TRIGGER "PaymentSearch_insert";
DROP TRIGGER "PaymentSearch_update";
DROP TRIGGER "PaymentSearch_update_cip";
DROP TRIGGER "PaymentSearch_delete";
DROP TABLE "PaymentSearch";
DROP TABLE "PaymentSearchRow";

CREATE TABLE "PaymentSearchChange" (
    "seq" INTEGER NOT NULL PRIMARY KEY,
    "paymentId" TEXT NOT NULL
);

CREATE TABLE "PaymentSearchSource" (
    "id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1),
    "token" TEXT NOT NULL
);
INSERT INTO "PaymentSearchSource" ("id", "token") VALUES (1, lower(hex(randomblob(16))));

CREATE TRIGGER "PaymentSearch_insert" AFTER INSERT ON "PaymentSession" BEGIN
  INSERT INTO "PaymentSearchChange" ("paymentId") VALUES (new."id");
END;

-- Only when a searched value really changed (IS NOT): a guarded state change writes no record.
CREATE TRIGGER "PaymentSearch_update" AFTER UPDATE OF "id", "cip", "orderName", "email" ON "PaymentSession"
WHEN old."id" IS NOT new."id" OR old."cip" IS NOT new."cip" OR old."orderName" IS NOT new."orderName" OR old."email" IS NOT new."email" BEGIN
  INSERT INTO "PaymentSearchChange" ("paymentId") SELECT old."id" WHERE old."id" IS NOT new."id";
  INSERT INTO "PaymentSearchChange" ("paymentId") VALUES (new."id");
END;

CREATE TRIGGER "PaymentSearch_delete" AFTER DELETE ON "PaymentSession" BEGIN
  INSERT INTO "PaymentSearchChange" ("paymentId") VALUES (old."id");
END;
