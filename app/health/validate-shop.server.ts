import { createHash } from "node:crypto";
import prisma from "../db.server";
import type { TimelineEvent, TimelineEventData, TimelineEventType } from "../domain/timeline";
import { scoreWith } from "./score";
import { backtest, type BacktestResult, type BacktestSubject } from "./validation";
import { suggestWeights, type WeightFitResult } from "./weights-fit";
import { factsOf } from "./facts.server";
import { shopScoring, type ShopScoring } from "./settings.server";

const DAY_MS = 86_400_000;

/** Replaying the score costs time per subscriber-week: beyond this many subscribers a sample tells as much. */
export const MAX_VALIDATION_SUBJECTS = 4000;
const CHUNK = 500;

/** A stable pseudo-random rank per subscriber, so the same shop is sampled the same way each time. */
function sampleRank(id: string): string {
  return createHash("sha1").update(id).digest("hex").slice(0, 12);
}

export interface SubjectSample {
  subjects: BacktestSubject[];
  /** Subscribers the shop has; `subjects` covers all of them or a stable sample. */
  total: number;
}

/**
 * The shop's subscribers as backtest subjects (their timeline, their facts, when they
 * cancelled), every one of them up to `max`, a stable sample beyond: a store of 100,000
 * subscribers is judged on 4,000 of them, drawn the same way every time.
 */
export async function loadSubjectSample(shop: string, timeZone: string, now: Date, max = MAX_VALIDATION_SUBJECTS): Promise<SubjectSample> {
  const ids = (await prisma.subscriber.findMany({ where: { shop }, select: { id: true } })).map((s) => s.id);
  const chosen = ids.length <= max ? ids : ids.map((id) => [sampleRank(id), id] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1)).slice(0, max).map(([, id]) => id);
  const subjects: BacktestSubject[] = [];
  for (let i = 0; i < chosen.length; i += CHUNK) subjects.push(...(await subjectsFor(shop, chosen.slice(i, i + CHUNK), timeZone, now)));
  return { subjects, total: ids.length };
}

async function subjectsFor(shop: string, ids: string[], timeZone: string, now: Date): Promise<BacktestSubject[]> {
  const subscribers = await prisma.subscriber.findMany({
    where: { shop, id: { in: ids } },
    include: { contracts: { select: { status: true, billingInterval: true, billingIntervalCount: true, monthlyValue: true } } },
  });
  // By subscriber id alone, so SQLite takes the per-subscriber index (with the shop in the
  // condition it read the shop's every event); the shop is checked on each row.
  const events = await prisma.subscriberEvent.findMany({
    where: { subscriberId: { in: ids } },
    orderBy: [{ subscriberId: "asc" }, { occurredAt: "asc" }],
    select: { shop: true, subscriberId: true, type: true, occurredAt: true, contractId: true, data: true },
  });
  const bySubscriber = new Map<string, TimelineEvent[]>();
  for (const e of events) {
    if (e.shop !== shop) continue;
    let list = bySubscriber.get(e.subscriberId);
    if (!list) bySubscriber.set(e.subscriberId, (list = []));
    list.push({ type: e.type as TimelineEventType, occurredAt: e.occurredAt, contractId: e.contractId, data: JSON.parse(e.data) as TimelineEventData });
  }
  return subscribers.flatMap((s) => {
    const timeline = bySubscriber.get(s.id) ?? [];
    if (timeline.length === 0) return [];
    const ended = s.status === "cancelled";
    // The last end decides: a cancel or a failed payment is churn; an expiry is a plan that ran its course.
    const last = ended ? [...timeline].reverse().find((e) => e.type === "contract.cancelled" || e.type === "contract.failed" || e.type === "contract.expired") : undefined;
    const expired = last?.type === "contract.expired";
    const facts = factsOf(s, s.contracts, timeZone, now);
    // A cancelled subscriber's value today is 0; what they were worth is what their contracts were.
    if (ended) facts.monthlyValue = s.contracts.reduce((sum, c) => sum + (c.monthlyValue ?? 0), 0);
    return [{ id: s.id, timeline, facts, cancelledAt: expired ? null : (last?.occurredAt ?? null), endedAt: expired ? last!.occurredAt : null }];
  });
}

/** Weekly checkpoints over the past `weeks`, each at least `horizonDays` old so its outcome is known. */
export function checkpoints(now: Date, weeks: number, horizonDays: number): Date[] {
  const last = now.getTime() - horizonDays * DAY_MS;
  return Array.from({ length: weeks }, (_, i) => new Date(last - (weeks - 1 - i) * 7 * DAY_MS));
}

export interface ShopValidation {
  horizonDays: number;
  backtest: BacktestResult;
  weights: WeightFitResult;
  /** How many subscribers were replayed, of how many the shop has. */
  sample: { subjects: number; of: number };
}

/**
 * How well the store's score would have predicted its own cancellations: the score
 * replayed at weekly checkpoints over the past half year (no look-ahead), compared with
 * who cancelled within the horizon; and weights that would have ranked those cancels better.
 * It takes seconds on a large store and keeps nothing: the pages read the score check that a
 * job computes and stores (score-check.server.ts).
 */
export async function validateShopScore(
  shop: string,
  now: Date,
  opts: { horizonDays?: 30 | 60; weeks?: number; scoring?: Pick<ShopScoring, "config" | "timeZone"> } = {},
): Promise<ShopValidation> {
  const horizonDays = opts.horizonDays ?? 30;
  const weeks = opts.weeks ?? 26;
  const { config, timeZone } = opts.scoring ?? (await shopScoring(shop));
  const { subjects, total } = await loadSubjectSample(shop, timeZone, now);
  const result = backtest(subjects, scoreWith(config), checkpoints(now, weeks, horizonDays), horizonDays);
  const observations = result.status === "ok" ? result.observations.map((o) => ({ signals: o.signals, churned: o.churned, segmentKey: o.segmentKey })) : [];
  return { horizonDays, backtest: result, weights: suggestWeights(observations, config), sample: { subjects: subjects.length, of: total } };
}
