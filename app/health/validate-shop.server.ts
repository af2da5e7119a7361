import prisma from "../db.server";
import type { TimelineEvent, TimelineEventData, TimelineEventType } from "../domain/timeline";
import { scoreWith } from "./score";
import { backtest, type BacktestResult, type BacktestSubject } from "./validation";
import { suggestWeights, type WeightFitResult } from "./weights-fit";
import { factsOf } from "./facts.server";
import { shopScoring } from "./settings.server";

const DAY_MS = 86_400_000;

/** Every subscriber of the shop as a backtest subject: their timeline, their facts, and when they cancelled. */
export async function loadSubjects(shop: string, timeZone: string): Promise<BacktestSubject[]> {
  const subscribers = await prisma.subscriber.findMany({
    where: { shop },
    include: { contracts: { select: { status: true, billingInterval: true, billingIntervalCount: true, monthlyValue: true } } },
  });
  const events = await prisma.subscriberEvent.findMany({
    where: { shop },
    orderBy: { occurredAt: "asc" },
    select: { subscriberId: true, type: true, occurredAt: true, contractId: true, data: true },
  });
  const bySubscriber = new Map<string, TimelineEvent[]>();
  for (const e of events) {
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
    const facts = factsOf(s, s.contracts, timeZone);
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
}

/**
 * How well the store's score would have predicted its own cancellations: the score
 * replayed at weekly checkpoints over the past half year (no look-ahead), compared with
 * who cancelled within the horizon; and weights that would have ranked those cancels better.
 */
export async function validateShopScore(shop: string, now: Date, opts: { horizonDays?: 30 | 60; weeks?: number } = {}): Promise<ShopValidation> {
  const horizonDays = opts.horizonDays ?? 30;
  const { config, timeZone } = await shopScoring(shop);
  const subjects = await loadSubjects(shop, timeZone);
  const result = backtest(subjects, scoreWith(config), checkpoints(now, opts.weeks ?? 26, horizonDays), horizonDays);
  const observations = result.status === "ok" ? result.observations.map((o) => ({ signals: o.signals, churned: o.churned, segmentKey: o.segmentKey })) : [];
  return { horizonDays, backtest: result, weights: suggestWeights(observations, config) };
}
