-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "subscriptionApp" TEXT;

-- CreateTable
CREATE TABLE "SourceConnection" (
    "shop" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "encryptedCredentials" TEXT NOT NULL,
    "connectedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "webhookIds" TEXT NOT NULL DEFAULT '[]',
    "lastEventAt" DATETIME,
    "lastError" TEXT,
    "lastErrorAt" DATETIME,
    "backfillStatus" TEXT NOT NULL DEFAULT 'pending',
    "backfillProgress" TEXT NOT NULL DEFAULT '{}',
    "backfillError" TEXT,
    "backfillAt" DATETIME,

    PRIMARY KEY ("shop", "source")
);
