/**
 * The weekly at-risk list: the subscribers a store owner should look at this Monday,
 * ranked by the monthly revenue that leaves with them, in four views (to review,
 * snoozed, dismissed, recovered). Everything is scoped by shop. Who is on a week's list,
 * and in which view, is the one definition in health/at-risk-week.ts (home, the digest
 * and the customer block use it too); what the merchant does from it, in row-actions.server.ts.
 */
import { z } from "zod";
import prisma from "../../db.server";
import { isOverdue } from "../../models/tasks.server";
import type { Band } from "../../playbook/types";
import { isWeekKey, type WeekWindow } from "../../health/weeks.server";
import { atRiskWeek } from "../../health/at-risk-week.server";
import type { MoneyByCurrency } from "../../health/at-risk-week";
import { customerAdminUrl, displayName, parseFactors, riskReasons, suggestedPlay, type Suggestion } from "../shared/subscriber-row";
import { AT_RISK_VIEWS, PAGE_LIMIT, type AtRiskView } from "./at-risk-options";
import { AUTO_CLOSE_REASONS } from "../../playbook/tasks";
import { closeReasonLabel } from "../shared/close-reasons";
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
  /** The view's monthly value, by currency (never added across currencies). */
  totals: MoneyByCurrency;
  /** The shop's currency: shown first. */
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
async function openTasksFor(shop: string, subscriberIds: string[]): Promise<Map<string, OpenTask>> {
  if (subscriberIds.length === 0) return new Map();
  const rows = await prisma.task.findMany({
    where: { shop, status: { in: ["open", "snoozed"] }, subscriberId: { in: subscriberIds } },
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

async function dismissalsIn(shop: string, week: WeekWindow, subscriberIds: string[]): Promise<Map<string, { reason: string; at: Date }>> {
  if (subscriberIds.length === 0) return new Map();
  const rows = await prisma.task.findMany({
    // Tasks that closed themselves (the subscriber cancelled or recovered) are not a dismissal.
    where: {
      shop,
      status: "done",
      closedAt: { gte: week.start, lt: week.end },
      subscriberId: { in: subscriberIds },
      closeReason: { notIn: [...AUTO_CLOSE_REASONS] },
    },
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
  view: z.enum(AT_RISK_VIEWS as [AtRiskView, ...AtRiskView[]]).optional().catch(undefined),
});

/** The list's query string; anything unrecognised falls back to the current week's review list. */
export function parseAtRiskQuery(params: URLSearchParams): AtRiskQuery {
  return querySchema.parse(Object.fromEntries(params));
}

export async function weeklyAtRisk(shop: string, query: AtRiskQuery, now = new Date()): Promise<AtRiskList> {
  const requested = query.week && isWeekKey(query.week) ? query.week : undefined;
  const list = await atRiskWeek(shop, now, requested);
  const { week, isCurrent, timeZone, currency } = list;
  const weeks = await pickerWeeks(shop, list.currentWeekKey);
  const view: AtRiskView = isCurrent ? (query.view ?? "review") : "review";

  const inView = list.members.filter((m) => m.view === view);
  const shown = query.all ? inView : inView.slice(0, PAGE_LIMIT);
  const ids = shown.map((c) => c.subscriberId);
  const [tasks, dismissals] = isCurrent ? await Promise.all([openTasksFor(shop, ids), dismissalsIn(shop, week, ids)]) : [new Map<string, OpenTask>(), new Map()];

  const details = await subscriberDetailsFor(shop, ids);
  const rows: AtRiskRow[] = shown.map((c, i) => {
    const s = details.get(c.subscriberId)!;
    const factors = parseFactors(s.health?.factors);
    const task = tasks.get(c.subscriberId);
    const dismissal = dismissals.get(c.subscriberId);
    const contacted = s.contactedAt;
    return {
      rank: i + 1,
      subscriberId: c.subscriberId,
      customerId: s.customerId,
      name: displayName(s),
      email: s.email,
      status: s.status,
      score: c.score,
      band: c.band,
      crossedFrom: c.crossedFrom,
      monthlyValue: c.monthlyValue,
      currency: c.currency,
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
    currentWeekKey: list.currentWeekKey,
    isCurrentWeek: isCurrent,
    weeks,
    view,
    counts: list.counts,
    rows,
    total: inView.length,
    totals: list.totals[view],
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
