/**
 * The weekly at-risk list: the subscribers a store owner should look at this Monday,
 * ranked by the monthly revenue that leaves with them. Everything is scoped by shop.
 *
 * Who is on a week's list: subscribers whose score is at risk or critical (for a past
 * week: whose weekly snapshot was), plus anyone who crossed into those bands during the
 * week, even if they have since recovered. Cancelled subscribers are left off the
 * current week: there is no one left to save, and the win-back play handles them.
 *
 * What the merchant does from the list is kept as tasks: contacting, snoozing and
 * dismissing act on the subscriber's open task (the playbook's, when there is one), or
 * on a review task created for the purpose, so the task inbox shows the same history.
 */
import { z } from "zod";
import prisma from "../../db.server";
import type { CloseReason } from "../../playbook/tasks";
import { AT_RISK_BANDS, DISMISS_REASONS, PAGE_LIMIT, PICKER_WEEKS, SNOOZE_DAYS, AT_RISK_VIEWS, type AtRiskView } from "./at-risk-options";

export { AT_RISK_BANDS, AT_RISK_VIEWS, DISMISS_REASONS, PAGE_LIMIT, PICKER_WEEKS, SNOOZE_DAYS, type AtRiskView } from "./at-risk-options";
import { BAND_RANK, type Band } from "../../playbook/types";
import type { HealthFactor } from "../../health/types";
import { currentWeek, isWeekKey, shiftWeek, weekWindow, type WeekWindow } from "../../health/weeks.server";
import { closeTask, isOverdue, markContacted, snoozeTask, type TaskResult } from "../../models/tasks.server";

const DAY_MS = 86_400_000;
const REVIEW_TASK_TITLE = "At-risk review";

// ---------------------------------------------------------------- suggested play

export interface Suggestion {
  /** What to do, in a few words. */
  label: string;
  /** Why, for the merchant reading the row. */
  detail: string;
}

const SUGGESTIONS: Partial<Record<HealthFactor["signal"], Suggestion>> = {
  consecutiveSkips: { label: "Offer a frequency change", detail: "They keep skipping: offer a longer interval or a different product." },
  skipRate: { label: "Offer a frequency change", detail: "They skip often: a slower rhythm may suit them better." },
  hardDecline: { label: "Ask them to update their card", detail: "The bank refused the card; retries will not fix it." },
  softDecline: { label: "Reassure them about the payment", detail: "The retry usually works; let them know nothing is lost." },
  otherFailure: { label: "Fix the billing problem", detail: "Billing failed for a reason on the store's side (stock, address, tax)." },
  cardExpiring: { label: "Ask them to update their card", detail: "The card expires before the next billing." },
  paused: { label: "Invite them to resume", detail: "A paused subscription drifts towards cancelling; offer a reason to come back." },
  downgrade: { label: "Ask what changed", detail: "They downgraded: a better-fitting plan can keep them." },
  tickets: { label: "Follow up on their support ticket", detail: "Make sure the problem they reported is solved." },
  firstCycleTicket: { label: "Apologise and make it right", detail: "A problem in the first box: reply personally and offer a make-good." },
  tenure: { label: "Check in on their first boxes", detail: "New subscribers cancel most; make sure the first box landed well." },
  cancelled: { label: "Start the win-back", detail: "They cancelled: ask why and offer a way back." },
};

const FALLBACK: Suggestion = { label: "Reach out before the next billing", detail: "Review their timeline and get in touch." };

/** The play for a subscriber, from their strongest risk factor. */
export function suggestedPlay(factors: readonly Pick<HealthFactor, "signal" | "points">[]): Suggestion {
  const strongest = [...factors].filter((f) => f.points < 0).sort((a, b) => a.points - b.points)[0];
  return (strongest && SUGGESTIONS[strongest.signal]) || FALLBACK;
}

export function parseFactors(json: string | null | undefined): HealthFactor[] {
  if (!json) return [];
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as HealthFactor[]) : [];
  } catch {
    return [];
  }
}

/** The top risk reasons, in plain words. */
export function riskReasons(factors: readonly HealthFactor[], count = 3): string[] {
  return factors
    .filter((f) => f.points < 0)
    .sort((a, b) => a.points - b.points)
    .slice(0, count)
    .map((f) => f.text);
}

/** Shopify admin's page for a customer. */
export function customerAdminUrl(shop: string, customerId: string): string {
  return `https://admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}/customers/${customerId}`;
}

// ---------------------------------------------------------------- the list

export interface AtRiskTask {
  id: string;
  title: string;
  status: string;
  dueAt: string;
  snoozedUntil: string | null;
  overdue: boolean;
  /** When someone marked the subscriber contacted, if they did. */
  contactedAt: string | null;
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

interface Candidate {
  id: string;
  monthlyValue: number;
  score: number | null;
  band: Band | null;
  crossedFrom: Band | null;
}

interface OpenTask {
  id: string;
  subscriberId: string;
  title: string;
  status: string;
  dueAt: Date;
  snoozedUntil: Date | null;
  note: string | null;
}

// Task has no "contacted" column: the contact is kept as the first line of the task's note.
const CONTACTED_LINE = /^Contacted (\d{4}-\d{2}-\d{2}T[\d:.]+Z)/;

export function contactedAt(note: string | null): string | null {
  for (const line of (note ?? "").split("\n")) {
    const m = CONTACTED_LINE.exec(line);
    if (m) return m[1];
  }
  return null;
}

export async function shopWeekContext(shop: string): Promise<{ timeZone: string; currency: string }> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { timezone: true, currency: true } });
  return { timeZone: row?.timezone ?? "UTC", currency: row?.currency ?? "USD" };
}

/** Weeks with history to show, newest first: the current week and past weeks with weekly snapshots. */
async function pickerWeeks(shop: string, current: string): Promise<string[]> {
  const oldest = shiftWeek(current, -(PICKER_WEEKS - 1));
  // The daily rescore snapshots every week while installed: the weeks with a list are
  // those from the first snapshot on (one indexed read, not a scan of every snapshot).
  const first = await prisma.healthHistory.findFirst({
    where: { shop, kind: "weekly", periodKey: { gte: oldest, lt: current } },
    orderBy: { periodKey: "asc" },
    select: { periodKey: true },
  });
  const weeks = [current];
  if (first) for (let k = shiftWeek(current, -1); k >= first.periodKey; k = shiftWeek(k, -1)) weeks.push(k);
  return weeks;
}

async function candidatesFor(shop: string, week: WeekWindow, isCurrent: boolean): Promise<Map<string, Candidate>> {
  const bands = [...AT_RISK_BANDS];
  const candidates = new Map<string, Candidate>();
  if (isCurrent) {
    const rows = await prisma.$queryRaw<{ id: string; monthlyValue: number; score: number; band: Band }[]>`
      SELECT s.id AS id, s.monthlyValue AS monthlyValue, h.score AS score, h.band AS band
      FROM HealthScore h JOIN Subscriber s ON s.id = h.subscriberId
      WHERE h.shop = ${shop} AND h.live = true AND h.band IN ('at_risk', 'critical')`;
    for (const r of rows) candidates.set(r.id, { id: r.id, monthlyValue: Number(r.monthlyValue), score: Number(r.score), band: r.band, crossedFrom: null });
  } else {
    const rows = await prisma.$queryRaw<{ id: string; monthlyValue: number; score: number; band: Band }[]>`
      SELECT s.id AS id, s.monthlyValue AS monthlyValue, w.score AS score, w.band AS band
      FROM HealthHistory w JOIN Subscriber s ON s.id = w.subscriberId
      WHERE w.shop = ${shop} AND w.kind = 'weekly' AND w.periodKey = ${week.key} AND w.live = true AND w.band IN ('at_risk', 'critical')`;
    for (const r of rows) candidates.set(r.id, { id: r.id, monthlyValue: Number(r.monthlyValue), score: Number(r.score), band: r.band, crossedFrom: null });
  }

  const crossings = await prisma.healthHistory.findMany({
    // A cancellation is counted as cancelled, never as a crossing into critical.
    where: { shop, kind: "band_change", live: true, at: { gte: week.start, lt: week.end }, band: { in: bands } },
    orderBy: { at: "asc" },
    select: { subscriberId: true, band: true, fromBand: true, score: true },
  });
  const worse = crossings.filter((c) => BAND_RANK[c.band as Band] > BAND_RANK[(c.fromBand ?? "healthy") as Band]);
  const missing = [...new Set(worse.map((c) => c.subscriberId).filter((id) => !candidates.has(id)))];
  const extra = missing.length
    ? await prisma.subscriber.findMany({
        where: { shop, id: { in: missing }, ...(isCurrent ? { status: { not: "cancelled" } } : {}) },
        select: { id: true, monthlyValue: true, health: { select: { score: true, band: true } } },
      })
    : [];
  for (const s of extra) {
    const last = worse.filter((c) => c.subscriberId === s.id).at(-1)!;
    const now = isCurrent ? s.health : null;
    candidates.set(s.id, {
      id: s.id,
      monthlyValue: s.monthlyValue,
      score: now?.score ?? last.score,
      band: (now?.band ?? last.band) as Band,
      crossedFrom: null,
    });
  }
  for (const c of worse) {
    const candidate = candidates.get(c.subscriberId);
    // The first crossing of the week says where they came from.
    if (candidate && candidate.crossedFrom === null) candidate.crossedFrom = (c.fromBand ?? "healthy") as Band;
  }
  return candidates;
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
      note: true,
    },
  });
  return new Map(rows.map((t) => [t.subscriberId, t]));
}

async function dismissalsIn(shop: string, week: WeekWindow): Promise<Map<string, { reason: string; at: Date }>> {
  const rows = await prisma.task.findMany({
    where: { shop, status: "done", closedAt: { gte: week.start, lt: week.end } },
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
            overdue: isOverdue(task, now),
            contactedAt: contactedAt(task.note),
          }
        : null,
      dismissed:
        dismissal && !task
          ? { reason: dismissal.reason, label: dismissReasonLabel(dismissal.reason), at: dismissal.at.toISOString() }
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

export function dismissReasonLabel(reason: string): string {
  return DISMISS_REASONS.find((r) => r.value === reason)?.label ?? reason.replace(/_/g, " ");
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
        health: { select: { factors: true } },
      },
    });
    for (const r of rows) map.set(r.id, r);
  }
  return map;
}

export function displayName(s: { displayName: string | null; firstName: string | null; lastName: string | null; email: string | null }): string {
  const full = [s.firstName, s.lastName].filter(Boolean).join(" ");
  return s.displayName || full || s.email || "Unnamed subscriber";
}

// ---------------------------------------------------------------- actions

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

/** Takes the subscriber off this week's list by closing their task with the reason. */
export async function dismissSubscriber(
  shop: string,
  subscriberId: string,
  input: { reason: string; note?: string | null },
  now = new Date(),
): Promise<ActionResult> {
  const taskId = await taskInHand(shop, subscriberId, now);
  if (!taskId) return notFound;
  return fromTask(await closeTask(shop, taskId, { reason: input.reason, note: input.note ?? undefined }, now), "Dismissed for this week.");
}

// ---------------------------------------------------------------- CSV

export const CSV_COLUMNS = [
  "Rank",
  "Name",
  "Email",
  "Customer ID",
  "Score",
  "Band",
  "New this week",
  "Monthly value",
  "Currency",
  "Reasons",
  "Suggested play",
  "Open task",
  "Task due",
  "Contacted",
  "Shopify customer page",
] as const;

/** A cell as spreadsheets read it; text that would start a formula is quoted as text. */
function cell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function atRiskCsv(rows: readonly AtRiskRow[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const r of rows) {
    lines.push(
      [
        r.rank,
        r.name,
        r.email,
        r.customerId,
        r.score,
        r.band,
        r.crossedFrom ? "yes" : "no",
        r.monthlyValue.toFixed(2),
        r.currency,
        r.reasons.join("; "),
        r.suggestion.label,
        r.task ? r.task.title : null,
        r.task ? r.task.dueAt : null,
        r.task?.contactedAt ?? null,
        r.shopifyUrl,
      ]
        .map(cell)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
