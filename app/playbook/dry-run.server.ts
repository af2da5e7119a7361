/**
 * "What would this trigger have done over the last 90 days?" on the shop's real data.
 * Each subscriber's stored timeline is replayed at daily checkpoints: the facts as they
 * were that day (factsAt), the health score of that day, and the snapshot built from
 * them, exactly as the live engine would have seen it. dry-run.ts then applies the
 * trigger's edges, segment filter and cooldown.
 *
 * Daily, not only at events, because some conditions become true with the passage of
 * time alone (paused longer than 30 days, a new subscriber's tenure reaching a week).
 * Subscribers are processed in chunks so memory stays flat on a large store.
 */
import type { TimelineEvent } from "../domain/timeline";
import prisma from "../db.server";
import { factsAt, score, type HealthConfig, type SubscriberFacts } from "../health";
import { factsOf } from "../health/facts.server";
import { shopScoring } from "../health/settings.server";
import { dryRun, type DryRunResult, type SubscriberHistory, type TimedSnapshot } from "./dry-run";
import { parseTrigger } from "./schema";
import { snapshotOf } from "./snapshot";
import { loadTimelines } from "./timelines.server";

const DAY_MS = 86_400_000;
const CHUNK = 100;
/** Extra days replayed before the window: the 7-day-ago score and the first "previous" state. */
const LEAD_IN_DAYS = 8;

export type DryRunTriggerResult = { ok: true; result: DryRunResult } | { ok: false; errors: string[] };

export async function dryRunTrigger(
  shop: string,
  definition: unknown,
  now: Date,
  options: { windowDays?: number; maxSubscriberIds?: number } = {},
): Promise<DryRunTriggerResult> {
  const parsed = parseTrigger(definition);
  if (!parsed.ok) return parsed;
  const trigger = parsed.value;
  const windowDays = options.windowDays ?? 90;
  const maxIds = options.maxSubscriberIds ?? 50;
  const windowStart = now.getTime() - windowDays * DAY_MS;
  const { config, timeZone } = await shopScoring(shop);

  let merged: DryRunResult | null = null;
  let afterId = "";
  for (;;) {
    const subscribers = await prisma.subscriber.findMany({
      where: { shop, redactedAt: null, id: { gt: afterId } },
      orderBy: { id: "asc" },
      take: CHUNK,
      include: { contracts: { select: { status: true, billingInterval: true, billingIntervalCount: true } } },
    });
    if (subscribers.length === 0) break;
    afterId = subscribers[subscribers.length - 1].id;
    const timelines = await loadTimelines(shop, subscribers.map((s) => s.id), now);

    const histories: SubscriberHistory[] = [];
    for (const s of subscribers) {
      const timeline = timelines.get(s.id) ?? [];
      if (timeline.length === 0) continue;
      const latest = factsOf(s, s.contracts, timeZone);
      // Cancelled before the window and nothing since: the snapshot cannot change, no edge.
      const lastEventAt = timeline.at(-1)?.occurredAt.getTime() ?? 0;
      if (s.status === "cancelled" && lastEventAt < windowStart - LEAD_IN_DAYS * DAY_MS) continue;
      histories.push({ subscriberId: s.id, snapshots: replay(s.id, timeline, latest, config, now, windowDays) });
    }
    const part = dryRun(trigger, histories, { now, windowDays, maxSubscriberIds: maxIds });
    merged = merged ? mergeResults(merged, part, maxIds) : part;
  }
  return { ok: true, result: merged ?? dryRun(trigger, [], { now, windowDays, maxSubscriberIds: maxIds }) };
}

/** Snapshots at every day from the lead-in to `now`, oldest first, from the first day subscribed. */
function replay(
  subscriberId: string,
  timeline: TimelineEvent[],
  latest: SubscriberFacts,
  config: HealthConfig,
  now: Date,
  windowDays: number,
): TimedSnapshot[] {
  const scores = new Map<number, number>();
  const out: TimedSnapshot[] = [];
  const firstMs = latest.firstSubscribedAt.getTime();
  for (let k = windowDays + LEAD_IN_DAYS; k >= 0; k--) {
    const t = now.getTime() - k * DAY_MS;
    if (t < firstMs) continue;
    const at = new Date(t);
    const facts = factsAt(latest, timeline, at);
    const result = score(timeline, facts, config, at);
    scores.set(k, result.score);
    const snapshot = snapshotOf({ subscriberId, timeline, facts, result, scoreSevenDaysAgo: scores.get(k + 7) ?? null, now: at });
    out.push({ at, snapshot });
  }
  return out;
}

function mergeResults(a: DryRunResult, b: DryRunResult, maxIds: number): DryRunResult {
  const ids = [...a.subscriberIds, ...b.subscriberIds].slice(0, maxIds);
  const affected = a.subscribersAffected + b.subscribersAffected;
  return {
    triggerId: a.triggerId,
    totalFirings: a.totalFirings + b.totalFirings,
    perWeek: a.perWeek.map((w, i) => ({ weekStart: w.weekStart, count: w.count + (b.perWeek[i]?.count ?? 0) })),
    subscribersAffected: affected,
    subscriberIds: ids,
    truncated: affected > ids.length,
    suppressed: { segment: a.suppressed.segment + b.suppressed.segment, cooldown: a.suppressed.cooldown + b.suppressed.cooldown },
  };
}
