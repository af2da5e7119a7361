/**
 * "What would this trigger have done over the last 90 days?" Replays stored snapshots
 * through the same engine the live evaluation uses (edge-triggering, segment filter,
 * cooldown), so a merchant sees realistic volumes before switching a trigger on.
 *
 * The weekly cap is not applied: it depends on every other trigger's firings, and a
 * dry run answers for one trigger alone. Holdout is not applied either: the counts are
 * "would have fired", whichever group the subscriber falls in.
 */
import { evaluateTriggers } from "./evaluate";
import type { TriggerDefinition } from "./schema";
import type { RecentFiring, SubscriberSnapshot } from "./types";

const DAY_MS = 86_400_000;

export interface TimedSnapshot {
  at: Date;
  snapshot: SubscriberSnapshot;
}

export interface SubscriberHistory {
  subscriberId: string;
  /** Oldest first. Snapshots before the window only serve as the "previous" state. */
  snapshots: readonly TimedSnapshot[];
}

export interface DryRunOptions {
  now: Date;
  /** Default 90. */
  windowDays?: number;
  /** How many subscriber ids to list at most; default 50. */
  maxSubscriberIds?: number;
}

export interface DryRunResult {
  triggerId: string;
  totalFirings: number;
  /** Every week in the window, Monday (UTC) first, including empty weeks. */
  perWeek: { weekStart: string; count: number }[];
  subscribersAffected: number;
  /** Subscribers it fired for, in order of first firing, capped at maxSubscriberIds. */
  subscriberIds: string[];
  truncated: boolean;
  /** Edges that the segment filter or cooldown stopped. */
  suppressed: { segment: number; cooldown: number };
}

/** Monday 00:00 UTC of the week containing t, as YYYY-MM-DD. */
function weekStart(t: number): string {
  const d = new Date(t);
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day)).toISOString().slice(0, 10);
}

export function dryRun(
  trigger: TriggerDefinition,
  histories: readonly SubscriberHistory[],
  options: DryRunOptions,
): DryRunResult {
  const nowMs = options.now.getTime();
  const from = nowMs - (options.windowDays ?? 90) * DAY_MS;
  const maxIds = options.maxSubscriberIds ?? 50;
  // The dry run asks about the trigger as it would be: evaluate it even if currently disabled.
  const candidate: TriggerDefinition = { ...trigger, enabled: true };
  const noCap = { maxPlaysPerWeek: Number.POSITIVE_INFINITY };

  const weeks = new Map<string, number>();
  for (let t = from; t <= nowMs; t += 7 * DAY_MS) weeks.set(weekStart(t), 0);
  weeks.set(weekStart(nowMs), weeks.get(weekStart(nowMs)) ?? 0);

  const ids: string[] = [];
  let affected = 0;
  let total = 0;
  const suppressed = { segment: 0, cooldown: 0 };

  for (const history of histories) {
    const firings: RecentFiring[] = [];
    let previous: SubscriberSnapshot | null = null;
    for (const { at, snapshot } of history.snapshots) {
      const t = at.getTime();
      if (t >= from && t <= nowMs) {
        const result = evaluateTriggers(previous, snapshot, [candidate], firings, noCap, at);
        for (const s of result.suppressed) if (s.reason !== "weekly_cap") suppressed[s.reason]++;
        for (const f of result.fire) {
          firings.push({ triggerId: f.triggerId, firedAt: at });
          const key = weekStart(t);
          weeks.set(key, (weeks.get(key) ?? 0) + 1);
          total++;
        }
      }
      if (t > nowMs) break;
      previous = snapshot;
    }
    if (firings.length > 0) {
      affected++;
      if (ids.length < maxIds) ids.push(history.subscriberId);
    }
  }

  return {
    triggerId: trigger.id,
    totalFirings: total,
    perWeek: [...weeks.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([weekStart, count]) => ({ weekStart, count })),
    subscribersAffected: affected,
    subscriberIds: ids,
    truncated: affected > ids.length,
    suppressed,
  };
}
