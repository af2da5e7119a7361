/**
 * Measurement: every firing gets an outcome once its window closes, and the playbook
 * report turns firings, actions, outcomes and task close reasons into per-trigger
 * figures (measure.ts), holdout lift included.
 */
import prisma from "../db.server";
import { triggersByKey } from "../models/triggers.server";
import { actedOn, measurePlaybook, type FiringRecord, type MeasureOptions, type Outcome, type TriggerMeasurement } from "./measure";
import { decideOutcome, outcomeKindOf, type OutcomeKind } from "./outcome";
import { snapshotFromJson } from "./snapshot";
import { loadTimelines } from "./timelines.server";
import { CLOSE_REASONS, type CloseReason } from "./tasks";

const BATCH = 200;

/**
 * Reads the outcome of every firing whose window has closed and that has none yet.
 * The outcome is the subscriber's state at the end of the window (`outcomeAt` is that
 * moment), so running this late or twice gives the same answer. Returns how many
 * firings got an outcome.
 */
export async function recordOutcomes(shop: string, now: Date): Promise<number> {
  const triggers = await triggersByKey(prisma, shop);
  let recorded = 0;
  let afterId = "";
  for (;;) {
    const due = await prisma.firing.findMany({
      where: { shop, outcome: null, outcomeDueAt: { lte: now }, id: { gt: afterId } },
      orderBy: { id: "asc" },
      take: BATCH,
      select: { id: true, triggerKey: true, subscriberId: true, firedAt: true, outcomeDueAt: true, snapshot: true },
    });
    if (due.length === 0) return recorded;
    afterId = due[due.length - 1].id;

    const subscriberIds = [...new Set(due.map((f) => f.subscriberId))];
    const timelines = await loadTimelines(shop, subscriberIds);
    const statuses = new Map(
      (await prisma.subscriber.findMany({ where: { shop, id: { in: subscriberIds } }, select: { id: true, status: true } })).map(
        (s) => [s.id, s.status],
      ),
    );

    for (const f of due) {
      const trigger = triggers.get(f.triggerKey);
      const kind = trigger ? outcomeKindOf(trigger.condition.type) : kindFromSnapshot(f.snapshot);
      const outcome = decideOutcome({
        kind,
        firedAt: f.firedAt,
        dueAt: f.outcomeDueAt,
        timeline: timelines.get(f.subscriberId) ?? [],
        currentStatus: statuses.get(f.subscriberId) ?? "unknown",
      });
      const { count } = await prisma.firing.updateMany({
        where: { id: f.id, outcome: null },
        data: { outcome, outcomeAt: f.outcomeDueAt },
      });
      recorded += count;
    }
  }
}

/** For a firing whose trigger was since deleted: judge it by what its snapshot shows. */
function kindFromSnapshot(json: string): OutcomeKind {
  const s = snapshotFromJson(json);
  if (s?.cancelled) return "winback";
  if (s?.lastFailure) return "payment";
  return "retention";
}

export interface TriggerReportRow extends TriggerMeasurement {
  /** The trigger's current name; its key when the trigger no longer exists. */
  triggerName: string;
  /** How its outcomes are judged (kept, paid, came back); "retention" when the trigger no longer exists. */
  outcomeKind: OutcomeKind;
  /** Some of its firings gave the team a task: acting on them means working the task. */
  hasTasks: boolean;
}

/**
 * Per trigger: firings, trigger-to-action, action-to-outcome, false-positive rate and
 * holdout lift (or "insufficient_sample"). The playbook and the reports both read their
 * figures here, so the two pages cannot disagree. `since` limits it to recent firings.
 */
export async function triggerReport(
  shop: string,
  options: MeasureOptions & { since?: Date } = {},
): Promise<TriggerReportRow[]> {
  const firings = await prisma.firing.findMany({
    where: { shop, ...(options.since ? { firedAt: { gte: options.since } } : {}) },
    select: { triggerKey: true, holdout: true, actionAt: true, outcome: true, outcomeDueAt: true, task: { select: { closeReason: true } } },
  });
  const withTasks = new Set<string>();
  const records: FiringRecord[] = firings.map((f) => {
    if (f.task) withTasks.add(f.triggerKey);
    return {
      triggerId: f.triggerKey,
      holdout: f.holdout,
      actedOn: actedOn(f),
      outcome: (f.outcome as Outcome | null) ?? "pending",
      outcomeDueAt: f.outcomeDueAt,
      closeReason: isCloseReason(f.task?.closeReason) ? f.task.closeReason : null,
    };
  });
  const triggers = await triggersByKey(prisma, shop);
  return measurePlaybook(records, options).map((m) => {
    const trigger = triggers.get(m.triggerId);
    return {
      ...m,
      triggerName: trigger?.name ?? m.triggerId,
      outcomeKind: trigger ? outcomeKindOf(trigger.condition.type) : "retention",
      hasTasks: withTasks.has(m.triggerId),
    };
  });
}

function isCloseReason(value: string | null | undefined): value is CloseReason {
  return typeof value === "string" && (CLOSE_REASONS as readonly string[]).includes(value);
}
