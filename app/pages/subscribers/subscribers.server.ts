/**
 * Subscribers for the admin: the paginated, filtered list and one subscriber's full
 * picture. Every query is scoped by shop; an id from another shop is "not found".
 *
 * The list is built for stores with 100,000 subscribers: one SQL statement picks the
 * page's ids (filters, sort, LIMIT/OFFSET, on indexed joins), a second counts, and only
 * the page's PAGE_SIZE rows are then read in full.
 */
import { Prisma } from "@prisma/client";
import { z } from "zod";
import prisma from "../../db.server";
import type { HealthFactor } from "../../health/types";
import { currentWeek, shiftWeek } from "../../health/weeks.server";
import { triggersByKey } from "../../models/triggers.server";
import { customerAdminUrl, displayName, parseFactors, suggestedPlay, type Suggestion } from "../shared/subscriber-row";
import { shopWeekContext } from "../../models/shop.server";
import { isOverdue } from "../../models/tasks.server";
import {
  PAGE_SIZE,
  SUBSCRIBER_BANDS,
  SUBSCRIBER_SORTS,
  SUBSCRIBER_STATUSES,
  TENURES,
  VALUES,
  defaultDirection,
  type SortDirection,
  type SubscriberSort,
} from "./subscribers-options";

export { PAGE_SIZE, defaultDirection, type SubscriberSort } from "./subscribers-options";
const HISTORY_WEEKS = 26;
const TIMELINE_LIMIT = 100;

const optional = <T extends z.ZodTypeAny>(schema: T) => schema.optional().catch(undefined);

export const subscriberQuerySchema = z.object({
  band: optional(z.enum(SUBSCRIBER_BANDS)),
  tenure: optional(z.enum(TENURES)),
  value: optional(z.enum(VALUES)),
  status: optional(z.enum(SUBSCRIBER_STATUSES)),
  trigger: optional(z.string().trim().min(1).max(100)),
  q: optional(z.string().trim().min(1).max(200)),
  sort: z.enum(SUBSCRIBER_SORTS).catch("score").default("score"),
  direction: optional(z.enum(["asc", "desc"])),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
export type SubscriberQuery = z.infer<typeof subscriberQuerySchema>;

/** The query string of the list; anything unrecognised is dropped rather than refused. */
export function parseSubscriberQuery(params: URLSearchParams): SubscriberQuery {
  return subscriberQuerySchema.parse(Object.fromEntries(params));
}

export interface SubscriberListRow {
  id: string;
  customerId: string;
  name: string;
  email: string | null;
  status: string;
  score: number | null;
  band: string | null;
  segmentKey: string | null;
  /** Score now minus last week's weekly snapshot; null without one of them. */
  change: number | null;
  monthlyValue: number;
  currency: string;
  nextBillingAt: string | null;
}

export interface SubscriberList {
  rows: SubscriberListRow[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
  hasPrevious: boolean;
  hasNext: boolean;
  query: SubscriberQuery & { direction: SortDirection };
  triggers: { key: string; name: string }[];
  lastWeekKey: string;
  currency: string;
  timeZone: string;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function whereOf(shop: string, q: SubscriberQuery): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`s.shop = ${shop}`];
  if (q.band) conditions.push(Prisma.sql`h.band = ${q.band}`);
  if (q.tenure && q.value) conditions.push(Prisma.sql`h.segmentKey = ${`${q.tenure}:${q.value}`}`);
  else if (q.tenure) conditions.push(Prisma.sql`h.segmentKey LIKE ${`${q.tenure}:%`}`);
  else if (q.value) conditions.push(Prisma.sql`h.segmentKey LIKE ${`%:${q.value}`}`);
  if (q.status) conditions.push(Prisma.sql`s.status = ${q.status}`);
  if (q.trigger) {
    // Uses Firing(shop, triggerKey, firedAt): the trigger's firings, not every subscriber's.
    conditions.push(Prisma.sql`s.id IN (SELECT f.subscriberId FROM Firing f WHERE f.shop = ${shop} AND f.triggerKey = ${q.trigger})`);
  }
  if (q.q) {
    const like = `%${escapeLike(q.q)}%`;
    conditions.push(
      Prisma.sql`(s.email LIKE ${like} ESCAPE '\\' OR s.displayName LIKE ${like} ESCAPE '\\' OR (COALESCE(s.firstName, '') || ' ' || COALESCE(s.lastName, '')) LIKE ${like} ESCAPE '\\')`,
    );
  }
  return Prisma.join(conditions, " AND ");
}

function orderOf(sort: SubscriberSort, direction: SortDirection): Prisma.Sql {
  const dir = Prisma.raw(direction === "asc" ? "ASC" : "DESC");
  // Subscribers without a score (or without last week's) go last whichever the direction.
  if (sort === "value") return Prisma.sql`s.monthlyValue ${dir}, s.id ASC`;
  if (sort === "change") return Prisma.sql`(h.score - p.score) IS NULL, (h.score - p.score) ${dir}, s.id ASC`;
  return Prisma.sql`h.score IS NULL, h.score ${dir}, s.id ASC`;
}

export async function listSubscribers(shop: string, query: SubscriberQuery, now = new Date()): Promise<SubscriberList> {
  const { timeZone, currency } = await shopWeekContext(shop);
  const lastWeekKey = shiftWeek(currentWeek(now, timeZone).key, -1);
  const direction = query.direction ?? defaultDirection(query.sort);
  const where = whereOf(shop, query);
  const lastWeekJoin =
    query.sort === "change"
      ? Prisma.sql`LEFT JOIN HealthHistory p ON p.subscriberId = s.id AND p.kind = 'weekly' AND p.periodKey = ${lastWeekKey}`
      : Prisma.empty;
  const idsOfPage = async (page: number) => {
    const found = await prisma.$queryRaw<{ id: string }[]>`
      SELECT s.id AS id FROM Subscriber s
      LEFT JOIN HealthScore h ON h.subscriberId = s.id
      ${lastWeekJoin}
      WHERE ${where}
      ORDER BY ${orderOf(query.sort, direction)}
      LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE}`;
    return found.map((r) => r.id);
  };

  const [firstTry, counted, triggers] = await Promise.all([
    idsOfPage(query.page),
    prisma.$queryRaw<{ n: number | bigint }[]>`
      SELECT COUNT(*) AS n FROM Subscriber s
      LEFT JOIN HealthScore h ON h.subscriberId = s.id
      WHERE ${where}`,
    triggerOptions(shop),
  ]);
  const total = Number(counted[0]?.n ?? 0);
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  // A page past the end (an old link, a list that shrank) shows the last page rather than nothing.
  const page = Math.min(query.page, pageCount);
  const ids = page === query.page ? firstTry : await idsOfPage(page);
  const offset = (page - 1) * PAGE_SIZE;

  const [subscribers, lastWeek] = await Promise.all([
    prisma.subscriber.findMany({
      where: { shop, id: { in: ids } },
      select: {
        id: true,
        customerId: true,
        email: true,
        firstName: true,
        lastName: true,
        displayName: true,
        status: true,
        monthlyValue: true,
        currency: true,
        nextBillingAt: true,
        health: { select: { score: true, band: true, segmentKey: true } },
      },
    }),
    prisma.healthHistory.findMany({
      where: { shop, subscriberId: { in: ids }, kind: "weekly", periodKey: lastWeekKey },
      select: { subscriberId: true, score: true },
    }),
  ]);
  const byId = new Map(subscribers.map((s) => [s.id, s]));
  const previous = new Map(lastWeek.map((h) => [h.subscriberId, h.score]));
  const rows = ids.flatMap((id): SubscriberListRow[] => {
    const s = byId.get(id);
    if (!s) return [];
    const before = previous.get(id);
    return [
      {
        id,
        customerId: s.customerId,
        name: displayName(s),
        email: s.email,
        status: s.status,
        score: s.health?.score ?? null,
        band: s.health?.band ?? null,
        segmentKey: s.health?.segmentKey ?? null,
        change: s.health && before !== undefined ? s.health.score - before : null,
        monthlyValue: s.monthlyValue,
        currency: s.currency ?? currency,
        nextBillingAt: s.nextBillingAt?.toISOString() ?? null,
      },
    ];
  });

  return {
    rows,
    total,
    page,
    pageCount,
    pageSize: PAGE_SIZE,
    hasPrevious: page > 1,
    hasNext: offset + rows.length < total,
    query: { ...query, page, direction },
    triggers,
    lastWeekKey,
    currency,
    timeZone,
  };
}

/** The shop's triggers, for the "had a play from" filter. */
export async function triggerOptions(shop: string): Promise<{ key: string; name: string }[]> {
  const triggers = await triggersByKey(prisma, shop);
  return [...triggers.values()].map((t) => ({ key: t.id, name: t.name })).sort((a, b) => a.name.localeCompare(b.name));
}

// ---------------------------------------------------------------- one subscriber

export interface ContractLine {
  title: string;
  variantTitle: string | null;
  quantity: number;
  price: number;
}

export interface SubscriberDetail {
  subscriber: {
    id: string;
    customerId: string;
    name: string;
    email: string | null;
    status: string;
    firstSubscribedAt: string | null;
    monthlyValue: number;
    currency: string;
    nextBillingAt: string | null;
    card: { month: number; year: number; expiresBeforeNextBilling: boolean; expired: boolean } | null;
    redacted: boolean;
    shopifyUrl: string;
  };
  health: {
    score: number;
    band: string;
    segmentKey: string;
    computedAt: string;
    bandSince: string;
    factors: HealthFactor[];
    suggestion: Suggestion;
  } | null;
  history: { week: string; score: number; band: string }[];
  bandChanges: { at: string; from: string | null; to: string; score: number }[];
  events: { id: string; type: string; occurredAt: string; contractId: string | null; data: Record<string, unknown> }[];
  eventCount: number;
  firings: {
    id: string;
    triggerKey: string;
    triggerName: string;
    firedAt: string;
    holdout: boolean;
    reasons: string[];
    outcome: string | null;
    plays: { kind: string; metric: string | null; status: string; attempts: number; sentAt: string | null; lastError: string | null }[];
  }[];
  tasks: {
    id: string;
    title: string;
    suggestedAction: string;
    status: string;
    owner: string;
    priority: string;
    dueAt: string;
    overdue: boolean;
    snoozedUntil: string | null;
    closedAt: string | null;
    closeReason: string | null;
    note: string | null;
  }[];
  contracts: {
    contractId: string;
    status: string;
    monthlyValue: number | null;
    currency: string | null;
    billingInterval: string | null;
    billingIntervalCount: number | null;
    nextBillingAt: string | null;
    createdAt: string | null;
    lines: ContractLine[];
  }[];
  timeZone: string;
}

function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** Everything about one subscriber of this shop, or null when the id is not this shop's. */
export async function subscriberDetail(shop: string, id: string, now = new Date()): Promise<SubscriberDetail | null> {
  const s = await prisma.subscriber.findFirst({
    where: { id, shop },
    include: { health: true, contracts: { orderBy: { createdAtShopify: "asc" } } },
  });
  if (!s) return null;
  const { timeZone, currency } = await shopWeekContext(shop);
  const oldestWeek = shiftWeek(currentWeek(now, timeZone).key, -(HISTORY_WEEKS - 1));

  // The subscriber is this shop's (read above), so the rows below are found by subscriber
  // id alone: with the shop in the condition SQLite can pick a shop-wide index (the shop's
  // history by time, its events by source key) and read the whole store for one page.
  const [history, bandChanges, events, eventCount, firings, tasks, triggers] = await Promise.all([
    prisma.healthHistory.findMany({
      where: { subscriberId: id, kind: "weekly", periodKey: { gte: oldestWeek } },
      orderBy: { periodKey: "asc" },
      select: { periodKey: true, score: true, band: true },
    }),
    prisma.healthHistory.findMany({
      where: { subscriberId: id, kind: "band_change" },
      // A band change's key is its instant (ISO), so this order reads the subscriber's index backwards.
      orderBy: { periodKey: "desc" },
      take: 20,
      select: { at: true, fromBand: true, band: true, score: true },
    }),
    prisma.subscriberEvent.findMany({
      where: { subscriberId: id },
      orderBy: { occurredAt: "desc" },
      take: TIMELINE_LIMIT,
      select: { id: true, type: true, occurredAt: true, contractId: true, data: true },
    }),
    prisma.subscriberEvent.count({ where: { subscriberId: id } }),
    prisma.firing.findMany({
      where: { subscriberId: id },
      orderBy: { firedAt: "desc" },
      take: 50,
      include: { plays: { orderBy: { createdAt: "asc" } } },
    }),
    prisma.task.findMany({ where: { shop, subscriberId: id }, orderBy: { createdAt: "desc" }, take: 50 }),
    triggersByKey(prisma, shop),
  ]);

  const card = s.cardExpiryMonth && s.cardExpiryYear ? { month: s.cardExpiryMonth, year: s.cardExpiryYear } : null;
  // A card is good through the last day of its expiry month.
  const cardEnds = card ? Date.UTC(card.year, card.month, 1) : null;
  const factors = parseFactors(s.health?.factors);

  return {
    subscriber: {
      id: s.id,
      customerId: s.customerId,
      name: displayName(s),
      email: s.email,
      status: s.status,
      firstSubscribedAt: iso(s.firstSubscribedAt),
      monthlyValue: s.monthlyValue,
      currency: s.currency ?? currency,
      nextBillingAt: iso(s.nextBillingAt),
      card:
        card && cardEnds !== null
          ? {
              ...card,
              expired: cardEnds <= now.getTime(),
              expiresBeforeNextBilling: s.nextBillingAt ? cardEnds <= s.nextBillingAt.getTime() : false,
            }
          : null,
      redacted: s.redactedAt != null,
      shopifyUrl: customerAdminUrl(shop, s.customerId),
    },
    health: s.health
      ? {
          score: s.health.score,
          band: s.health.band,
          segmentKey: s.health.segmentKey,
          computedAt: s.health.computedAt.toISOString(),
          bandSince: s.health.bandSince.toISOString(),
          factors,
          suggestion: suggestedPlay(factors),
        }
      : null,
    history: history.map((h) => ({ week: h.periodKey, score: h.score, band: h.band })),
    bandChanges: bandChanges.map((b) => ({ at: b.at.toISOString(), from: b.fromBand, to: b.band, score: b.score })),
    events: events.map((e) => ({
      id: e.id,
      type: e.type,
      occurredAt: e.occurredAt.toISOString(),
      contractId: e.contractId,
      data: parseJson<Record<string, unknown>>(e.data, {}),
    })),
    eventCount,
    firings: firings.map((f) => ({
      id: f.id,
      triggerKey: f.triggerKey,
      triggerName: triggers.get(f.triggerKey)?.name ?? f.triggerKey,
      firedAt: f.firedAt.toISOString(),
      holdout: f.holdout,
      reasons: parseJson<string[]>(f.reasons, []),
      outcome: f.outcome,
      plays: f.plays.map((p) => ({
        kind: p.kind,
        metric: p.metric,
        status: p.status,
        attempts: p.attempts,
        sentAt: iso(p.sentAt),
        lastError: p.lastError,
      })),
    })),
    tasks: tasks.map((t) => ({
      id: t.id,
      title: t.title,
      suggestedAction: t.suggestedAction,
      status: t.status,
      owner: t.owner,
      priority: t.priority,
      dueAt: t.dueAt.toISOString(),
      overdue: isOverdue(t, now),
      snoozedUntil: iso(t.snoozedUntil),
      closedAt: iso(t.closedAt),
      closeReason: t.closeReason,
      note: t.note,
    })),
    contracts: s.contracts.map((c) => ({
      contractId: c.contractId,
      status: c.status,
      monthlyValue: c.monthlyValue,
      currency: c.currency,
      billingInterval: c.billingInterval,
      billingIntervalCount: c.billingIntervalCount,
      nextBillingAt: iso(c.nextBillingAt),
      createdAt: iso(c.createdAtShopify),
      lines: parseJson<ContractLine[]>(c.lines, []),
    })),
    timeZone,
  };
}
