import type { Prisma } from "@prisma/client";
import type { TimelineEvent } from "../domain/timeline";
import type { HealthResult, SubscriberFacts } from "../health";
import { recentFirings, recordFiring } from "../models/firings.server";
import { createTaskForFiring } from "../models/tasks.server";
import { ensurePlaybook, loadTriggers } from "../models/triggers.server";
import { DEFAULT_CAPS, evaluateTriggers } from "./evaluate";
import { queueKlaviyoPlays } from "./outbox.server";
import { snapshotOf } from "./snapshot";
import type { PlaybookCaps, SubscriberSnapshot } from "./types";

const DAY_MS = 86_400_000;
/** Firings looked back over for caps and cooldowns; longer when a trigger's cooldown is longer. */
const RECENT_DAYS = 30;

/** What the health stage hands the playbook after scoring one subscriber. */
export interface ScoredSubscriber {
  shop: string;
  subscriberId: string;
  timeline: TimelineEvent[];
  facts: SubscriberFacts;
  result: HealthResult;
  /** The snapshot stored with the previous score (null on the first score). */
  previous: SubscriberSnapshot | null;
  /** The score from the history about seven days before `now`, if any. */
  scoreSevenDaysAgo: number | null;
  now: Date;
}

/**
 * Called inside the rescore transaction. Evaluates the shop's triggers against the
 * change from `previous` to the new snapshot, records firings, and writes their plays
 * to the outbox and their tasks to the inbox, in the same transaction. Returns the new
 * snapshot, which the caller stores as the next `previous`.
 *
 * Retrying the transaction with the same `now` is harmless: firings, plays, tasks and
 * jobs are all written by unique keys. Plays are picked up by the plays worker's poll;
 * a caller that wants them out sooner calls `runtime().playsWorker.notify()` after commit.
 */
export async function onScored(tx: Prisma.TransactionClient, input: ScoredSubscriber): Promise<SubscriberSnapshot> {
  const { shop, subscriberId, now } = input;
  const snapshot = snapshotOf({
    subscriberId,
    timeline: input.timeline,
    facts: input.facts,
    result: input.result,
    scoreSevenDaysAgo: input.scoreSevenDaysAgo,
    now,
  });

  await ensurePlaybook(tx, shop);
  const triggers = await loadTriggers(tx, shop);
  if (triggers.length === 0) return snapshot;
  const lookbackDays = Math.max(RECENT_DAYS, ...triggers.map((t) => t.cooldownDays));
  const recent = await recentFirings(tx, shop, subscriberId, new Date(now.getTime() - lookbackDays * DAY_MS));
  const caps = await capsFor(tx, shop);

  const { fire } = evaluateTriggers(input.previous, snapshot, triggers, recent, caps, now, { shopId: shop });
  if (fire.length === 0) return snapshot;

  // Klaviyo finds people by email: without one, the firing is still recorded (and
  // measured) and its tasks still go to the inbox, but there is no Klaviyo play to owe.
  const subscriber = await tx.subscriber.findFirst({ where: { id: subscriberId, shop }, select: { email: true, redactedAt: true } });
  const canEmail = Boolean(subscriber?.email) && !subscriber?.redactedAt;

  for (const firing of fire) {
    const { id: firingId } = await recordFiring(tx, shop, firing, snapshot);
    if (canEmail) await queueKlaviyoPlays(tx, { shop, firingId, firing, snapshot, now });
    const task = firing.plays.find((p) => p.kind === "task");
    if (task && task.kind === "task") {
      await createTaskForFiring(tx, { shop, firingId, firing, suggestedAction: task.suggestedAction });
    }
  }
  return snapshot;
}

async function capsFor(tx: Prisma.TransactionClient, shop: string): Promise<PlaybookCaps> {
  const settings = await tx.shopSettings.findUnique({ where: { shop }, select: { maxPlaysPerWeek: true } });
  return settings ? { maxPlaysPerWeek: settings.maxPlaysPerWeek } : DEFAULT_CAPS;
}
