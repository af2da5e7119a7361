/**
 * The weekly at-risk list: the subscribers a store owner should look at this Monday,
 * ranked by the monthly revenue that leaves with them, in three views (to review,
 * snoozed, dismissed). Everything is scoped by shop. Who is on a week's list is decided
 * in candidates.server.ts; what the merchant does from it, in row-actions.server.ts.
 */
import { z } from "zod";
import prisma from "../../db.server";
import { isOverdue } from "../../models/tasks.server";
import { shopWeekContext } from "../../models/shop.server";
import type { Band } from "../../playbook/types";
import { currentWeek, isWeekKey, weekWindow, type WeekWindow } from "../../health/weeks.server";
import { customerAdminUrl, displayName, parseFactors, riskReasons, suggestedPlay, type Suggestion } from "../shared/subscriber-row";
import { PAGE_LIMIT, type AtRiskView } from "./at-risk-options";
import { AUTO_CLOSE_REASONS } from "../../playbook/tasks";
import { closeReasonLabel } from "../shared/close-reasons";
import { candidatesFor, type Candidate } from "./candidates.server";
import { pickerWeeks } from "./week-picker.server";

export interface AtRiskTask {
  id: string;
  title: string;
  status: string;
  dueAt: string;
  snoozedUntil: string | null;
  /** Past due and nobody has contacted the subscriber since it opened. */
  overdue: boolean;
}

export interface AtRiskRow {
  rank: number;
  subscriberId: string;
  customerId: string;
  name: string;
  email: string | null;
  status: string;
  score: number | null;
  band: Band | null;
  /** Crossed into at risk or critical during the week (from this band). */
  crossedFrom: Band | null;
  monthlyValue: number;
  currency: string;
  reasons: string[];
  suggestion: Suggestion;
  task: AtRiskTask | null;
  /** When someone last marked the subscriber contacted. */
  contactedAt: string | null;
  /** Taken off this week's list, and why. */
  dismissed: { reason: string; label: string; at: string } | null;
  shopifyUrl: string;
}

export interface AtRiskList {
  week: { key: string; start: string; end: string };
  currentWeekKey: string;
  isCurrentWeek: boolean;
  /** Weeks the picker offers, newest first. */
  weeks: string[];
  view: AtRiskView;
  counts: Record<AtRiskView, number>;
  /** All rows of the view (for the CSV), or the first PAGE_LIMIT (for the page). */
  rows: AtRiskRow[];
  total: number;
  totalMonthlyValue: number;
  currency: string;
  timeZone: string;
}

interface OpenTask {
  id: string;
  subscriberId: string;
  title: string;
  status: string;
  dueAt: Date;
  snoozedUntil: Date | null;
  createdAt: Date;
}

/** The subscriber's task in hand: the newest not yet closed. */
async function openTasksFor(shop: string, subscriberIds: string[] | null): Promise<Map<string, OpenTask>> {
  const rows = await prisma.task.findMany({
    where: { shop, status: { in: ["open", "snoozed"] }, ...(subscriberIds ? { subscriberId: { in: subscriberIds } } : {}) },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      subscriberId: true,
      title: true,
      status: true,
      dueAt: true,
      snoozedUntil: true,
      createdAt: true,
    },
  });
  return new Map(rows.map((t) => [t.subscriberId, t]));
}

async function dismissalsIn(shop: string, week: WeekWindow): Promise<Map<string, { reason: string; at: Date }>> {
  const rows = await prisma.task.findMany({
    // Tasks that closed themselves (the subscriber cancelled or recovered) are not a dismissal.
    where: { shop, status: "done", closedAt: { gte: week.start, lt: week.end }, closeReason: { notIn: [...AUTO_CLOSE_REASONS] } },
    orderBy: { closedAt: "asc" },
    select: { subscriberId: true, closeReason: true, closedAt: true },
  });
  return new Map(rows.map((t) => [t.subscriberId, { reason: t.closeReason ?? "resolved", at: t.closedAt! }]));
}

export interface AtRiskQuery {
  /** A week's Monday (YYYY-MM-DD); the current week when absent or not a Monday. */
  week?: string | null;
  view?: AtRiskView;
  /** Every row instead of the first PAGE_LIMIT (the CSV). */
  all?: boolean;
}

const querySchema = z.object({
  week: z.string().optional().catch(undefined),
  view: z.enum(["review", "snoozed", "dismissed"]).optional().catch(undefined),
});

/** The list's query string; anything unrecognised falls back to the current week's review list. */
export function parseAtRiskQuery(params: URLSearchParams): AtRiskQuery {
  return querySchema.parse(Object.fromEntries(params));
}

export async function weeklyAtRisk(shop: string, query: AtRiskQuery, now = new Date()): Promise<AtRiskList> {
  const { timeZone, currency } = await shopWeekContext(shop);
  const current = currentWeek(now, timeZone);
  const weeks = await pickerWeeks(shop, current.key);
  const requested = query.week && isWeekKey(query.week) && query.week <= current.key ? query.week : current.key;
  const week = requested === current.key ? current : weekWindow(requested, timeZone);
  const isCurrent = week.key === current.key;
  const view: AtRiskView = isCurrent ? (query.view ?? "review") : "review";

  const [candidates, dismissals] = await Promise.all([candidatesFor(shop, week, isCurrent), dismissalsIn(shop, week)]);
  const tasks = isCurrent ? await openTasksFor(shop, null) : new Map<string, OpenTask>();

  const viewOf = (id: string): AtRiskView | null => {
    if (!isCurrent) return "review";
    const task = tasks.get(id);
    if (task?.status === "snoozed" && task.snoozedUntil && task.snoozedUntil > now) return "snoozed";
    if (!task && dismissals.has(id)) return "dismissed";
    return "review";
  };
  const counts: Record<AtRiskView, number> = { review: 0, snoozed: 0, dismissed: 0 };
  const inView: Candidate[] = [];
  for (const c of candidates.values()) {
    const v = viewOf(c.id)!;
    counts[v] += 1;
    if (v === view) inView.push(c);
  }
  inView.sort((a, b) => b.monthlyValue - a.monthlyValue || (a.score ?? 0) - (b.score ?? 0) || a.id.localeCompare(b.id));
  const shown = query.all ? inView : inView.slice(0, PAGE_LIMIT);
  const totalMonthlyValue = Math.round(inView.reduce((s, c) => s + c.monthlyValue, 0) * 100) / 100;

  const details = await subscriberDetailsFor(shop, shown.map((c) => c.id));
  const rows: AtRiskRow[] = shown.map((c, i) => {
    const s = details.get(c.id)!;
    const factors = parseFactors(s.health?.factors);
    const task = tasks.get(c.id);
    const dismissal = dismissals.get(c.id);
    const contacted = s.contactedAt;
    return {
      rank: i + 1,
      subscriberId: c.id,
      customerId: s.customerId,
      name: displayName(s),
      email: s.email,
      status: s.status,
      score: c.score,
      band: c.band,
      crossedFrom: c.crossedFrom,
      monthlyValue: c.monthlyValue,
      currency: s.currency ?? currency,
      reasons: riskReasons(factors),
      suggestion: suggestedPlay(factors),
      task: task
        ? {
            id: task.id,
            title: task.title,
            status: task.status,
            dueAt: task.dueAt.toISOString(),
            snoozedUntil: task.snoozedUntil?.toISOString() ?? null,
            overdue: isOverdue(task, now) && !(contacted && contacted >= task.createdAt),
          }
        : null,
      contactedAt: contacted?.toISOString() ?? null,
      dismissed:
        dismissal && !task
          ? { reason: dismissal.reason, label: closeReasonLabel(dismissal.reason), at: dismissal.at.toISOString() }
          : null,
      shopifyUrl: customerAdminUrl(shop, s.customerId),
    };
  });

  return {
    week: { key: week.key, start: week.start.toISOString(), end: week.end.toISOString() },
    currentWeekKey: current.key,
    isCurrentWeek: isCurrent,
    weeks,
    view,
    counts,
    rows,
    total: inView.length,
    totalMonthlyValue,
    currency,
    timeZone,
  };
}

async function subscriberDetailsFor(shop: string, ids: string[]) {
  const map = new Map<
    string,
    {
      customerId: string;
      email: string | null;
      firstName: string | null;
      lastName: string | null;
      displayName: string | null;
      status: string;
      currency: string | null;
      contactedAt: Date | null;
      health: { factors: string } | null;
    }
  >();
  // Chunks keep each query under SQLite's bound-parameter limit.
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await prisma.subscriber.findMany({
      where: { shop, id: { in: ids.slice(i, i + 500) } },
      select: {
        id: true,
        customerId: true,
        email: true,
        firstName: true,
        lastName: true,
        displayName: true,
        status: true,
        currency: true,
        contactedAt: true,
        health: { select: { factors: true } },
      },
    });
    for (const r of rows) map.set(r.id, r);
  }
  return map;
}
