-- CreateIndex
CREATE INDEX "PaymentSession_shopId_state_createdAt_idx" ON "PaymentSession"("shopId", "state", "createdAt");

