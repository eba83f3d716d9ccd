-- AlterTable
ALTER TABLE "PaymentSession" ADD COLUMN "orderLinkConfidence" TEXT;

