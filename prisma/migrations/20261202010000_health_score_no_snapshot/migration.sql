-- The rescore walk edge-checks triggers against the states it walks through, never
-- against a stored snapshot: the column was written on every rescore and read by nothing.
ALTER TABLE "HealthScore" DROP COLUMN "snapshot";
