/**
 * The rescore planner: everything that follows from a subscriber's timeline, as a
 * function of data and `now`. Pure.
 *
 * It walks from where the subscriber's history last stood (or from the earliest event
 * that arrived since, when history arrived late) to `now`, looking at every event's
 * instant, every week boundary in the shop's zone and, where the band may have moved by
 * decay alone, the start of each day. So a band change is dated when it happened by the
 * events, a finished week's snapshot is the score at the week's end, and a year replayed
 * in minutes ends in the same history as the same events fed one at a time.
 *
 * Plays, tasks and Shopify Flow triggers go out only for what happened inside the live
 * window (a few days before `now`) and is still true now: a crossing long past is
 * history, never a message.
 */
import { subscriberStatusOf } from "../domain/fold";
import type { ContractStatus, TimelineEvent } from "../domain/timeline";
import type { HealthConfig } from "../health/config";
import { scorerAsOf, type WalkScorer } from "../health/score";
import type { HealthResult, SubscriberFacts } from "../health/types";
import { conditionHolds } from "../playbook/conditions";
import { evaluateTriggers } from "../playbook/evaluate";
import { FLOW_TRIGGER_HANDLE, bandChangePayload, flowJobKey, type FlowTriggerJob } from "../playbook/flow-trigger";
import { buildEventProperties, buildProfileProperties, firingUniqueId } from "../playbook/metrics";
import type { TriggerDefinition } from "../playbook/schema";
import { snapshotFromState } from "../playbook/snapshot";
import { opensTaskFor } from "../playbook/task-audience";
import type { Firing, PlaybookCaps, RecentFiring, SubscriberSnapshot } from "../playbook/types";
import { dayStarts, weekBoundaries, weekKeyOf } from "./calendar";
import { mootSince, taskCloses, type OpenTaskRef, type TaskClose } from "./task-closes";

const DAY_MS = 86_400_000;

/** What the last rescore left: where the walk resumes. */
export interface StoredScore {
  band: string;
  bandSince: Date;
  /** The last instant the walk looked at (an event, a day or a week start), and the band there. */
  stepAt: Date;
  stepBand: string;
}

export interface PlanSubscriber {
  id: string;
  customerId: string;
  /** Klaviyo finds people by email: without one (or after a redaction) no Klaviyo play is owed. */
  canEmail: boolean;
  timeline: readonly TimelineEvent[];
  /** The facts the database holds now (value, card, next billing, interval). */
  facts: SubscriberFacts;
  previous: StoredScore | null;
  /** The earliest instant among events recorded since the last rescore, when known. */
  changedFrom: Date | null;
  recentFirings: readonly RecentFiring[];
  /** Tasks still open or snoozed: closed here once the subscriber has cancelled or recovered. */
  openTasks?: readonly OpenTaskRef[];
}

export interface PlanContext {
  shop: string;
  config: HealthConfig;
  timeZone: string;
  triggers: readonly TriggerDefinition[];
  caps: PlaybookCaps;
  liveWindowMs: number;
  /** Band changes owe a Shopify Flow trigger only where the app can call the Admin API. */
  flowEnabled: boolean;
  /**
   * The shop's history is still pouring in (its inbox or an import has work waiting): a
   * walk whose events all lie before the live window stops at the last of them, and the
   * stretch from there to now, which the next deliveries would walk again, waits until
   * the inflow stops. Nothing live is lost: no play is owed before the live window.
   */
  deferTail?: boolean;
  now: Date;
}

export interface PlannedHistory {
  kind: "weekly" | "band_change";
  periodKey: string;
  at: Date;
  score: number;
  band: string;
  fromBand: string | null;
  live: boolean;
}

export interface PlannedPlay {
  kind: "klaviyo_event" | "klaviyo_profile";
  metric: string | null;
  uniqueId: string;
  payload: unknown;
}

export interface PlannedTask {
  title: string;
  suggestedAction: string;
  reasons: string[];
  owner: string;
  priority: string;
  dueAt: Date;
}

export interface PlannedFiring {
  firing: Firing;
  snapshot: SubscriberSnapshot;
  plays: PlannedPlay[];
  task: PlannedTask | null;
}

export interface PlannedJob {
  queue: "flow";
  key: string;
  payload: FlowTriggerJob;
  runAt: Date;
}

export interface RescorePlan {
  subscriberId: string;
  /** The score as of `now`, with its reasons. */
  result: HealthResult;
  snapshot: SubscriberSnapshot;
  bandSince: Date;
  stepAt: Date;
  stepBand: string;
  /** History after this instant is replaced (late events changed it); null when only appended. */
  rewriteFrom: Date | null;
  /** The walk stopped at the last event (deferTail): the stretch to now is still owed. */
  tailDeferred: boolean;
  history: PlannedHistory[];
  firings: PlannedFiring[];
  /** Open tasks made moot by a cancellation or a recovery, with the reason and the moment. */
  taskCloses: TaskClose[];
  jobs: PlannedJob[];
  /** Each contract's status by the events' time, and the subscriber's. */
  contractStatuses: [string, ContractStatus][];
  status: "active" | "paused" | "cancelled" | "unknown";
}

interface Point {
  at: number;
  /** Closes this week (the weekly snapshot is the score here). */
  closes?: string;
  /** A day start the band may have crossed at by decay: looked at only if needed. */
  optional?: boolean;
}

export function planRescore(sub: PlanSubscriber, ctx: PlanContext): RescorePlan | null {
  const { config, now } = ctx;
  const nowMs = now.getTime();
  const events = sub.timeline;
  if (events.length === 0) return null;
  const firstEventMs = events[0].occurredAt.getTime();
  if (firstEventMs > nowMs) return null;
  // The live window's first look is just before it opens: an event at its very start is news.
  const liveStart = nowMs - ctx.liveWindowMs - 1;
  const scorer = scorerAsOf(events, sub.facts, config, now, false);
  const scoreAt = (at: number) => scorer(new Date(at));

  // Where the walk starts, and the band there.
  let startMs: number;
  let band: string | null;
  let bandSince: number | null;
  let rewriteFrom: number | null = null;
  const prev = sub.previous;
  const changed = sub.changedFrom?.getTime() ?? Infinity;
  if (!prev || Math.min(prev.stepAt.getTime(), changed) < firstEventMs) {
    // First scoring, or the history before the first event changed: from the start.
    startMs = firstEventMs - 1;
    band = null;
    bandSince = null;
    if (prev) rewriteFrom = startMs;
  } else if (changed < prev.stepAt.getTime()) {
    // Events older than the last walk arrived: history after them is walked again.
    startMs = changed - 1;
    rewriteFrom = startMs;
    band = scoreAt(startMs).band;
    bandSince = band === prev.band ? Math.min(prev.bandSince.getTime(), startMs) : startMs;
  } else {
    startMs = prev.stepAt.getTime();
    band = prev.stepBand;
    bandSince = prev.bandSince.getTime();
  }

  const lastEventMs = events[events.length - 1].occurredAt.getTime();
  const tailDeferred = ctx.deferTail === true && lastEventMs < liveStart && lastEventMs <= nowMs && startMs < lastEventMs;
  const points = walkPoints(events, startMs, tailDeferred ? lastEventMs : nowMs, liveStart, ctx.timeZone);
  const history: PlannedHistory[] = [];
  const firings: PlannedFiring[] = [];
  const jobs: PlannedJob[] = [];
  const recent: RecentFiring[] = [...sub.recentFirings];
  let stepAt = startMs;
  // The band before the last change this walk saw (null: no change seen).
  let bandBefore: string | null = null;
  let lastResult = null as HealthResult | null;
  // The snapshot triggers are edge-checked against, from the live window on.
  let edgeFrom: SubscriberSnapshot | null = null;
  let edgeReady = false;
  const bandChanges: PlannedHistory[] = [];
  const eventInstants = new Set(events.map((e) => e.occurredAt.getTime()));
  const isEvent = (at: number) => eventInstants.has(at);
  // The week a subscriber ended in: weeks after it get no snapshot (asked at every look).
  let endedAt: number | null = null;
  let endedWeek = "";
  const endedBefore = (cancelledAt: Date | null, week: string): boolean => {
    if (!cancelledAt) return false;
    if (cancelledAt.getTime() !== endedAt) {
      endedAt = cancelledAt.getTime();
      endedWeek = weekKeyOf(endedAt, ctx.timeZone);
    }
    return endedWeek < week;
  };
  if (startMs >= liveStart) {
    // Resuming inside the live window: the first new event is an edge from here. A
    // subscriber whose whole history is inside it starts from nothing: what is true at
    // their first event is news (a backfill's old history starts outside the window).
    edgeFrom = band !== null ? snapshotAt(sub, startMs, scoreAt(startMs), scorer) : null;
    edgeReady = true;
  }

  const look = (at: number, result: HealthResult) => {
    if (band !== null && result.band !== band) {
      const change: PlannedHistory = { kind: "band_change", periodKey: new Date(at).toISOString(), at: new Date(at), score: result.score, band: result.band, fromBand: band, live: result.cancelledAt === null };
      history.push(change);
      bandChanges.push(change);
      bandSince = at;
      bandBefore = band;
    }
    if (band === null) bandSince = at;
    band = result.band;
    stepAt = at;
    lastResult = result;
  };

  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (p.optional) {
      // Between two looked-at points nothing but time passes: look at the day starts
      // only when the band at the end of the stretch differs from its start.
      let j = i;
      while (j < points.length && points[j].optional) j++;
      const stretch = points.slice(i, j);
      i = j - 1;
      if (lastResult?.cancelledAt) continue; // ended stays ended until an event says otherwise
      // The look after the stretch (an event or a week's end) is taken anyway: when the
      // band there is the one the stretch starts with, the days between are not looked at.
      const next = points[j];
      const probe = next ?? stretch[stretch.length - 1];
      const probeResult = scoreAt(probe.at);
      if (probeResult.band === band) {
        if (!next) look(probe.at, probeResult);
        continue;
      }
      for (const q of stretch) look(q.at, q === probe ? probeResult : scoreAt(q.at));
      continue;
    }
    // Weeks that began after the subscriber ended get no snapshot (until an event revives them).
    if (p.closes !== undefined && endedBefore(lastResult?.cancelledAt ?? null, p.closes) && !isEvent(p.at)) continue;
    const result = scoreAt(p.at);
    look(p.at, result);
    if (p.closes !== undefined && !endedBefore(result.cancelledAt, p.closes)) {
      history.push({ kind: "weekly", periodKey: p.closes, at: new Date(p.at), score: result.score, band: result.band, fromBand: null, live: result.cancelledAt === null });
    }
    if (p.at >= liveStart) {
      const snapshot = snapshotAt(sub, p.at, result, scorer);
      if (edgeReady) {
        for (const planned of fire(sub, ctx, edgeFrom, snapshot, recent, p.at)) {
          firings.push(planned);
          recent.push({ triggerId: planned.firing.triggerId, firedAt: planned.firing.firedAt });
        }
      }
      edgeFrom = snapshot;
      edgeReady = true;
    }
  }

  // The score as of now, and this week's snapshot so far.
  const result = scorer(now);
  const snapshot = snapshotAt(sub, nowMs, result, scorer);
  const currentWeek = weekKeyOf(nowMs, ctx.timeZone);
  // A deferred walk writes no history past where it stopped (its stepAt): the next walk
  // resumes there by appending, so a row dated now would outlive events still to come.
  if (!tailDeferred && !endedBefore(result.cancelledAt, currentWeek)) {
    history.push({ kind: "weekly", periodKey: currentWeek, at: now, score: result.score, band: result.band, fromBand: null, live: result.cancelledAt === null });
  }

  // Only what is still true now is sent: a play whose condition has passed, or a band
  // change since reversed, is history.
  const liveFirings = firings.filter((f) => {
    const trigger = ctx.triggers.find((t) => t.id === f.firing.triggerId);
    return trigger !== undefined && conditionHolds(trigger.condition, snapshot);
  });
  if (ctx.flowEnabled) {
    for (const change of bandChanges) {
      if (change.at.getTime() < liveStart || change.band !== result.band) continue;
      const payload = bandChangePayload({ customerId: sub.customerId, score: change.score, band: change.band, fromBand: change.fromBand!, factors: result.factors, monthlyValue: sub.facts.monthlyValue });
      if (!payload) continue;
      jobs.push({ queue: "flow", key: flowJobKey(ctx.shop, sub.id, change.periodKey), payload: { subscriberId: sub.id, handle: FLOW_TRIGGER_HANDLE, payload }, runAt: now });
    }
  }

  const state = scorer.stateAt(now);
  const contractStatuses: [string, ContractStatus][] = [];
  for (const [id, c] of state.contracts) if (id !== "") contractStatuses.push([id, c.status]);

  // A band reached by decay since the last look is dated at the next day's look.
  const since = new Date(band === result.band && bandSince !== null ? bandSince : nowMs);
  const moot = mootSince({ cancelledAt: result.cancelledAt, band: result.band, bandSince: since, bandBefore: band === result.band ? bandBefore : band });
  // A firing of this walk whose task is already moot opens none (a ticket, then the cancellation).
  const firingsNow = liveFirings.map((f) => (f.task && moot && f.firing.firedAt.getTime() < moot.since.getTime() ? { ...f, task: null } : f));

  return {
    subscriberId: sub.id,
    result,
    snapshot,
    bandSince: since,
    stepAt: new Date(stepAt),
    stepBand: band ?? result.band,
    rewriteFrom: rewriteFrom === null ? null : new Date(rewriteFrom),
    tailDeferred,
    history,
    firings: firingsNow,
    taskCloses: taskCloses(sub.openTasks ?? [], moot),
    jobs,
    contractStatuses,
    status: subscriberStatusOf(state),
  };
}

/**
 * The snapshots the walk would look at from `fromMs` to `now` (every event and every day
 * start), as the dry run replays a trigger: the same instants, scores and snapshots that
 * the live stage evaluates triggers on. `eventsOnly` keeps to the events (and one look at
 * the start when the history began before it): enough for a condition that only an event
 * can change, whose truth between two events is the same at every day start.
 */
export function timedSnapshots(
  sub: Pick<PlanSubscriber, "id" | "timeline" | "facts">,
  ctx: Pick<PlanContext, "config" | "timeZone" | "now">,
  fromMs: number,
  options: { eventsOnly?: boolean } = {},
): { at: Date; snapshot: SubscriberSnapshot }[] {
  const events = sub.timeline;
  if (events.length === 0) return [];
  const nowMs = ctx.now.getTime();
  const start = Math.max(fromMs, events[0].occurredAt.getTime() - 1);
  const scorer = scorerAsOf(events, sub.facts, ctx.config, ctx.now, false);
  const scoreAt = (at: number) => scorer(new Date(at));
  const points = options.eventsOnly ? eventInstants(events, start, nowMs, start === fromMs) : walkPoints(events, start, nowMs, start, ctx.timeZone).map((p) => p.at);
  return points.map((at) => ({ at: new Date(at), snapshot: snapshotAt(sub, at, scoreAt(at), scorer) }));
}

/** The events' instants in (from, now], after a first look just past `from` when the history began before it. */
function eventInstants(events: readonly TimelineEvent[], fromMs: number, nowMs: number, lookAtStart: boolean): number[] {
  const at = new Set<number>(lookAtStart ? [fromMs + 1] : []);
  for (const e of events) {
    const t = e.occurredAt.getTime();
    if (t > fromMs && t <= nowMs) at.add(t);
  }
  return [...at].sort((a, b) => a - b);
}

/** The instants the walk looks at in (from, now], in order. */
export function walkPoints(events: readonly TimelineEvent[], fromMs: number, nowMs: number, liveStart: number, timeZone: string): Point[] {
  const byAt = new Map<number, Point>();
  for (const e of events) {
    const at = e.occurredAt.getTime();
    if (at > fromMs && at <= nowMs) byAt.set(at, { at });
  }
  for (const w of weekBoundaries(fromMs, nowMs, timeZone)) byAt.set(w.at, { ...byAt.get(w.at), at: w.at, closes: w.closes });
  // The live window starts with a look, so its first edge has a state to be checked against.
  if (liveStart > fromMs && liveStart <= nowMs && !byAt.has(liveStart)) byAt.set(liveStart, { at: liveStart });
  for (const d of dayStarts(fromMs, nowMs)) {
    if (!byAt.has(d)) byAt.set(d, d >= liveStart ? { at: d } : { at: d, optional: true });
  }
  return [...byAt.values()].sort((a, b) => a.at - b.at);
}

function snapshotAt(sub: Pick<PlanSubscriber, "id" | "timeline">, at: number, result: HealthResult, scorer: WalkScorer): SubscriberSnapshot {
  const when = new Date(at);
  const weekAgo = at - 7 * DAY_MS;
  const scoreSevenDaysAgo = weekAgo >= sub.timeline[0].occurredAt.getTime() ? scorer(new Date(weekAgo)).score : null;
  return snapshotFromState(scorer.stateAt(when), { subscriberId: sub.id, facts: scorer.factsAt(when), result, scoreSevenDaysAgo, now: when });
}

function fire(sub: PlanSubscriber, ctx: PlanContext, from: SubscriberSnapshot | null, to: SubscriberSnapshot, recent: readonly RecentFiring[], at: number): PlannedFiring[] {
  if (ctx.triggers.length === 0) return [];
  const { fire: fired } = evaluateTriggers(from, to, ctx.triggers, recent, ctx.caps, new Date(at), { shopId: ctx.shop });
  return fired.map((firing) => {
    const taskFor = ctx.triggers.find((t) => t.id === firing.triggerId)?.taskFor ?? "everyone";
    return { firing, snapshot: to, plays: playsOf(firing, to, sub.canEmail), task: opensTaskFor(taskFor, to) ? taskOf(firing) : null };
  });
}

function playsOf(firing: Firing, snapshot: SubscriberSnapshot, canEmail: boolean): PlannedPlay[] {
  if (!canEmail) return [];
  const plays: PlannedPlay[] = [];
  for (const play of firing.plays) {
    // Holdout firings carry only runInHoldout plays already; checked again because a
    // treatment reaching a holdout subscriber would bias every lift figure.
    if (firing.holdout && !play.runInHoldout) continue;
    if (play.kind === "klaviyo_event") {
      const built = buildEventProperties(snapshot, firing, firing.reasons);
      plays.push({ kind: "klaviyo_event", metric: play.metric, uniqueId: built.uniqueId, payload: { metric: play.metric, properties: built.properties, time: built.time.toISOString() } });
    } else if (play.kind === "klaviyo_profile") {
      plays.push({ kind: "klaviyo_profile", metric: null, uniqueId: `${firingUniqueId(firing)}:profile`, payload: { properties: buildProfileProperties(snapshot) } });
    }
  }
  return plays;
}

function taskOf(firing: Firing): PlannedTask | null {
  const play = firing.plays.find((p) => p.kind === "task");
  if (!play || play.kind !== "task") return null;
  return { title: firing.triggerName, suggestedAction: play.suggestedAction, reasons: firing.reasons, owner: firing.owner, priority: firing.priority, dueAt: firing.dueAt };
}
