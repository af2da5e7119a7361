-- CreateTable
CREATE TABLE "CacheEntry" (
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT,
    "claim" TEXT,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "key")
);

