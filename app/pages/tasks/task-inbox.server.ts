/**
 * The task inbox page's data: the shop's tasks for one tab (and owner), each with the
 * subscriber it is about, plus what the tabs and the owner filter need. Changes to a
 * task go through tasks.server.ts, which holds the rules.
 */
import { z } from "zod";
import prisma from "../../db.server";
import { startOfLocalDay } from "../../health/weeks.server";
import { displayName } from "../shared/subscriber-row";
import { listTasks, snoozeTask, type TaskResult } from "../../models/tasks.server";
import { TASK_PAGE_SIZE, TASK_TABS, type TaskTab } from "./task-options";

export interface InboxQuery {
  tab: TaskTab;
  owner: string | null;
  /** 1-based page of TASK_PAGE_SIZE rows. */
  page: number;
}

const querySchema = z.object({
  tab: z.enum(TASK_TABS as [TaskTab, ...TaskTab[]]).catch("open"),
  owner: z.string().trim().max(120).catch("").transform((v) => v || null),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

/** A link's query as the inbox reads it; anything unrecognised falls back to the open tab, every owner. */
export function parseInboxQuery(params: URLSearchParams): InboxQuery {
  return querySchema.parse({ tab: params.get("tab") ?? undefined, owner: params.get("owner") ?? "", page: params.get("page") ?? 1 });
}

export interface InboxRow {
  id: string;
  title: string;
  triggerKey: string | null;
  subscriber: { id: string; name: string; email: string | null };
  priority: string;
  owner: string;
  dueAt: Date;
  overdue: boolean;
  status: string;
  snoozedUntil: Date | null;
  reasons: string[];
  suggestedAction: string;
  closedAt: Date | null;
  closeReason: string | null;
  note: string | null;
}

export interface TaskInbox {
  query: InboxQuery;
  rows: InboxRow[];
  counts: Record<TaskTab, number>;
  /** This page of the tab: rows page*size-size+1 to page*size of counts[tab]. */
  page: number;
  pageSize: number;
  owners: string[];
  timeZone: string;
}

function parseReasons(json: string): string[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((r): r is string => typeof r === "string") : [];
  } catch {
    return [];
  }
}

export async function taskInbox(shop: string, query: InboxQuery, now = new Date()): Promise<TaskInbox> {
  const owner = query.owner ?? undefined;
  const ownerWhere = owner ? { owner } : {};
  const [tasks, open, snoozed, done, all, owners, shopRow] = await Promise.all([
    listTasks(shop, { status: query.tab, now, owner, take: TASK_PAGE_SIZE, skip: (query.page - 1) * TASK_PAGE_SIZE }),
    prisma.task.count({ where: { shop, ...ownerWhere, OR: [{ status: "open" }, { status: "snoozed", snoozedUntil: { lte: now } }] } }),
    prisma.task.count({ where: { shop, ...ownerWhere, status: "snoozed", snoozedUntil: { gt: now } } }),
    prisma.task.count({ where: { shop, ...ownerWhere, status: "done" } }),
    prisma.task.count({ where: { shop, ...ownerWhere } }),
    prisma.task.findMany({ where: { shop }, distinct: ["owner"], select: { owner: true }, orderBy: { owner: "asc" } }),
    prisma.shop.findUnique({ where: { shop }, select: { timezone: true } }),
  ]);
  const subscriberIds = [...new Set(tasks.map((t) => t.subscriberId))];
  const firingIds = tasks.flatMap((t) => (t.firingId ? [t.firingId] : []));
  const [subscribers, firings] = await Promise.all([
    prisma.subscriber.findMany({
      where: { shop, id: { in: subscriberIds } },
      select: { id: true, email: true, firstName: true, lastName: true, displayName: true },
    }),
    prisma.firing.findMany({ where: { shop, id: { in: firingIds } }, select: { id: true, triggerKey: true } }),
  ]);
  const byId = new Map(subscribers.map((s) => [s.id, s]));
  const triggerOf = new Map(firings.map((f) => [f.id, f.triggerKey]));
  const rows: InboxRow[] = tasks.map((t) => {
    const s = byId.get(t.subscriberId);
    return {
      id: t.id,
      title: t.title,
      triggerKey: t.firingId ? (triggerOf.get(t.firingId) ?? null) : null,
      subscriber: { id: t.subscriberId, name: s ? displayName(s) : "Unnamed subscriber", email: s?.email ?? null },
      priority: t.priority,
      owner: t.owner,
      dueAt: t.dueAt,
      overdue: t.overdue,
      status: t.status,
      snoozedUntil: t.snoozedUntil,
      reasons: parseReasons(t.reasons),
      suggestedAction: t.suggestedAction,
      closedAt: t.closedAt,
      closeReason: t.closeReason,
      note: t.note,
    };
  });
  const ownerNames = owners.map((o) => o.owner);
  if (query.owner && !ownerNames.includes(query.owner)) ownerNames.push(query.owner);
  return { query, rows, counts: { open, snoozed, done, all }, page: query.page, pageSize: TASK_PAGE_SIZE, owners: ownerNames, timeZone: shopRow?.timezone ?? "UTC" };
}

/** Snoozes a task until the start of a calendar day (YYYY-MM-DD) in the store's time zone. */
export async function snoozeTaskUntilDay(shop: string, taskId: string, day: string, now = new Date()): Promise<TaskResult> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { timezone: true } });
  return snoozeTask(shop, taskId, startOfLocalDay(day, row?.timezone ?? "UTC"), now);
}
