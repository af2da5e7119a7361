-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN "weeklyContacts" INTEGER;

-- CreateTable
CREATE TABLE "ScoreFit" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "fittedWeights" TEXT,
    "previousConfig" TEXT,
    "metrics" TEXT NOT NULL,
    "asOf" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" DATETIME,
    "revertedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "ScoreFit_shop_createdAt_idx" ON "ScoreFit"("shop", "createdAt");

