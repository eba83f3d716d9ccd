-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "settlementLinesVersion" INTEGER NOT NULL DEFAULT 0;

