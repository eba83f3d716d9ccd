-- The admin list's search (a case-insensitive substring of the CIP, order name, email or id) served by a
-- trigram GIN index, which ILIKE '%q%' uses, instead of a scan of every row (issue #13). Written by hand:
-- Prisma's schema cannot describe the operator classes. pg_trgm ships with PostgreSQL (contrib) and is a
-- trusted extension since PostgreSQL 13, so the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "PaymentSession_search_trgm_idx" ON "PaymentSession" USING gin ("cip" gin_trgm_ops, "orderName" gin_trgm_ops, "email" gin_trgm_ops, "id" gin_trgm_ops);
