/**
 * What the merchant does from the at-risk list is kept as tasks: contacting, snoozing and
 * dismissing act on the subscriber's open task (the playbook's, when there is one), or
 * on a review task created for the purpose, so the task inbox shows the same history.
 */
import prisma from "../../db.server";
import { closeTask, markContacted, snoozeTask, type TaskResult } from "../../models/tasks.server";
import { parseFactors, riskReasons, suggestedPlay } from "../shared/subscriber-row";
import { SNOOZE_DAYS } from "./at-risk-options";

const DAY_MS = 86_400_000;
const REVIEW_TASK_TITLE = "At-risk review";

// Task has no "contacted" column: the contact is kept as the first line of the task's note.
const CONTACTED_LINE = /^Contacted (\d{4}-\d{2}-\d{2}T[\d:.]+Z)/;

export function contactedAt(note: string | null): string | null {
  for (const line of (note ?? "").split("\n")) {
    const m = CONTACTED_LINE.exec(line);
    if (m) return m[1];
  }
  return null;
}

export type ActionResult = { ok: true; message: string } | { ok: false; status: 400 | 404 | 409; error: string };

/**
 * The task to record the merchant's action on: the subscriber's open one, or a new
 * review task carrying the suggested play and the reasons, due now.
 */
async function taskInHand(shop: string, subscriberId: string, now: Date): Promise<string | null> {
  const subscriber = await prisma.subscriber.findFirst({
    where: { id: subscriberId, shop },
    select: { id: true, health: { select: { factors: true, band: true } } },
  });
  if (!subscriber) return null;
  const open = await prisma.task.findFirst({
    where: { shop, subscriberId, status: { in: ["open", "snoozed"] } },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  if (open) return open.id;
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
      dueAt: now,
      createdAt: now,
    },
    select: { id: true },
  });
  return created.id;
}

const notFound: ActionResult = { ok: false, status: 404, error: "That subscriber is not in this store." };

function fromTask(result: TaskResult, message: string): ActionResult {
  return result.ok ? { ok: true, message } : { ok: false, status: result.status, error: result.error };
}

/** The merchant reached out: recorded on the task (it stays open) and as the firing's first action. */
export async function markSubscriberContacted(shop: string, subscriberId: string, now = new Date()): Promise<ActionResult> {
  const taskId = await taskInHand(shop, subscriberId, now);
  if (!taskId) return notFound;
  const result = await markContacted(shop, taskId, now);
  if (!result.ok) return fromTask(result, "");
  const line = `Contacted ${now.toISOString()} (from the at-risk list)`;
  const rest = (result.task.note ?? "")
    .split("\n")
    .filter((l) => !CONTACTED_LINE.test(l))
    .join("\n")
    .trim();
  await prisma.task.update({ where: { id: taskId }, data: { note: rest ? `${line}\n${rest}` : line } });
  return { ok: true, message: "Marked as contacted." };
}

export async function snoozeSubscriber(shop: string, subscriberId: string, now = new Date()): Promise<ActionResult> {
  const taskId = await taskInHand(shop, subscriberId, now);
  if (!taskId) return notFound;
  return fromTask(await snoozeTask(shop, taskId, new Date(now.getTime() + SNOOZE_DAYS * DAY_MS), now), `Snoozed for ${SNOOZE_DAYS} days.`);
}

/**
 * Takes the subscriber off this week's list by closing their tasks with the reason: every
 * open or snoozed one (two triggers may each have opened one), or a review task made for it.
 * The first close checks the reason, so a refused dismissal closes nothing.
 */
export async function dismissSubscriber(
  shop: string,
  subscriberId: string,
  input: { reason: string; note?: string | null },
  now = new Date(),
): Promise<ActionResult> {
  const first = await taskInHand(shop, subscriberId, now);
  if (!first) return notFound;
  const others = await prisma.task.findMany({ where: { shop, subscriberId, status: { in: ["open", "snoozed"] }, id: { not: first } }, select: { id: true } });
  const close = (id: string) => closeTask(shop, id, { reason: input.reason, note: input.note ?? undefined }, now);
  const result = await close(first);
  if (!result.ok) return fromTask(result, "");
  for (const task of others) {
    const closed = await close(task.id);
    if (!closed.ok) return fromTask(closed, "");
  }
  return { ok: true, message: others.length > 0 ? `Dismissed for this week; its ${others.length + 1} open tasks are closed.` : "Dismissed for this week." };
}
