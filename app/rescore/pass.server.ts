/**
 * The rescore stage's driver: subscribers marked dirty are planned (plan.ts) and written
 * (write.server.ts) a batch at a time, shop by shop. A batch that fails is split so one
 * bad subscriber cannot hold back the others; what still fails keeps its marks and is
 * tried again with backoff. Nothing here is held between passes: several processes may
 * run it against the same database.
 */
import { directDb, prepared, sqliteTime } from "../db-direct.server";
import { shopScoring, type ShopScoring } from "../health/settings.server";
import { logger } from "../log.server";
import { ensurePlaybook, loadTriggers, upgradeUneditedDefaults } from "../models/triggers.server";
import prisma from "../db.server";
import type { TriggerDefinition } from "../playbook/schema";
import { retryDelayMs } from "../queue/backoff";
import { notifyWorkers, shopsWithWorkDue } from "../queue/jobs.server";
import { forgetWeeklyBandCounts } from "../health/weekly-bands.server";
import { weekKeyOf } from "./calendar";
import { loadBatch } from "./load.server";
import { planRescore, type RescorePlan } from "./plan";
import { finishRescoreRuns, scheduleDailyRescores } from "./runs.server";
import { deferFailed, settleUnscored, writePlans } from "./write.server";

const DAY_MS = 86_400_000;
const BATCH = 400;
/** Firings looked back over for cooldowns and the weekly cap, beyond the live window. */
const RECENT_DAYS = 30;

export interface BatchOutcome {
  scored: number;
  firings: number;
  plays: number;
}

/** The shop's triggers, seeded with the default playbook on first use; unedited defaults kept current. */
async function shopTriggers(shop: string): Promise<TriggerDefinition[]> {
  await upgradeUneditedDefaults(prisma, shop);
  let triggers = await loadTriggers(prisma, shop);
  if (triggers.length === 0) {
    await ensurePlaybook(prisma, shop);
    triggers = await loadTriggers(prisma, shop);
  }
  return triggers;
}

/** Plans and writes one batch of one shop's subscribers. */
export async function rescoreBatch(
  shop: string,
  ids: string[],
  now: Date,
  scoring?: ShopScoring,
  triggers?: readonly TriggerDefinition[],
  options: { deferTail?: boolean } = {},
): Promise<BatchOutcome> {
  if (ids.length === 0) return { scored: 0, firings: 0, plays: 0 };
  const s = scoring ?? (await shopScoring(shop));
  const t = triggers ?? (await shopTriggers(shop));
  const liveWindowMs = s.liveWindowDays * DAY_MS;
  const lookbackDays = Math.max(RECENT_DAYS, ...t.map((x) => x.cooldownDays));
  const inputs = loadBatch(shop, ids, s.timeZone, now, new Date(now.getTime() - liveWindowMs - lookbackDays * DAY_MS));
  const ctx = {
    shop,
    config: s.config,
    timeZone: s.timeZone,
    triggers: t,
    caps: { maxPlaysPerWeek: s.maxPlaysPerWeek },
    liveWindowMs,
    flowEnabled: inputs.hasOfflineSession,
    deferTail: options.deferTail ?? false,
    now,
  };
  const plans: RescorePlan[] = [];
  const unscored: string[] = [];
  for (const sub of inputs.subscribers) {
    const plan = planRescore(sub, ctx);
    if (plan) plans.push(plan);
    else unscored.push(sub.id);
  }
  const written = await writePlans(shop, plans, inputs.dirtyMarks, now);
  // Finished weeks' snapshots were written (a walk past a week's end, or history rewritten
  // behind a late event): their kept counts are out of date in every process.
  const currentWeek = weekKeyOf(now.getTime(), s.timeZone);
  if (plans.some((p) => p.rewriteFrom !== null || p.history.some((h) => h.kind === "weekly" && h.periodKey < currentWeek))) await forgetWeeklyBandCounts(shop);
  await settleUnscored(shop, unscored, inputs.dirtyMarks);
  if (written.plays > 0) notifyWorkers("play");
  if (plans.some((p) => p.jobs.length > 0)) notifyWorkers("flow");
  return { scored: plans.length, ...written };
}

/** Queues whose waiting jobs mean a shop's history is still arriving. */
const INFLOW_QUEUES = ["webhook", "backfill", "source"] as const;
/**
 * How long a subscriber with only time to catch up on (a deferred tail, the daily decay,
 * new facts) waits for a busy shop's inflow to stop. Scheduling only: it bounds the wait
 * for a store whose webhooks never stop, and never changes what a walk computes.
 */
const TAIL_WAIT_MS = 2 * 60_000;

/**
 * Dirty subscribers due for scoring, oldest mark first. In `busyShops` only those with
 * news on their timeline are due (scoreDirtyFrom set), or whose mark has waited
 * TAIL_WAIT_MS: the rest (only time has passed for them) wait for the inflow to stop.
 */
function dueSubscribers(now: Date, limit: number, busyShops: string[]): { id: string; shop: string }[] {
  // Marks are stamped with the machine's clock (markForRescore), so their age is too.
  const waitedSince = sqliteTime(new Date(Date.now() - TAIL_WAIT_MS));
  const busy = busyShops.length > 0 ? ` AND ("scoreDirtyFrom" IS NOT NULL OR "scoreDirtyAt" <= ? OR "shop" NOT IN (${busyShops.map(() => "?").join(", ")}))` : "";
  return prepared(
    directDb(),
    `SELECT "id", "shop" FROM "Subscriber" WHERE "scoreDirtyAt" IS NOT NULL AND ("scoreRetryAt" IS NULL OR "scoreRetryAt" <= ?)${busy}
     ORDER BY "scoreDirtyAt" LIMIT ?`,
  ).all(sqliteTime(now), ...(busyShops.length > 0 ? [waitedSince, ...busyShops] : []), limit) as { id: string; shop: string }[];
}

/**
 * Scores what is dirty, up to `limit` subscribers. Returns how many were looked at.
 * A failing batch is retried one subscriber at a time; those that still fail are
 * deferred with backoff (their marks stay, so nothing is lost).
 */
export async function scoreDirtySubscribers(now: Date, limit = 1000): Promise<number> {
  const busyShops = shopsWithWorkDue(directDb(), INFLOW_QUEUES, now);
  const dirty = dueSubscribers(now, limit, busyShops);
  if (dirty.length === 0) return 0;
  const byShop = new Map<string, string[]>();
  for (const s of dirty) byShop.set(s.shop, [...(byShop.get(s.shop) ?? []), s.id]);
  for (const [shop, all] of byShop) {
    const scoring = await shopScoring(shop);
    const triggers = await shopTriggers(shop);
    // Chunks keep each query under the database's bound-parameter limit.
    for (let i = 0; i < all.length; i += BATCH) {
      const ids = all.slice(i, i + BATCH);
      try {
        await rescoreBatch(shop, ids, now, scoring, triggers, { deferTail: busyShops.includes(shop) });
      } catch (error) {
        await rescoreOneByOne(shop, ids, now, scoring, triggers, error);
      }
    }
  }
  await finishRescoreRuns(now);
  return dirty.length;
}

async function rescoreOneByOne(shop: string, ids: string[], now: Date, scoring: ShopScoring, triggers: readonly TriggerDefinition[], batchError: unknown): Promise<void> {
  const failed: string[] = [];
  let lastError: unknown = batchError;
  for (const id of ids) {
    try {
      await rescoreBatch(shop, [id], now, scoring, triggers);
    } catch (error) {
      failed.push(id);
      lastError = error;
    }
  }
  if (failed.length === 0) return;
  await deferFailed(shop, failed, (failures) => new Date(now.getTime() + retryDelayMs(failures, 30_000)));
  logger.error({ shop, queue: "rescore", subscribers: failed.length, err: String(lastError) }, "rescore failed; kept for a retry with backoff");
}

/** The worker's follow-up after each batch: start the day's decay rescore if due, then score what is dirty. */
export async function scoringPass(now: Date): Promise<number> {
  await scheduleDailyRescores(now);
  return scoreDirtySubscribers(now);
}
