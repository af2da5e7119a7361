import prisma from "../db.server";
import { loadTimeline } from "../models/timeline.server";
import { onScored } from "../playbook/engine.server";
import { queueBandChangeFlow } from "../playbook/flow-outbox.server";
import type { SubscriberSnapshot } from "../playbook/types";
import { score } from "./score";
import { factsOf, weekOf } from "./facts.server";
import { shopScoring, type ShopScoring } from "./settings.server";
import { scoreBatch } from "./score-batch.server";
import { scoreRow } from "./score-store.server";

const DAY_MS = 86_400_000;
const BATCH = 400;

/**
 * Scores one subscriber now and keeps what follows from it, in one transaction: the
 * current score with its reasons, this week's snapshot, a history row and its Shopify
 * Flow trigger when the band changed, and the playbook's reaction (firings, plays, tasks).
 * Returns the new band.
 */
export async function rescoreSubscriber(subscriberId: string, now: Date, scoring?: ShopScoring): Promise<string | null> {
  const subscriber = await prisma.subscriber.findUnique({
    where: { id: subscriberId },
    include: { contracts: { select: { status: true, billingInterval: true, billingIntervalCount: true } }, health: true },
  });
  if (!subscriber) return null;
  const { config, timeZone } = scoring ?? (await shopScoring(subscriber.shop));
  const timeline = await loadTimeline(prisma, subscriber.shop, subscriberId);
  if (timeline.length === 0) return null;
  const facts = factsOf(subscriber, subscriber.contracts, timeZone, now);
  const result = score(timeline, facts, config, now);
  const previous = subscriber.health;
  const weekAgo = await prisma.healthHistory.findFirst({
    where: { subscriberId, at: { lte: new Date(now.getTime() - 7 * DAY_MS) } },
    orderBy: { at: "desc" },
    select: { score: true },
  });
  const bandChanged = previous != null && previous.band !== result.band;

  await prisma.$transaction(async (tx) => {
    const snapshot = await onScored(tx, {
      shop: subscriber.shop,
      subscriberId,
      timeline,
      facts,
      result,
      previous: previous ? (JSON.parse(previous.snapshot) as SubscriberSnapshot) : null,
      scoreSevenDaysAgo: weekAgo?.score ?? null,
      now,
    });
    const { subscriberId: _id, ...row } = scoreRow(subscriber.shop, subscriberId, result, snapshot, previous, now);
    await tx.healthScore.upsert({ where: { subscriberId }, create: { subscriberId, ...row }, update: row });
    const week = weekOf(now, timeZone);
    await tx.healthHistory.upsert({
      where: { subscriberId_kind_periodKey: { subscriberId, kind: "weekly", periodKey: week } },
      create: { shop: subscriber.shop, subscriberId, kind: "weekly", periodKey: week, at: now, score: result.score, band: result.band },
      update: { at: now, score: result.score, band: result.band },
    });
    if (bandChanged) {
      const changedAt = now.toISOString();
      await tx.healthHistory.create({
        data: { shop: subscriber.shop, subscriberId, kind: "band_change", periodKey: changedAt, at: now, score: result.score, band: result.band, fromBand: previous.band },
      });
      await queueBandChangeFlow(tx, {
        shop: subscriber.shop,
        subscriberId,
        changedAt,
        change: { customerId: subscriber.customerId, score: result.score, band: result.band, fromBand: previous.band, factors: result.factors, monthlyValue: subscriber.monthlyValue },
        now,
      });
    }
  });
  return result.band;
}

/**
 * Scores subscribers marked dirty (their timeline or facts changed, or a rescore was
 * asked for), a batch at a time, shop by shop. The mark is cleared only if it was not
 * set again while scoring, so a change that lands mid-score is scored next time.
 * Returns how many were scored.
 */
export async function scoreDirtySubscribers(now: Date, limit = 1000): Promise<number> {
  const dirty = await prisma.subscriber.findMany({
    where: { scoreDirtyAt: { not: null } },
    orderBy: { scoreDirtyAt: "asc" },
    take: limit,
    select: { id: true, shop: true, scoreDirtyAt: true },
  });
  if (dirty.length === 0) return 0;
  const byShop = new Map<string, typeof dirty>();
  for (const s of dirty) byShop.set(s.shop, [...(byShop.get(s.shop) ?? []), s]);
  for (const [shop, all] of byShop) {
    const scoring = await shopScoring(shop);
    // Chunks keep each query under the database's bound-parameter limit.
    for (let i = 0; i < all.length; i += BATCH) {
      const subs = all.slice(i, i + BATCH);
      try {
        await scoreBatch(shop, subs.map((s) => s.id), now, scoring);
      } catch (error) {
        // A score is derived data: log and move on rather than retry the same batch forever.
        console.error(`[lifeline] scoring ${subs.length} subscribers of ${shop} failed: ${String(error)}`);
      }
      const cutoff = subs.reduce((max, s) => (s.scoreDirtyAt! > max ? s.scoreDirtyAt! : max), subs[0].scoreDirtyAt!);
      await prisma.subscriber.updateMany({
        where: { id: { in: subs.map((s) => s.id) }, scoreDirtyAt: { lte: cutoff } },
        data: { scoreDirtyAt: null },
      });
    }
  }
  await finishRescoreRuns(now);
  return dirty.length;
}

/** Marks every current subscriber of a shop for rescoring, as a run whose progress can be read. */
export async function startRescore(shop: string, reason: string, now: Date): Promise<string> {
  const marked = await prisma.subscriber.updateMany({
    where: { shop, status: { in: ["active", "paused"] } },
    data: { scoreDirtyAt: now },
  });
  const run = await prisma.rescoreRun.create({ data: { shop, reason, status: "running", total: marked.count } });
  return run.id;
}

export interface RescoreProgress {
  id: string;
  reason: string;
  status: string;
  total: number;
  done: number;
}

export async function rescoreProgress(shop: string): Promise<RescoreProgress | null> {
  const run = await prisma.rescoreRun.findFirst({ where: { shop }, orderBy: { createdAt: "desc" } });
  if (!run) return null;
  if (run.status !== "running") return { id: run.id, reason: run.reason, status: run.status, total: run.total, done: run.total };
  const remaining = await prisma.subscriber.count({ where: { shop, scoreDirtyAt: { not: null } } });
  return { id: run.id, reason: run.reason, status: run.status, total: run.total, done: Math.max(0, run.total - remaining) };
}

async function finishRescoreRuns(now: Date): Promise<void> {
  const running = await prisma.rescoreRun.findMany({ where: { status: "running" }, select: { id: true, shop: true } });
  for (const run of running) {
    const remaining = await prisma.subscriber.count({ where: { shop: run.shop, scoreDirtyAt: { not: null } } });
    if (remaining === 0) await prisma.rescoreRun.update({ where: { id: run.id }, data: { status: "done", done: undefined, finishedAt: now } });
  }
}

/**
 * Scores decay without events: once a day every installed shop gets a full rescore,
 * which also writes each subscriber's weekly snapshot. Keyed by day, so it runs once.
 */
export async function scheduleDailyRescores(now: Date): Promise<number> {
  const day = now.toISOString().slice(0, 10);
  const shops = await prisma.shop.findMany({ where: { uninstalledAt: null }, select: { shop: true } });
  let started = 0;
  for (const { shop } of shops) {
    const exists = await prisma.rescoreRun.findFirst({ where: { shop, reason: `daily ${day}` }, select: { id: true } });
    if (!exists) {
      await startRescore(shop, `daily ${day}`, now);
      started += 1;
    }
  }
  return started;
}

let lastSchedule = 0;

/** The worker's follow-up after each batch: start the day's decay rescore if due, then score what is dirty. */
export async function scoringPass(now: Date): Promise<number> {
  if (now.getTime() - lastSchedule > 10 * 60_000) {
    lastSchedule = now.getTime();
    await scheduleDailyRescores(now);
  }
  return scoreDirtySubscribers(now);
}
