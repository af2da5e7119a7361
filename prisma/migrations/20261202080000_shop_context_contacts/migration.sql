-- The shop's owner email and when its currency, time zone and email were read from Shopify;
-- when the merchant last contacted a subscriber; the weekly digest on by default.
-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "contextSyncedAt" DATETIME;
ALTER TABLE "Shop" ADD COLUMN "email" TEXT;

-- AlterTable
ALTER TABLE "Subscriber" ADD COLUMN "contactedAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ShopSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "healthConfig" TEXT,
    "maxPlaysPerWeek" INTEGER NOT NULL DEFAULT 3,
    "liveWindowDays" INTEGER NOT NULL DEFAULT 3,
    "digestEnabled" BOOLEAN NOT NULL DEFAULT true,
    "digestEmail" TEXT,
    "digestWeekday" INTEGER NOT NULL DEFAULT 1,
    "digestHour" INTEGER NOT NULL DEFAULT 8,
    "retentionDays" INTEGER NOT NULL DEFAULT 730,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_ShopSettings" ("digestEmail", "digestEnabled", "digestHour", "digestWeekday", "healthConfig", "liveWindowDays", "maxPlaysPerWeek", "retentionDays", "shop", "updatedAt") SELECT "digestEmail", "digestEnabled", "digestHour", "digestWeekday", "healthConfig", "liveWindowDays", "maxPlaysPerWeek", "retentionDays", "shop", "updatedAt" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

