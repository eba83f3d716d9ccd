-- AlterTable (a constant default: SQLite adds the column in place; Prisma's generated table rebuild is not
-- used because DROP TABLE "Shop" inside the migration's transaction, where PRAGMA foreign_keys cannot be
-- turned off, would cascade to every payment)
ALTER TABLE "Shop" ADD COLUMN "settlementLinesVersion" INTEGER NOT NULL DEFAULT 0;
