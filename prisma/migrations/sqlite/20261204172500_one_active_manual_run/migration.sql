-- One manual run per shop while it is queued or running (issue #12): a double click, a second tab or two app
-- instances behind a load balancer all insert the same row, and the database lets only one in; the others
-- answer the run that is there. Runs left queued or running by a crashed instance are failed (marked stale)
-- before a new one is inserted, so the index never blocks the button for good.
-- Prisma's schema language has no partial indexes, so this index is hand-written and not in schema.snapshot.prisma
-- (`prisma migrate diff` compares schema to schema, so it never drops it). Partial indexes:
-- https://www.sqlite.org/partialindex.html and https://www.postgresql.org/docs/current/indexes-partial.html
-- Runs already duplicated before this migration (the bug) are failed first, keeping the newest.
UPDATE "ReconciliationRun" SET "status" = 'failed', "error" = 'Duplicate manual run (issue #12)'
WHERE "trigger" = 'manual' AND "status" IN ('queued', 'running')
  AND EXISTS (
    SELECT 1 FROM "ReconciliationRun" AS newer
    WHERE newer."shopId" = "ReconciliationRun"."shopId" AND newer."trigger" = 'manual' AND newer."status" IN ('queued', 'running')
      AND (newer."startedAt" > "ReconciliationRun"."startedAt" OR (newer."startedAt" = "ReconciliationRun"."startedAt" AND newer."id" > "ReconciliationRun"."id"))
  );

CREATE UNIQUE INDEX "ReconciliationRun_one_active_manual" ON "ReconciliationRun" ("shopId")
WHERE "trigger" = 'manual' AND "status" IN ('queued', 'running');
