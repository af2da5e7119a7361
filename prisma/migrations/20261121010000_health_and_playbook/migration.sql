-- CreateTable
CREATE TABLE "ShopSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "healthConfig" TEXT,
    "maxPlaysPerWeek" INTEGER NOT NULL DEFAULT 3,
    "digestEnabled" BOOLEAN NOT NULL DEFAULT false,
    "digestEmail" TEXT,
    "digestWeekday" INTEGER NOT NULL DEFAULT 1,
    "retentionDays" INTEGER NOT NULL DEFAULT 730,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "HealthScore" (
    "subscriberId" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "band" TEXT NOT NULL,
    "segmentKey" TEXT NOT NULL,
    "factors" TEXT NOT NULL,
    "signals" TEXT NOT NULL,
    "snapshot" TEXT NOT NULL,
    "computedAt" DATETIME NOT NULL,
    "bandSince" DATETIME NOT NULL,
    CONSTRAINT "HealthScore_subscriberId_fkey" FOREIGN KEY ("subscriberId") REFERENCES "Subscriber" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HealthHistory" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "subscriberId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "periodKey" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "score" INTEGER NOT NULL,
    "band" TEXT NOT NULL,
    "fromBand" TEXT,
    CONSTRAINT "HealthHistory_subscriberId_fkey" FOREIGN KEY ("subscriberId") REFERENCES "Subscriber" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RescoreRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Trigger" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "retiredAt" DATETIME
);

-- CreateTable
CREATE TABLE "Firing" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "triggerKey" TEXT NOT NULL,
    "subscriberId" TEXT NOT NULL,
    "firedAt" DATETIME NOT NULL,
    "holdout" BOOLEAN NOT NULL,
    "reasons" TEXT NOT NULL,
    "snapshot" TEXT NOT NULL,
    "outcomeDueAt" DATETIME NOT NULL,
    "actionAt" DATETIME,
    "outcome" TEXT,
    "outcomeAt" DATETIME,
    CONSTRAINT "Firing_subscriberId_fkey" FOREIGN KEY ("subscriberId") REFERENCES "Subscriber" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PlayDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "firingId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "metric" TEXT,
    "uniqueId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME,
    CONSTRAINT "PlayDelivery_firingId_fkey" FOREIGN KEY ("firingId") REFERENCES "Firing" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Task" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "firingId" TEXT,
    "subscriberId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "suggestedAction" TEXT NOT NULL,
    "reasons" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "snoozedUntil" DATETIME,
    "closedAt" DATETIME,
    "closeReason" TEXT,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Task_firingId_fkey" FOREIGN KEY ("firingId") REFERENCES "Firing" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Task_subscriberId_fkey" FOREIGN KEY ("subscriberId") REFERENCES "Subscriber" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "KlaviyoConnection" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "encryptedKey" TEXT NOT NULL,
    "accountName" TEXT,
    "validatedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "HealthScore_shop_band_score_idx" ON "HealthScore"("shop", "band", "score");

-- CreateIndex
CREATE INDEX "HealthScore_shop_score_idx" ON "HealthScore"("shop", "score");

-- CreateIndex
CREATE INDEX "HealthHistory_shop_kind_periodKey_idx" ON "HealthHistory"("shop", "kind", "periodKey");

-- CreateIndex
CREATE INDEX "HealthHistory_shop_at_idx" ON "HealthHistory"("shop", "at");

-- CreateIndex
CREATE UNIQUE INDEX "HealthHistory_subscriberId_kind_periodKey_key" ON "HealthHistory"("subscriberId", "kind", "periodKey");

-- CreateIndex
CREATE INDEX "RescoreRun_shop_createdAt_idx" ON "RescoreRun"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Trigger_shop_key_key" ON "Trigger"("shop", "key");

-- CreateIndex
CREATE INDEX "Firing_shop_triggerKey_firedAt_idx" ON "Firing"("shop", "triggerKey", "firedAt");

-- CreateIndex
CREATE INDEX "Firing_subscriberId_firedAt_idx" ON "Firing"("subscriberId", "firedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Firing_shop_triggerKey_subscriberId_firedAt_key" ON "Firing"("shop", "triggerKey", "subscriberId", "firedAt");

-- CreateIndex
CREATE INDEX "PlayDelivery_shop_status_idx" ON "PlayDelivery"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "PlayDelivery_firingId_kind_key" ON "PlayDelivery"("firingId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "Task_firingId_key" ON "Task"("firingId");

-- CreateIndex
CREATE INDEX "Task_shop_status_dueAt_idx" ON "Task"("shop", "status", "dueAt");

