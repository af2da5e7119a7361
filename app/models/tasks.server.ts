/**
 * The merchant's task inbox. Every function is scoped by shop: a task id that belongs
 * to another shop is "not found", never someone else's data. Changes go through the
 * pure rules in app/playbook/tasks.ts (a close needs a reason code, a done task stays
 * closed) so the page and the rules cannot drift apart.
 */
import type { Prisma, Task } from "@prisma/client";
import prisma from "../db.server";
import { directDb, prepared } from "../db-direct.server";
import { closeTask as closeRule, snoozeTask as snoozeRule, validateTaskClose, type PlaybookTask, type TaskStatus } from "../playbook/tasks";
import type { Firing } from "../playbook/types";
import { markFiringActed } from "./firings.server";

type Db = Prisma.TransactionClient;
const HOUR_MS = 3_600_000;

export type TaskResult = { ok: true; task: Task } | { ok: false; status: 400 | 404 | 409; error: string };

const notFound: TaskResult = { ok: false, status: 404, error: "Task not found." };

/** The task a firing's task play creates; one per firing (unique firingId), so a retry writes nothing new. */
export async function createTaskForFiring(
  db: Db,
  input: { shop: string; firingId: string; firing: Firing; suggestedAction: string },
): Promise<void> {
  const { shop, firingId, firing } = input;
  await db.task.upsert({
    where: { firingId },
    create: {
      shop,
      firingId,
      subscriberId: firing.subscriberId,
      title: firing.triggerName,
      suggestedAction: input.suggestedAction,
      reasons: JSON.stringify(firing.reasons),
      owner: firing.owner,
      priority: firing.priority,
      dueAt: firing.dueAt,
    },
    update: {},
  });
}

/**
 * One subscriber's open or snoozed tasks, newest first. Task has no index by subscriber, so
 * they are found through their firings (indexed by subscriber) and, for the few tasks with
 * no firing (review tasks made from the at-risk list), through the firing-id index's NULLs:
 * two index reads whatever the size of the shop, where a plain filter scans every task.
 */
export function openTasksOf(shop: string, subscriberId: string): { id: string; note: string | null; firingId: string | null }[] {
  return prepared(
    directDb(),
    `SELECT "id", "note", "firingId" FROM (
       SELECT t."id", t."note", t."firingId", t."createdAt" FROM "Firing" f JOIN "Task" t ON t."firingId" = f."id"
        WHERE f."subscriberId" = ? AND f."shop" = ? AND t."shop" = ? AND t."status" IN ('open', 'snoozed')
       UNION ALL
       SELECT t."id", t."note", t."firingId", t."createdAt" FROM "Task" t
        WHERE t."firingId" IS NULL AND t."subscriberId" = ? AND t."shop" = ? AND t."status" IN ('open', 'snoozed'))
     ORDER BY "createdAt" DESC`,
  ).all(subscriberId, shop, shop, subscriberId, shop) as { id: string; note: string | null; firingId: string | null }[];
}

/**
 * "open" includes snoozed tasks whose snooze has ended (they are back in the inbox);
 * "snoozed" is only those still deferred.
 */
export type InboxFilter = "open" | "snoozed" | "done" | "all";

export interface InboxTask extends Task {
  overdue: boolean;
}

/** The inbox: overdue tasks first, then by due time (soonest first). */
export async function listTasks(
  shop: string,
  options: { status?: InboxFilter; now?: Date; take?: number; skip?: number; owner?: string } = {},
): Promise<InboxTask[]> {
  const now = options.now ?? new Date();
  const filter = options.status ?? "open";
  const byStatus: Prisma.TaskWhereInput =
    filter === "open"
      ? { shop, OR: [{ status: "open" }, { status: "snoozed", snoozedUntil: { lte: now } }] }
      : filter === "snoozed"
        ? { shop, status: "snoozed", snoozedUntil: { gt: now } }
        : filter === "done"
          ? { shop, status: "done" }
          : { shop };
  const where: Prisma.TaskWhereInput = options.owner ? { AND: [byStatus, { owner: options.owner }] } : byStatus;
  const rows = await prisma.task.findMany({
    where,
    orderBy: filter === "done" ? { closedAt: "desc" } : { dueAt: "asc" },
    take: options.take ?? 200,
    skip: options.skip ?? 0,
  });
  const tasks = rows.map((t) => ({ ...t, overdue: isOverdue(t, now) }));
  if (filter === "done") return tasks;
  // Stable sort: within each group the due-time order from the query is kept.
  return tasks.sort((a, b) => Number(b.overdue) - Number(a.overdue));
}

export function isOverdue(task: Pick<Task, "status" | "snoozedUntil" | "dueAt">, now: Date): boolean {
  if (task.status === "done") return false;
  if (task.status === "snoozed" && task.snoozedUntil && task.snoozedUntil > now) return false;
  return now.getTime() > task.dueAt.getTime();
}

export async function snoozeTask(shop: string, taskId: string, until: Date, now = new Date()): Promise<TaskResult> {
  const task = await prisma.task.findFirst({ where: { id: taskId, shop } });
  if (!task) return notFound;
  const change = snoozeRule(toRule(task), until, now);
  if (!change.ok) return { ok: false, status: task.status === "done" ? 409 : 400, error: change.error };
  const updated = await prisma.task.update({ where: { id: task.id }, data: { status: "snoozed", snoozedUntil: until } });
  return { ok: true, task: updated };
}

export async function assignTask(shop: string, taskId: string, owner: string): Promise<TaskResult> {
  const name = typeof owner === "string" ? owner.trim() : "";
  if (name === "" || name.length > 120) return { ok: false, status: 400, error: "Name who owns this task (up to 120 characters)." };
  const task = await prisma.task.findFirst({ where: { id: taskId, shop }, select: { id: true } });
  if (!task) return notFound;
  return { ok: true, task: await prisma.task.update({ where: { id: task.id }, data: { owner: name } }) };
}

/**
 * Closes a task with a reason code (and an optional note). A close without a valid
 * reason is refused with the list of reasons. Closing counts as the firing's action,
 * except "false_positive": dismissing a false alarm is not acting on the subscriber.
 */
export async function closeTask(
  shop: string,
  taskId: string,
  input: { reason?: unknown; note?: unknown },
  now = new Date(),
): Promise<TaskResult> {
  const task = await prisma.task.findFirst({ where: { id: taskId, shop } });
  if (!task) return notFound;
  const change = closeRule(toRule(task), input, now);
  if (!change.ok) return { ok: false, status: task.status === "done" ? 409 : 400, error: change.error };
  const updated = await prisma.$transaction(async (tx) => {
    const row = await tx.task.update({
      where: { id: task.id },
      data: {
        status: "done",
        closedAt: now,
        closeReason: change.task.closeReason,
        note: change.task.closeNote ?? task.note,
        snoozedUntil: null,
      },
    });
    if (task.firingId && change.task.closeReason !== "false_positive") await markFiringActed(tx, task.firingId, now);
    return row;
  });
  return { ok: true, task: updated };
}

/**
 * Closes several tasks with one reason (the inbox's bulk close). Tasks already closed, or
 * not this shop's, are left as they are; the answer says how many were closed.
 */
export async function closeTasks(
  shop: string,
  taskIds: string[],
  input: { reason?: unknown; note?: unknown },
  now = new Date(),
): Promise<{ ok: true; closed: number } | { ok: false; status: 400; error: string }> {
  const v = validateTaskClose(input);
  if (!v.ok) return { ok: false, status: 400, error: v.error };
  const closed = await prisma.$transaction(async (tx) => {
    const tasks = await tx.task.findMany({ where: { shop, id: { in: taskIds }, status: { in: ["open", "snoozed"] } }, select: { id: true, firingId: true } });
    if (tasks.length === 0) return 0;
    const { count } = await tx.task.updateMany({
      where: { shop, id: { in: tasks.map((t) => t.id) }, status: { in: ["open", "snoozed"] } },
      data: { status: "done", closedAt: now, closeReason: v.reason, snoozedUntil: null, ...(v.note ? { note: v.note } : {}) },
    });
    const firingIds = tasks.flatMap((t) => (t.firingId ? [t.firingId] : []));
    if (v.reason !== "false_positive" && firingIds.length > 0) await tx.firing.updateMany({ where: { shop, id: { in: firingIds }, actionAt: null }, data: { actionAt: now } });
    return count;
  });
  return { ok: true, closed };
}

/** The merchant reached out to the subscriber: they are marked contacted and the firing has had its action. The task stays open. */
export async function markContacted(shop: string, taskId: string, now = new Date()): Promise<TaskResult> {
  const task = await prisma.task.findFirst({ where: { id: taskId, shop } });
  if (!task) return notFound;
  // The subscriber is contacted, as from the at-risk list: the list shows it too.
  await prisma.$transaction([
    prisma.subscriber.updateMany({ where: { id: task.subscriberId, shop }, data: { contactedAt: now } }),
    ...(task.firingId ? [prisma.firing.updateMany({ where: { id: task.firingId, actionAt: null }, data: { actionAt: now } })] : []),
  ]);
  return { ok: true, task };
}

function toRule(task: Task): PlaybookTask {
  return {
    status: task.status as TaskStatus,
    createdAt: task.createdAt,
    slaHours: (task.dueAt.getTime() - task.createdAt.getTime()) / HOUR_MS,
    snoozedUntil: task.snoozedUntil,
    closedAt: task.closedAt,
    closeReason: task.closeReason as PlaybookTask["closeReason"],
    closeNote: task.note,
  };
}
