-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN "digestHour" INTEGER NOT NULL DEFAULT 8;
