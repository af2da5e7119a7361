/**
 * What the merchant does about an at-risk subscriber, from the weekly list or the
 * subscriber's page. Contacting is kept on the subscriber (Subscriber.contactedAt) and as a
 * line on their open tasks; snoozing and dismissing act on their open tasks (or on a
 * review task made for the purpose), so the task inbox shows the same history.
 *
 * Each action is a few indexed reads and writes and nothing else: no rescore, no cached
 * result to recompute. The page's list is read again by the loader afterwards.
 */
import prisma from "../../db.server";
import { closeTask, openTasksOf, snoozeTask, type TaskResult } from "../../models/tasks.server";
import { formatDate } from "../shared/format";
import { parseFactors, riskReasons, suggestedPlay } from "../shared/subscriber-row";
import { SNOOZE_DAYS, type Undo } from "./at-risk-options";

const DAY_MS = 86_400_000;
const REVIEW_TASK_TITLE = "At-risk review";

export type ActionResult = { ok: true; message: string; undo?: Undo } | { ok: false; status: 400 | 404 | 409; error: string };

const notFound: ActionResult = { ok: false, status: 404, error: "That subscriber is not in this store." };

function failed(result: Extract<TaskResult, { ok: false }>): ActionResult {
  return { ok: false, status: result.status, error: result.error };
}

/** The subscriber's open or snoozed tasks, newest first; none if the subscriber is not this shop's. */
async function tasksInHand(shop: string, subscriberId: string) {
  return openTasksOf(shop, subscriberId);
}

/** A review task carrying the suggested play and the reasons, for a subscriber with no task open. */
async function createReviewTask(shop: string, subscriberId: string, dueAt: Date, now: Date): Promise<string | null> {
  const subscriber = await prisma.subscriber.findFirst({ where: { id: subscriberId, shop }, select: { health: { select: { factors: true, band: true } } } });
  if (!subscriber) return null;
  const factors = parseFactors(subscriber.health?.factors);
  const created = await prisma.task.create({
    data: {
      shop,
      subscriberId,
      title: REVIEW_TASK_TITLE,
      suggestedAction: suggestedPlay(factors).label,
      reasons: JSON.stringify(riskReasons(factors)),
      owner: "Store owner",
      priority: subscriber.health?.band === "critical" ? "high" : "normal",
      dueAt,
      createdAt: now,
    },
    select: { id: true },
  });
  return created.id;
}

/**
 * The merchant reached out: the subscriber is marked contacted, each open task gets a line
 * saying so (it stays open) and its firing counts as acted on. No task is created.
 */
export async function markSubscriberContacted(shop: string, subscriberId: string, now = new Date()): Promise<ActionResult> {
  const [shopRow, tasks] = await Promise.all([prisma.shop.findUnique({ where: { shop }, select: { timezone: true } }), tasksInHand(shop, subscriberId)]);
  const line = `Contacted ${formatDate(now, shopRow?.timezone ?? "UTC")}`;
  const firingIds = tasks.flatMap((t) => (t.firingId ? [t.firingId] : []));
  // One batch: the writes are by key and each is safe to repeat.
  const [marked] = await prisma.$transaction([
    prisma.subscriber.updateMany({ where: { id: subscriberId, shop }, data: { contactedAt: now } }),
    ...tasks.map((task) => {
      const rest = (task.note ?? "").split("\n").filter((l) => l.trim() !== "" && l !== line);
      return prisma.task.updateMany({ where: { id: task.id, shop }, data: { note: [line, ...rest].join("\n") } });
    }),
    ...(firingIds.length ? [prisma.firing.updateMany({ where: { shop, id: { in: firingIds }, actionAt: null }, data: { actionAt: now } })] : []),
  ]);
  return marked.count > 0 ? { ok: true, message: "Marked as contacted" } : notFound;
}

/** Off the list for SNOOZE_DAYS: the open tasks are snoozed (or a review task is made, due when the snooze ends). */
export async function snoozeSubscriber(shop: string, subscriberId: string, now = new Date()): Promise<ActionResult> {
  const until = new Date(now.getTime() + SNOOZE_DAYS * DAY_MS);
  let ids = (await tasksInHand(shop, subscriberId)).map((t) => t.id);
  const createdTaskId = ids.length === 0 ? await createReviewTask(shop, subscriberId, until, now) : null;
  if (createdTaskId) ids = [createdTaskId];
  if (ids.length === 0) return notFound;
  for (const id of ids) {
    const result = await snoozeTask(shop, id, until, now);
    if (!result.ok) return failed(result);
  }
  return { ok: true, message: `Snoozed for ${SNOOZE_DAYS} days`, undo: { kind: "snooze", taskIds: ids, createdTaskId } };
}

/**
 * Takes the subscriber off this week's list by closing their tasks with the reason: every
 * open or snoozed one (two triggers may each have opened one), or a review task made for it.
 * The reason is checked first, so a refused dismissal closes nothing.
 */
export async function dismissSubscriber(
  shop: string,
  subscriberId: string,
  input: { reason: string; note?: string | null },
  now = new Date(),
): Promise<ActionResult> {
  let ids = (await tasksInHand(shop, subscriberId)).map((t) => t.id);
  const exists = ids.length > 0 || (await prisma.subscriber.count({ where: { id: subscriberId, shop } })) > 0;
  if (!exists) return notFound;
  const close = (id: string) => closeTask(shop, id, { reason: input.reason, note: input.note ?? undefined }, now);
  let createdTaskId: string | null = null;
  if (ids.length === 0) {
    createdTaskId = await createReviewTask(shop, subscriberId, now, now);
    if (!createdTaskId) return notFound;
    ids = [createdTaskId];
  }
  for (const id of ids) {
    const result = await close(id);
    if (!result.ok) {
      // A refused reason refuses the whole dismissal: the review task made for it goes again.
      if (createdTaskId) await prisma.task.deleteMany({ where: { id: createdTaskId, shop } });
      return failed(result);
    }
  }
  const message = ids.length > 1 ? `Dismissed for this week; their ${ids.length} open tasks are closed` : "Dismissed for this week";
  return { ok: true, message, undo: { kind: "dismiss", taskIds: ids, createdTaskId } };
}

/**
 * Puts a dismissal or a snooze back: the tasks it closed or snoozed are open again (only
 * those still as it left them, and only this subscriber's), and a review task it made is removed.
 */
export async function undoSubscriberAction(shop: string, subscriberId: string, undo: Undo): Promise<ActionResult> {
  const left = undo.kind === "dismiss" ? "done" : "snoozed";
  const mine = { shop, subscriberId, status: left };
  await prisma.$transaction(async (tx) => {
    if (undo.createdTaskId) await tx.task.deleteMany({ where: { ...mine, id: undo.createdTaskId } });
    const others = undo.taskIds.filter((id) => id !== undo.createdTaskId);
    if (others.length > 0) {
      await tx.task.updateMany({ where: { ...mine, id: { in: others } }, data: { status: "open", snoozedUntil: null, closedAt: null, closeReason: null } });
    }
  });
  return { ok: true, message: undo.kind === "dismiss" ? "Back on this week's list" : "Snooze undone" };
}
