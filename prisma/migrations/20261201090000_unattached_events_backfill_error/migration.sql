-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "backfillError" TEXT;

-- CreateTable
CREATE TABLE "UnattachedEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "data" TEXT NOT NULL DEFAULT '{}',
    "sourceKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "UnattachedEvent_shop_contractId_idx" ON "UnattachedEvent"("shop", "contractId");

-- CreateIndex
CREATE UNIQUE INDEX "UnattachedEvent_shop_sourceKey_key" ON "UnattachedEvent"("shop", "sourceKey");
