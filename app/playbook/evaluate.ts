/**
 * The trigger engine: given how a subscriber looked last time and now, which plays run.
 *
 * Rules, in the order they are applied to each trigger:
 * 1. Edge-triggered: a trigger fires when its condition goes from false to true
 *    (a null `previous` counts as false), never while it stays true. A merchant wants
 *    one "two skips" email per skip streak, not one per nightly evaluation.
 * 2. Segment filter: a trigger limited to segments is suppressed ("segment") elsewhere.
 * 3. Cooldown: a trigger that fired for this subscriber within `cooldownDays` is
 *    suppressed ("cooldown"), so flapping conditions cannot spam.
 * 4. Weekly cap: at most `maxPlaysPerWeek` firings per subscriber in any 7 days, across
 *    all triggers ("weekly_cap"). Holdout firings count towards cooldown and the cap just
 *    like treated ones: the holdout group must be gated exactly as the treated group is,
 *    otherwise the two would differ in more than the treatment and the lift is biased.
 *
 * Triggers are considered in a fixed order (priority, most urgent first, then id), so
 * when the cap bites the most urgent plays win and results are reproducible.
 */
import { conditionHolds, describeCondition } from "./conditions";
import { isHoldout } from "./holdout";
import type { Priority, TriggerDefinition } from "./schema";
import type {
  EvaluationResult,
  Firing,
  PlaybookCaps,
  RecentFiring,
  SubscriberSnapshot,
} from "./types";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const PRIORITY_ORDER: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** The cap a new store starts with: enough for a payment problem plus one nudge. */
export const DEFAULT_CAPS: PlaybookCaps = { maxPlaysPerWeek: 3 };

export interface EvaluateOptions {
  /**
   * Enables holdout assignment. Without it no firing is held out; the app always passes
   * it, dry runs may not.
   */
  shopId?: string;
}

/** Most urgent first, then by id: the order plays are considered and returned in. */
export function compareTriggers(a: TriggerDefinition, b: TriggerDefinition): number {
  return PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** "*" matches any run of characters, everything else literally; no filter matches all. */
export function segmentMatches(segments: readonly string[] | undefined, segmentKey: string): boolean {
  if (!segments || segments.length === 0) return true;
  return segments.some((pattern) => {
    const source = pattern
      .split("*")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    return new RegExp(`^${source}$`, "i").test(segmentKey);
  });
}

export function evaluateTriggers(
  previous: SubscriberSnapshot | null,
  current: SubscriberSnapshot,
  triggers: readonly TriggerDefinition[],
  recentFirings: readonly RecentFiring[],
  caps: PlaybookCaps,
  now: Date,
  options: EvaluateOptions = {},
): EvaluationResult {
  const result: EvaluationResult = { fire: [], suppressed: [] };
  const nowMs = now.getTime();
  const weekAgo = nowMs - 7 * DAY_MS;
  // Firings in the future relative to `now` (clock skew, replays) still count: they happened.
  let firedThisWeek = recentFirings.filter((f) => f.firedAt.getTime() > weekAgo).length;

  for (const trigger of [...triggers].sort(compareTriggers)) {
    if (!trigger.enabled) continue;
    const wasTrue = previous !== null && conditionHolds(trigger.condition, previous);
    if (wasTrue || !conditionHolds(trigger.condition, current)) continue;

    if (!segmentMatches(trigger.segments, current.segmentKey)) {
      result.suppressed.push({ triggerId: trigger.id, reason: "segment" });
      continue;
    }
    const cooldownStart = nowMs - trigger.cooldownDays * DAY_MS;
    const inCooldown =
      trigger.cooldownDays > 0 &&
      recentFirings.some((f) => f.triggerId === trigger.id && f.firedAt.getTime() > cooldownStart);
    if (inCooldown) {
      result.suppressed.push({ triggerId: trigger.id, reason: "cooldown" });
      continue;
    }
    if (firedThisWeek >= caps.maxPlaysPerWeek) {
      result.suppressed.push({ triggerId: trigger.id, reason: "weekly_cap" });
      continue;
    }

    firedThisWeek++;
    result.fire.push(buildFiring(trigger, current, now, options));
  }
  return result;
}

function buildFiring(
  trigger: TriggerDefinition,
  current: SubscriberSnapshot,
  now: Date,
  options: EvaluateOptions,
): Firing {
  const holdout =
    options.shopId !== undefined &&
    isHoldout(options.shopId, trigger.id, current.subscriberId, trigger.holdoutPercent);
  return {
    triggerId: trigger.id,
    triggerName: trigger.name,
    subscriberId: current.subscriberId,
    firedAt: now,
    holdout,
    plays: holdout ? trigger.plays.filter((p) => p.runInHoldout) : trigger.plays,
    owner: trigger.owner,
    priority: trigger.priority,
    slaHours: trigger.slaHours,
    dueAt: new Date(now.getTime() + trigger.slaHours * HOUR_MS),
    outcomeDueAt: new Date(now.getTime() + trigger.outcomeWindowDays * DAY_MS),
    reasons: describeCondition(trigger.condition, current),
  };
}
