-- The search index's triggers found a payment's PaymentSearch row with a trigram MATCH on its id: a CPU cost on
-- every write that sets the CIP, the order name or the e-mail (measured 2.6 ms per CIP issued over 20,000
-- payments with random ids, 9 ms with ids sharing a prefix, growing with the table; run inside the write
-- transaction, so every other write waited behind it; issue #13). Each payment's PaymentSearch rowid is now kept
-- in "PaymentSearchRow", so the triggers delete that one row by rowid through an index. PaymentSearch's rowids
-- are FTS5's own (an INTEGER PRIMARY KEY of its content table), which VACUUM does not renumber.
-- SQLite only: PostgreSQL's search is a pg_trgm index on the table itself, with no triggers.
CREATE TABLE "PaymentSearchRow" (
    "paymentId" TEXT NOT NULL PRIMARY KEY,
    "searchRowid" INTEGER NOT NULL
);

INSERT INTO "PaymentSearchRow" ("paymentId", "searchRowid")
SELECT "paymentId", max("rowid") FROM "PaymentSearch" WHERE "paymentId" IS NOT NULL GROUP BY "paymentId";

DROP TRIGGER "PaymentSearch_insert";
DROP TRIGGER "PaymentSearch_update";
DROP TRIGGER "PaymentSearch_delete";

CREATE TRIGGER "PaymentSearch_insert" AFTER INSERT ON "PaymentSession" BEGIN
  INSERT INTO "PaymentSearch" ("paymentId", "cip", "orderName", "email") VALUES (new."id", new."cip", new."orderName", new."email");
  INSERT OR REPLACE INTO "PaymentSearchRow" ("paymentId", "searchRowid") VALUES (new."id", last_insert_rowid());
END;

CREATE TRIGGER "PaymentSearch_update" AFTER UPDATE OF "id", "cip", "orderName", "email" ON "PaymentSession" BEGIN
  DELETE FROM "PaymentSearch" WHERE "rowid" = (SELECT "searchRowid" FROM "PaymentSearchRow" WHERE "paymentId" = old."id");
  DELETE FROM "PaymentSearchRow" WHERE "paymentId" = old."id";
  INSERT INTO "PaymentSearch" ("paymentId", "cip", "orderName", "email") VALUES (new."id", new."cip", new."orderName", new."email");
  INSERT OR REPLACE INTO "PaymentSearchRow" ("paymentId", "searchRowid") VALUES (new."id", last_insert_rowid());
END;

CREATE TRIGGER "PaymentSearch_delete" AFTER DELETE ON "PaymentSession" BEGIN
  DELETE FROM "PaymentSearch" WHERE "rowid" = (SELECT "searchRowid" FROM "PaymentSearchRow" WHERE "paymentId" = old."id");
  DELETE FROM "PaymentSearchRow" WHERE "paymentId" = old."id";
END;
