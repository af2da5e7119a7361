-- AlterTable
ALTER TABLE "Subscriber" ADD COLUMN "scoreDirtyAt" DATETIME;

-- CreateIndex
CREATE INDEX "Subscriber_scoreDirtyAt_idx" ON "Subscriber"("scoreDirtyAt");

