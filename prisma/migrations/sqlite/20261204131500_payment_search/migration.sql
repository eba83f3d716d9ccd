-- The admin list's search (a substring of the CIP, order name, email or id) over a shop's payments, served
-- by an FTS5 trigram index instead of a LIKE '%q%' scan of every row (issue #13: over 1,000,000 payments the
-- scan took seconds). Written by hand: Prisma's schema cannot describe a virtual table, and `migrate diff`
-- between schema snapshots never sees it. The table holds a copy of the four searched columns, kept by the
-- triggers below; rows are found by paymentId through the index itself (no reliance on rowids, which VACUUM
-- may renumber in a table without an INTEGER PRIMARY KEY). Read by app/adapters/db/prisma-admin-payments.ts.
CREATE VIRTUAL TABLE "PaymentSearch" USING fts5("paymentId", "cip", "orderName", "email", tokenize = 'trigram');

INSERT INTO "PaymentSearch" ("paymentId", "cip", "orderName", "email")
SELECT "id", "cip", "orderName", "email" FROM "PaymentSession";

CREATE TRIGGER "PaymentSearch_insert" AFTER INSERT ON "PaymentSession" BEGIN
  INSERT INTO "PaymentSearch" ("paymentId", "cip", "orderName", "email") VALUES (new."id", new."cip", new."orderName", new."email");
END;

CREATE TRIGGER "PaymentSearch_update" AFTER UPDATE OF "id", "cip", "orderName", "email" ON "PaymentSession" BEGIN
  DELETE FROM "PaymentSearch" WHERE "rowid" IN (
    SELECT "rowid" FROM "PaymentSearch" WHERE length(old."id") >= 3 AND "PaymentSearch" MATCH ('paymentId : "' || replace(old."id", '"', '""') || '"')
  ) AND "paymentId" = old."id";
  DELETE FROM "PaymentSearch" WHERE length(old."id") < 3 AND "paymentId" = old."id";
  INSERT INTO "PaymentSearch" ("paymentId", "cip", "orderName", "email") VALUES (new."id", new."cip", new."orderName", new."email");
END;

CREATE TRIGGER "PaymentSearch_delete" AFTER DELETE ON "PaymentSession" BEGIN
  DELETE FROM "PaymentSearch" WHERE "rowid" IN (
    SELECT "rowid" FROM "PaymentSearch" WHERE length(old."id") >= 3 AND "PaymentSearch" MATCH ('paymentId : "' || replace(old."id", '"', '""') || '"')
  ) AND "paymentId" = old."id";
  DELETE FROM "PaymentSearch" WHERE length(old."id") < 3 AND "paymentId" = old."id";
END;
