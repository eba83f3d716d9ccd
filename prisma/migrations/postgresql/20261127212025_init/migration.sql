-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Shop" (
    "id" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "installedAt" TIMESTAMP(3) NOT NULL,
    "uninstalledAt" TIMESTAMP(3),
    "offlineTokenEncrypted" TEXT,
    "scopes" TEXT,
    "notificationKey" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'es',
    "timezone" TEXT NOT NULL DEFAULT 'America/Lima',
    "cipLifetimeHours" INTEGER NOT NULL DEFAULT 48,
    "paymentConcept" TEXT,
    "externalHandle" TEXT,
    "ready" BOOLEAN NOT NULL DEFAULT false,
    "notificationUrlConfirmedAt" TIMESTAMP(3),
    "legalName" TEXT,
    "ruc" TEXT,
    "settlementMappingJson" TEXT,
    "payoutCycleJson" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PagoEfectivoCredential" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "accessKey" TEXT NOT NULL,
    "secretKeyEncrypted" TEXT NOT NULL,
    "idService" INTEGER NOT NULL,
    "verifiedAt" TIMESTAMP(3),
    "lastTestError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PagoEfectivoCredential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaymentSession" (
    "id" TEXT NOT NULL,
    "gid" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "groupId" TEXT,
    "checkoutSessionId" TEXT,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL,
    "kind" TEXT NOT NULL,
    "merchantLocale" TEXT,
    "buyerLocale" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "phoneCountryCode" TEXT,
    "givenName" TEXT,
    "familyName" TEXT,
    "cancelUrl" TEXT,
    "proposedAt" TIMESTAMP(3) NOT NULL,
    "requestId" TEXT NOT NULL,
    "apiVersion" TEXT NOT NULL,
    "requestBody" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "buyerToken" TEXT NOT NULL,
    "cip" TEXT,
    "cipUrl" TEXT,
    "cipExpiresAt" TIMESTAMP(3),
    "cipIssuedAt" TIMESTAMP(3),
    "cipAttempts" INTEGER NOT NULL DEFAULT 0,
    "issuingUntil" TIMESTAMP(3),
    "environment" TEXT NOT NULL,
    "nextActionUrl" TEXT,
    "shopifyState" TEXT,
    "paidAt" TIMESTAMP(3),
    "paidAmountMinor" INTEGER,
    "paidCurrency" TEXT,
    "operationNumber" TEXT,
    "paidVia" TEXT,
    "channel" TEXT,
    "orderId" TEXT,
    "orderName" TEXT,
    "orderFinancialStatus" TEXT,
    "rejectionReason" TEXT,
    "lastPolledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PaymentSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaymentEvent" (
    "id" TEXT NOT NULL,
    "paymentSessionId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "detailJson" TEXT NOT NULL,

    CONSTRAINT "PaymentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PagoEfectivoNotification" (
    "id" TEXT NOT NULL,
    "shopId" TEXT,
    "paymentSessionId" TEXT,
    "cip" TEXT,
    "operationNumber" TEXT,
    "eventType" TEXT,
    "rawBody" BYTEA NOT NULL,
    "headersJson" TEXT NOT NULL,
    "signature" TEXT,
    "signatureValid" BOOLEAN NOT NULL,
    "verificationReason" TEXT,
    "dedupeKey" TEXT,
    "outcome" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PagoEfectivoNotification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxJob" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "paymentSessionId" TEXT,
    "refundSessionId" TEXT,
    "payloadJson" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "leaseUntil" TIMESTAMP(3),
    "lockedBy" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "OutboxJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeliveryAttempt" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "paymentSessionId" TEXT,
    "refundSessionId" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "outcome" TEXT NOT NULL,
    "detail" TEXT NOT NULL,

    CONSTRAINT "DeliveryAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RefundSession" (
    "id" TEXT NOT NULL,
    "gid" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "paymentSessionId" TEXT NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL,
    "merchantLocale" TEXT,
    "proposedAt" TIMESTAMP(3) NOT NULL,
    "requestId" TEXT NOT NULL,
    "requestBody" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "method" TEXT,
    "reference" TEXT,
    "refundedOn" TIMESTAMP(3),
    "note" TEXT,
    "rejectReason" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decidedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RefundSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReconciliationException" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "paymentSessionId" TEXT,
    "cip" TEXT,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "evidenceJson" TEXT NOT NULL,
    "suggestedActionEs" TEXT NOT NULL,
    "suggestedActionEn" TEXT NOT NULL,
    "detectedAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "resolutionNote" TEXT,
    "resolvedBy" TEXT,
    "runId" TEXT,
    "historyJson" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "ReconciliationException_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopifySession" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessTokenEncrypted" TEXT,
    "userId" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN,
    "locale" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopifySession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopifyWebhookDelivery" (
    "id" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "result" TEXT NOT NULL,

    CONSTRAINT "ShopifyWebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SchedulerLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "leaseUntil" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SchedulerLease_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "SettlementImport" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "fileHash" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL DEFAULT 0,
    "bytesRead" INTEGER NOT NULL DEFAULT 0,
    "totalRows" INTEGER NOT NULL DEFAULT 0,
    "goodRows" INTEGER NOT NULL DEFAULT 0,
    "badRows" INTEGER NOT NULL DEFAULT 0,
    "duplicateRows" INTEGER NOT NULL DEFAULT 0,
    "errorsJson" TEXT NOT NULL DEFAULT '[]',
    "mappingJson" TEXT,
    "failureReason" TEXT,
    "coverageFrom" TIMESTAMP(3),
    "coverageTo" TIMESTAMP(3),
    "reconciliationRunId" TEXT,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "heartbeatAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SettlementImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SettlementLine" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "importId" TEXT NOT NULL,
    "lineNumber" INTEGER NOT NULL,
    "lineKey" TEXT NOT NULL,
    "cip" TEXT NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "paymentDate" TIMESTAMP(3),
    "channel" TEXT,
    "commissionMinor" INTEGER,
    "netMinor" INTEGER,
    "payoutDate" TIMESTAMP(3),
    "operationNumber" TEXT,
    "status" TEXT,
    "paymentSessionId" TEXT,

    CONSTRAINT "SettlementLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeeScheduleEntry" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "percentBps" INTEGER NOT NULL,
    "fixedMinor" INTEGER NOT NULL,
    "taxBps" INTEGER,
    "effectiveFrom" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3),

    CONSTRAINT "FeeScheduleEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReconciliationRun" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "statsJson" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "ReconciliationRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");

-- CreateIndex
CREATE UNIQUE INDEX "Shop_notificationKey_key" ON "Shop"("notificationKey");

-- CreateIndex
CREATE UNIQUE INDEX "PagoEfectivoCredential_shopId_environment_key" ON "PagoEfectivoCredential"("shopId", "environment");

-- CreateIndex
CREATE UNIQUE INDEX "PaymentSession_buyerToken_key" ON "PaymentSession"("buyerToken");

-- CreateIndex
CREATE UNIQUE INDEX "PaymentSession_cip_key" ON "PaymentSession"("cip");

-- CreateIndex
CREATE INDEX "PaymentSession_shopId_createdAt_idx" ON "PaymentSession"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "PaymentSession_state_cipExpiresAt_idx" ON "PaymentSession"("state", "cipExpiresAt");

-- CreateIndex
CREATE INDEX "PaymentSession_shopId_cip_idx" ON "PaymentSession"("shopId", "cip");

-- CreateIndex
CREATE INDEX "PaymentEvent_paymentSessionId_at_idx" ON "PaymentEvent"("paymentSessionId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "PagoEfectivoNotification_dedupeKey_key" ON "PagoEfectivoNotification"("dedupeKey");

-- CreateIndex
CREATE INDEX "PagoEfectivoNotification_shopId_receivedAt_idx" ON "PagoEfectivoNotification"("shopId", "receivedAt");

-- CreateIndex
CREATE INDEX "PagoEfectivoNotification_cip_idx" ON "PagoEfectivoNotification"("cip");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxJob_dedupeKey_key" ON "OutboxJob"("dedupeKey");

-- CreateIndex
CREATE INDEX "OutboxJob_status_nextAttemptAt_idx" ON "OutboxJob"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxJob_paymentSessionId_idx" ON "OutboxJob"("paymentSessionId");

-- CreateIndex
CREATE INDEX "DeliveryAttempt_jobId_idx" ON "DeliveryAttempt"("jobId");

-- CreateIndex
CREATE INDEX "DeliveryAttempt_paymentSessionId_idx" ON "DeliveryAttempt"("paymentSessionId");

-- CreateIndex
CREATE INDEX "RefundSession_shopId_state_createdAt_idx" ON "RefundSession"("shopId", "state", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReconciliationException_dedupeKey_key" ON "ReconciliationException"("dedupeKey");

-- CreateIndex
CREATE INDEX "ReconciliationException_shopId_status_detectedAt_idx" ON "ReconciliationException"("shopId", "status", "detectedAt");

-- CreateIndex
CREATE INDEX "ReconciliationException_paymentSessionId_idx" ON "ReconciliationException"("paymentSessionId");

-- CreateIndex
CREATE INDEX "ReconciliationException_shopId_kind_cip_idx" ON "ReconciliationException"("shopId", "kind", "cip");

-- CreateIndex
CREATE INDEX "ShopifySession_shop_idx" ON "ShopifySession"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "ShopifyWebhookDelivery_webhookId_key" ON "ShopifyWebhookDelivery"("webhookId");

-- CreateIndex
CREATE INDEX "SettlementImport_shopId_createdAt_idx" ON "SettlementImport"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SettlementImport_shopId_fileHash_key" ON "SettlementImport"("shopId", "fileHash");

-- CreateIndex
CREATE INDEX "SettlementLine_shopId_cip_idx" ON "SettlementLine"("shopId", "cip");

-- CreateIndex
CREATE INDEX "SettlementLine_importId_lineNumber_idx" ON "SettlementLine"("importId", "lineNumber");

-- CreateIndex
CREATE INDEX "SettlementLine_shopId_paymentDate_idx" ON "SettlementLine"("shopId", "paymentDate");

-- CreateIndex
CREATE UNIQUE INDEX "SettlementLine_shopId_lineKey_key" ON "SettlementLine"("shopId", "lineKey");

-- CreateIndex
CREATE INDEX "FeeScheduleEntry_shopId_idx" ON "FeeScheduleEntry"("shopId");

-- CreateIndex
CREATE INDEX "ReconciliationRun_shopId_startedAt_idx" ON "ReconciliationRun"("shopId", "startedAt");

-- AddForeignKey
ALTER TABLE "PagoEfectivoCredential" ADD CONSTRAINT "PagoEfectivoCredential_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PaymentSession" ADD CONSTRAINT "PaymentSession_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PaymentEvent" ADD CONSTRAINT "PaymentEvent_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryAttempt" ADD CONSTRAINT "DeliveryAttempt_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "OutboxJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RefundSession" ADD CONSTRAINT "RefundSession_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

