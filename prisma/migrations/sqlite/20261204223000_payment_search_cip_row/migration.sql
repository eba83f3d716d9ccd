-- The search index's row of a payment held its CIP, so setting the CIP (every checkout, right after the session
-- is inserted) deleted and re-wrote the whole trigram row (id, order name, email and CIP): about 0.3 ms of CPU per
-- payment session inside the write transaction (bench/sessions/write-units.ts; issue #13). The CIP now has a row of
-- its own in the same FTS5 table (paymentId and cip only), written once when the CIP is set; the payment's first row
-- holds id, order name and email. A search matches either row and the admin query takes the distinct paymentIds
-- ("id" IN (SELECT "paymentId" ...)), and a phrase never spans two columns, so results are the same as before.
-- The triggers fire only when a searched value really changed (IS NOT), so a guarded state change that sets the
-- same order name again writes nothing. "PaymentSearchRow" keeps both rows' rowids.
-- The index is rebuilt here with rowids chosen from PaymentSession's (main 2r, CIP 2r+1), so the map is written
-- in one pass; later rows take FTS5's next rowid (max + 1).
-- SQLite only: PostgreSQL's search is a pg_trgm index on the table itself, with no triggers.
DROP TRIGGER "PaymentSearch_insert";
DROP TRIGGER "PaymentSearch_update";
DROP TRIGGER "PaymentSearch_delete";
DROP TABLE "PaymentSearch";
DROP TABLE "PaymentSearchRow";

CREATE VIRTUAL TABLE "PaymentSearch" USING fts5("paymentId", "cip", "orderName", "email", tokenize = 'trigram');
CREATE TABLE "PaymentSearchRow" (
    "paymentId" TEXT NOT NULL PRIMARY KEY,
    "searchRowid" INTEGER NOT NULL,
    "cipRowid" INTEGER
);

INSERT INTO "PaymentSearch" ("rowid", "paymentId", "orderName", "email") SELECT 2 * "rowid", "id", "orderName", "email" FROM "PaymentSession";
INSERT INTO "PaymentSearch" ("rowid", "paymentId", "cip") SELECT 2 * "rowid" + 1, "id", "cip" FROM "PaymentSession" WHERE "cip" IS NOT NULL;
INSERT INTO "PaymentSearchRow" ("paymentId", "searchRowid", "cipRowid")
SELECT "id", 2 * "rowid", CASE WHEN "cip" IS NULL THEN NULL ELSE 2 * "rowid" + 1 END FROM "PaymentSession";

CREATE TRIGGER "PaymentSearch_insert" AFTER INSERT ON "PaymentSession" BEGIN
  INSERT INTO "PaymentSearch" ("paymentId", "orderName", "email") VALUES (new."id", new."orderName", new."email");
  INSERT OR REPLACE INTO "PaymentSearchRow" ("paymentId", "searchRowid", "cipRowid") VALUES (new."id", last_insert_rowid(), NULL);
  INSERT INTO "PaymentSearch" ("paymentId", "cip") SELECT new."id", new."cip" WHERE new."cip" IS NOT NULL;
  UPDATE "PaymentSearchRow" SET "cipRowid" = last_insert_rowid() WHERE "paymentId" = new."id" AND new."cip" IS NOT NULL;
END;

-- The id, order name or email changed (the CIP may have too): both rows written again.
CREATE TRIGGER "PaymentSearch_update" AFTER UPDATE OF "id", "cip", "orderName", "email" ON "PaymentSession"
WHEN old."id" IS NOT new."id" OR old."orderName" IS NOT new."orderName" OR old."email" IS NOT new."email" BEGIN
  DELETE FROM "PaymentSearch" WHERE "rowid" IN (SELECT "searchRowid" FROM "PaymentSearchRow" WHERE "paymentId" = old."id" UNION ALL SELECT "cipRowid" FROM "PaymentSearchRow" WHERE "paymentId" = old."id");
  DELETE FROM "PaymentSearchRow" WHERE "paymentId" = old."id";
  INSERT INTO "PaymentSearch" ("paymentId", "orderName", "email") VALUES (new."id", new."orderName", new."email");
  INSERT OR REPLACE INTO "PaymentSearchRow" ("paymentId", "searchRowid", "cipRowid") VALUES (new."id", last_insert_rowid(), NULL);
  INSERT INTO "PaymentSearch" ("paymentId", "cip") SELECT new."id", new."cip" WHERE new."cip" IS NOT NULL;
  UPDATE "PaymentSearchRow" SET "cipRowid" = last_insert_rowid() WHERE "paymentId" = new."id" AND new."cip" IS NOT NULL;
END;

-- Only the CIP changed (set when issued): its own row replaced, the payment's first row left as it is.
CREATE TRIGGER "PaymentSearch_update_cip" AFTER UPDATE OF "cip" ON "PaymentSession"
WHEN old."cip" IS NOT new."cip" AND old."id" IS new."id" AND old."orderName" IS new."orderName" AND old."email" IS new."email" BEGIN
  DELETE FROM "PaymentSearch" WHERE "rowid" = (SELECT "cipRowid" FROM "PaymentSearchRow" WHERE "paymentId" = old."id");
  INSERT INTO "PaymentSearch" ("paymentId", "cip") SELECT new."id", new."cip" WHERE new."cip" IS NOT NULL;
  UPDATE "PaymentSearchRow" SET "cipRowid" = CASE WHEN new."cip" IS NULL THEN NULL ELSE last_insert_rowid() END WHERE "paymentId" = old."id";
END;

CREATE TRIGGER "PaymentSearch_delete" AFTER DELETE ON "PaymentSession" BEGIN
  DELETE FROM "PaymentSearch" WHERE "rowid" IN (SELECT "searchRowid" FROM "PaymentSearchRow" WHERE "paymentId" = old."id" UNION ALL SELECT "cipRowid" FROM "PaymentSearchRow" WHERE "paymentId" = old."id");
  DELETE FROM "PaymentSearchRow" WHERE "paymentId" = old."id";
END;
