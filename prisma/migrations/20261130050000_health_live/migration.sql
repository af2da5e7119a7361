-- AlterTable
ALTER TABLE "HealthScore" ADD COLUMN "live" BOOLEAN NOT NULL DEFAULT true;

-- Scores kept for subscribers who have since cancelled are not live.
UPDATE "HealthScore" SET "live" = false WHERE "subscriberId" IN (SELECT "id" FROM "Subscriber" WHERE "status" = 'cancelled');

-- CreateIndex
CREATE INDEX "HealthScore_shop_live_band_idx" ON "HealthScore"("shop", "live", "band");
