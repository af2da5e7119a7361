// A store from the simulator in this test file's database, installed and scored as the
// pipeline would leave it: for loader and action tests of the admin pages.
import { seedStore, type SeedResult } from "../../scripts/lib/seed-store";
import { installShop } from "./shop";

export interface SeededShop extends SeedResult {
  shop: string;
  now: Date;
}

export async function seededShop(shop: string, opts: { subscribers?: number; months?: number; seed?: number; now?: Date } = {}): Promise<SeededShop> {
  const now = opts.now ?? new Date();
  const file = process.env.DATABASE_URL!.replace(/^file:/, "");
  const result = seedStore({ file, shop, subscribers: opts.subscribers ?? 300, months: opts.months ?? 8, seed: opts.seed ?? 11, end: now });
  await installShop(shop);
  const { startRescore, scoreDirtySubscribers } = await import("~/rescore/index.server");
  await startRescore(shop, "test seed", now);
  while ((await scoreDirtySubscribers(now, 2000)) > 0);
  return { ...result, shop, now };
}
