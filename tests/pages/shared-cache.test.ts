// The web server and every worker read one cache, in the database: what one process
// erases, re-configures or changes is never served stale by another. "Another process"
// here is the app's modules loaded afresh, with their own database connections.
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { cached, forgetShopCache } from "~/cache.server";
import { weeklyBandCounts } from "~/health/weekly-bands.server";
import { currentWeek, shiftWeek } from "~/health/weeks.server";
import { validateShopScore } from "~/health/validate-shop.server";
import { runScoreCheck } from "~/health/score-check.server";
import { reportsOverview, scoreValidationReport } from "~/pages/reports/reports.server";
import { thresholdCurve } from "~/pages/reports/threshold";
import { VALIDATION_HORIZON_DAYS } from "~/pages/reports/options";
import { seededShop } from "../support/seeded-shop";

const SHOP = "shared-cache.myshopify.com";
const ERASED = "shared-cache-erased.myshopify.com";
const DAY = 86_400_000;
const now = new Date();
const thisWeek = currentWeek(now, "UTC").key;
const lastWeek = shiftWeek(thisWeek, -1);

declare global {
  // eslint-disable-next-line no-var
  var lifelinePrisma: import("@prisma/client").PrismaClient | undefined;
}

/** The modules a second process would run, each with nothing in memory and its own connections. */
async function anotherProcess() {
  vi.resetModules();
  const ours = globalThis.lifelinePrisma;
  globalThis.lifelinePrisma = undefined;
  try {
    return {
      cache: await import("~/cache.server"),
      shop: await import("~/models/shop.server"),
      scoreSettings: await import("~/pages/settings/score-settings.server"),
      weeklyBands: await import("~/health/weekly-bands.server"),
      prisma: (await import("~/db.server")).default,
    };
  } finally {
    globalThis.lifelinePrisma = ours;
  }
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const entries = (shop: string) => prisma.cacheEntry.count({ where: { shop } });

/** Waits until the entry is claimed (a computation of it is under way), however long that takes. */
async function claimed(shop: string, key: string) {
  while (!(await prisma.cacheEntry.findFirst({ where: { shop, key, claim: { not: null } } }))) await new Promise((r) => setImmediate(r));
}

beforeAll(async () => {
  // Scored last week and this week, so there is a finished week whose counts are kept.
  for (const shop of [SHOP, ERASED]) {
    await seededShop(shop, { subscribers: shop === SHOP ? 240 : 40, months: 8, now: new Date(now.getTime() - 7 * DAY) });
    const { startRescore, scoreDirtySubscribers } = await import("~/rescore/index.server");
    await startRescore(shop, "this week", now);
    while ((await scoreDirtySubscribers(now, 2000)) > 0);
  }
}, 120_000);

describe("the shared cache", () => {
  it("computes a value once: another process reads it instead of computing its own", async () => {
    const first = vi.fn(async () => ({ answer: 42 }));
    expect(await cached(SHOP, "test:once", { now, ttlMs: 60_000 }, first)).toEqual({ answer: 42 });
    const other = await anotherProcess();
    const second = vi.fn(async () => ({ answer: 0 }));
    expect(await other.cache.cached(SHOP, "test:once", { now, ttlMs: 60_000 }, second)).toEqual({ answer: 42 });
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).not.toHaveBeenCalled();
  });

  it("keeps a value for its lifetime by the caller's clock, then computes it again", async () => {
    await cached(SHOP, "test:ttl", { now, ttlMs: 60_000 }, async () => "old");
    expect(await cached(SHOP, "test:ttl", { now: new Date(now.getTime() + 59_999), ttlMs: 60_000 }, async () => "new")).toBe("old");
    expect(await cached(SHOP, "test:ttl", { now: new Date(now.getTime() + 60_000), ttlMs: 60_000 }, async () => "new")).toBe("new");
  });

  it("makes a second process wait for the first one's computation instead of starting its own", async () => {
    const slow = deferred<string>();
    const first = cached(SHOP, "test:wait", { now, ttlMs: 60_000 }, () => slow.promise);
    await claimed(SHOP, "test:wait");
    const other = await anotherProcess();
    const second = vi.fn(async () => "second");
    const waiting = other.cache.cached(SHOP, "test:wait", { now, ttlMs: 60_000, pollMs: 5 }, second);
    slow.resolve("first");
    expect(await first).toBe("first");
    expect(await waiting).toBe("first");
    expect(second).not.toHaveBeenCalled();
  });

  it("takes over a claim whose process stopped once its lease has run out, and keeps the value", async () => {
    await prisma.cacheEntry.create({ data: { shop: SHOP, key: "test:abandoned", claim: "a process that died", createdAt: now, expiresAt: new Date(now.getTime() + 60_000) } });
    expect(await cached(SHOP, "test:abandoned", { now, ttlMs: 60_000, leaseMs: 20, pollMs: 5 }, async () => "taken over")).toBe("taken over");
    expect(await prisma.cacheEntry.findUniqueOrThrow({ where: { shop_key: { shop: SHOP, key: "test:abandoned" } } })).toMatchObject({ value: JSON.stringify("taken over"), claim: null });
  });

  it("does not keep a value computed while another process forgot the shop's cache", async () => {
    const slow = deferred<string>();
    const computing = cached(SHOP, "test:forgotten", { now, ttlMs: 60_000 }, () => slow.promise);
    await claimed(SHOP, "test:forgotten");
    await (await anotherProcess()).cache.forgetShopCache(SHOP);
    slow.resolve("from before the change");
    // The caller that asked before the change gets its answer; nobody after it does.
    expect(await computing).toBe("from before the change");
    expect(await cached(SHOP, "test:forgotten", { now, ttlMs: 60_000 }, async () => "after the change")).toBe("after the change");
  });

  it("leaves nothing behind when a computation fails, so the next caller computes at once", async () => {
    await expect(cached(SHOP, "test:fails", { now, ttlMs: 60_000 }, async () => Promise.reject(new Error("replay failed")))).rejects.toThrow("replay failed");
    expect(await prisma.cacheEntry.count({ where: { shop: SHOP, key: "test:fails" } })).toBe(0);
    expect(await cached(SHOP, "test:fails", { now, ttlMs: 60_000 }, async () => "worked")).toBe("worked");
  });
});

describe("the pages' cached figures across processes", () => {
  it("a shop erased by another process: its finished weeks are not counted from the cache", async () => {
    const before = await weeklyBandCounts(ERASED, [lastWeek, thisWeek], thisWeek, now);
    const total = (week: string, counts: typeof before) => [...counts.get(week)!.values()].reduce((n, c) => n + c, 0);
    expect(total(lastWeek, before)).toBe(await prisma.healthHistory.count({ where: { shop: ERASED, kind: "weekly", periodKey: lastWeek } }));
    expect(total(lastWeek, before)).toBeGreaterThan(0);
    expect(await entries(ERASED)).toBeGreaterThan(0);

    await (await anotherProcess()).shop.eraseShopData(ERASED);

    expect(await entries(ERASED)).toBe(0);
    const after = await weeklyBandCounts(ERASED, [lastWeek, thisWeek], thisWeek, now);
    expect(total(lastWeek, after)).toBe(0);
    expect(total(thisWeek, after)).toBe(0);
  });

  it("a finished week rewritten by another process (a late event): the next count reflects it, nothing else is forgotten", async () => {
    const critical = async () => (await weeklyBandCounts(SHOP, [lastWeek, thisWeek], thisWeek, now)).get(lastWeek)!.get("critical") ?? 0;
    const before = await critical();
    await cached(SHOP, "test:unrelated", { now, ttlMs: 60_000 }, async () => "kept");
    const other = await anotherProcess();
    const db = new Database(process.env.DATABASE_URL!.replace(/^file:/, ""));
    const moved = db
      .prepare(`UPDATE "HealthHistory" SET "band" = 'critical' WHERE "id" IN (SELECT "id" FROM "HealthHistory" WHERE "shop" = ? AND "kind" = 'weekly' AND "periodKey" = ? AND "band" <> 'critical' LIMIT 3)`)
      .run(SHOP, lastWeek).changes;
    db.close();
    await other.weeklyBands.forgetWeeklyBandCounts(SHOP);
    expect(moved).toBe(3);
    expect(await critical()).toBe(before + 3);
    expect(await cached(SHOP, "test:unrelated", { now, ttlMs: 60_000 }, async () => "computed again")).toBe("kept");
  });

  it("erasing a shop leaves the other shops' entries alone", async () => {
    await weeklyBandCounts(SHOP, [lastWeek, thisWeek], thisWeek, now);
    const kept = await entries(SHOP);
    await (await anotherProcess()).shop.eraseShopData("nobody.myshopify.com");
    expect(await entries(SHOP)).toBe(kept);
    expect(kept).toBeGreaterThan(0);
  });

  it("a subscriber another process added shows in the tenure report once the shop's cache is forgotten", async () => {
    const reached = async () => (await reportsOverview(SHOP, now)).tenure.buckets[0].reached;
    const before = await reached();
    const other = await anotherProcess();
    await other.prisma.subscriber.create({ data: { shop: SHOP, customerId: "new-in-other-process", status: "active", firstSubscribedAt: new Date(now.getTime() - DAY) } });
    // Within its five minutes the report is the one computed (by design); forgetting the shop's cache ends that.
    expect(await reached()).toBe(before);
    await other.cache.forgetShopCache(SHOP);
    expect(await reached()).toBe(before + 1);
  });

  it("score settings saved in another process: the next score-accuracy report replays the new weights", async () => {
    await runScoreCheck(SHOP, now);
    const before = await scoreValidationReport(SHOP, now);
    const other = await anotherProcess();
    const saved = await other.scoreSettings.saveScoreSettings(SHOP, { "all|weights.paused": "0", "all|weights.consecutiveSkips": "0" }, now);
    expect(saved.ok).toBe(true);

    // The check for the old weights is not shown for the new ones; the job computes it again.
    expect((await scoreValidationReport(SHOP, now)).status).toBe("computing");
    await runScoreCheck(SHOP, now);
    const after = await scoreValidationReport(SHOP, now);
    const fresh = (await validateShopScore(SHOP, now, { horizonDays: VALIDATION_HORIZON_DAYS })).backtest;
    if (before.status !== "ok" || after.status !== "ok" || fresh.status !== "ok") throw new Error(`the store is too small to judge the score: ${before.status}`);
    expect(after.curve).toEqual(thresholdCurve(fresh.observations, fresh.horizonDays));
    expect(after.curve).not.toEqual(before.curve);
  });
});
