-- PaymentSearchRow (a payment's id -> its two search rows' rowids) was a rowid table with a TEXT primary key: two
-- B-trees (the table and its primary-key index) written for every payment session inserted and again when its CIP
-- is set. WITHOUT ROWID keeps the rows in the primary key's B-tree alone: one B-tree written instead of two, about
-- 0.1 ms less CPU per payment session in the write transaction (bench/sessions/write-units.ts, RESULTS-writes.md;
-- issue #13). Same columns, same rows, same triggers (dropped and created again only because the table is rebuilt
-- under them). SQLite only, like the search table itself.
DROP TRIGGER "PaymentSearch_insert";
DROP TRIGGER "PaymentSearch_update";
DROP TRIGGER "PaymentSearch_update_cip";
DROP TRIGGER "PaymentSearch_delete";

CREATE TABLE "PaymentSearchRow_new" (
    "paymentId" TEXT NOT NULL PRIMARY KEY,
    "searchRowid" INTEGER NOT NULL,
    "cipRowid" INTEGER
) WITHOUT ROWID;
INSERT INTO "PaymentSearchRow_new" ("paymentId", "searchRowid", "cipRowid") SELECT "paymentId", "searchRowid", "cipRowid" FROM "PaymentSearchRow";
DROP TABLE "PaymentSearchRow";
ALTER TABLE "PaymentSearchRow_new" RENAME TO "PaymentSearchRow";

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
