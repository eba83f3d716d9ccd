-- AlterTable
ALTER TABLE "DeliveryAttempt" ADD COLUMN "instanceId" TEXT;

