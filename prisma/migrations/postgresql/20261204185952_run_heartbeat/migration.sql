-- The instance that queued a reconciliation run marks it alive every 30 s; a run queued or running without a
-- heartbeat for 3 minutes was abandoned by a stopped instance and no longer blocks the merchant's button.
-- AlterTable
ALTER TABLE "ReconciliationRun" ADD COLUMN     "heartbeatAt" TIMESTAMP(3);

