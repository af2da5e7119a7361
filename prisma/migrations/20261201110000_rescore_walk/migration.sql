-- The rescore walk: where each subscriber's history last stood, the earliest late event
-- since, retries of failed rescores, live flags on history, and the live window setting.
ALTER TABLE "Subscriber" ADD COLUMN "scoreDirtyFrom" DATETIME;
ALTER TABLE "Subscriber" ADD COLUMN "scoreFailures" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Subscriber" ADD COLUMN "scoreRetryAt" DATETIME;
ALTER TABLE "ShopSettings" ADD COLUMN "liveWindowDays" INTEGER NOT NULL DEFAULT 3;
ALTER TABLE "HealthScore" ADD COLUMN "stepAt" DATETIME;
ALTER TABLE "HealthScore" ADD COLUMN "stepBand" TEXT;
ALTER TABLE "HealthHistory" ADD COLUMN "live" BOOLEAN NOT NULL DEFAULT true;
