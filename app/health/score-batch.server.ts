import prisma from "../db.server";
import { ensurePlaybook, loadTriggers } from "../models/triggers.server";
import { DEFAULT_CAPS, evaluateTriggers } from "../playbook/evaluate";
import { snapshotOf } from "../playbook/snapshot";
import { bandChangeFlowJob } from "../playbook/flow-outbox.server";
import type { SubscriberSnapshot } from "../playbook/types";
import { score } from "./score";
import { factsOf, weekOf } from "./facts.server";
import { rescoreSubscriber } from "./rescore.server";
import type { ShopScoring } from "./settings.server";
import { loadScoringContext, loadScoringInputs, scoreRow, writeScores, type HistoryRow, type JobRow, type ScoreRow } from "./score-store.server";

const DAY_MS = 86_400_000;

/**
 * Scores many subscribers of one shop with a handful of queries: read them and their
 * timelines in bulk, score in memory, write scores, history and the Shopify Flow triggers
 * owed by band changes in one transaction. A
 * subscriber for whom a trigger fires goes through `rescoreSubscriber` instead, so the
 * firing, its plays and tasks are written with the score in one transaction.
 * Returns how many were scored.
 */
export async function scoreBatch(shop: string, subscriberIds: string[], now: Date, scoring: ShopScoring): Promise<number> {
  if (subscriberIds.length === 0) return 0;
  // Seeded on first use: only a shop with no triggers at all needs the default playbook.
  let triggers = await loadTriggers(prisma, shop);
  if (triggers.length === 0) {
    await ensurePlaybook(prisma, shop);
    triggers = await loadTriggers(prisma, shop);
  }
  // Read on the direct connection: this runs for every scored change, and the ORM's
  // per-query cost would be most of an incremental update.
  const context = loadScoringContext(shop, subscriberIds, weekOf(new Date(now.getTime() - 7 * DAY_MS), scoring.timeZone), new Date(now.getTime() - 60 * DAY_MS));
  // Band changes owe a Shopify Flow trigger only where the app can call the Admin API.
  const flowEnabled = context.hasOfflineSession;
  const firings = context.recentFirings;
  const caps = { ...DEFAULT_CAPS, maxPlaysPerWeek: scoring.maxPlaysPerWeek };
  const scoreWeekAgo = context.scoreWeekAgo;
  const week = weekOf(now, scoring.timeZone);

  const scores: ScoreRow[] = [];
  const history: HistoryRow[] = [];
  const jobs: JobRow[] = [];
  const needFullPath: string[] = [];
  for (const s of loadScoringInputs(shop, subscriberIds)) {
    if (s.timeline.length === 0) continue;
    const facts = factsOf(s, s.contracts, scoring.timeZone, now);
    const result = score(s.timeline, facts, scoring.config, now);
    const previous = s.health ? (JSON.parse(s.health.snapshot) as SubscriberSnapshot) : null;
    const snapshot = snapshotOf({ subscriberId: s.id, timeline: s.timeline, facts, result, scoreSevenDaysAgo: scoreWeekAgo.get(s.id) ?? null, now });
    // The first score sets the baseline: conditions already true (a cancel months ago)
    // are history, not news, and fire nothing.
    const fire = previous ? evaluateTriggers(previous, snapshot, triggers, firings.get(s.id) ?? [], caps, now, { shopId: shop }).fire : [];
    if (fire.length > 0) {
      needFullPath.push(s.id);
      continue;
    }
    const bandChanged = s.health != null && s.health.band !== result.band;
    scores.push(scoreRow(shop, s.id, result, snapshot, s.health, now));
    history.push({ shop, subscriberId: s.id, kind: "weekly", periodKey: week, at: now, score: result.score, band: result.band, fromBand: null });
    if (bandChanged) {
      const changedAt = now.toISOString();
      history.push({ shop, subscriberId: s.id, kind: "band_change", periodKey: changedAt, at: now, score: result.score, band: result.band, fromBand: s.health!.band });
      const flow = flowEnabled
        ? bandChangeFlowJob({
            shop,
            subscriberId: s.id,
            changedAt,
            change: { customerId: s.customerId, score: result.score, band: result.band, fromBand: s.health!.band, factors: result.factors, monthlyValue: s.monthlyValue },
            now,
          })
        : null;
      if (flow) jobs.push({ queue: flow.queue, key: flow.key, shop, payload: flow.payload, runAt: now });
    }
  }
  await writeScores(scores, history, jobs);
  for (const id of needFullPath) await rescoreSubscriber(id, now, scoring);
  return scores.length + needFullPath.length;
}
