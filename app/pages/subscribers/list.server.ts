/**
 * The subscribers list: a saved view (Active, At risk, Paused, Cancelled, All), filtered,
 * searched and sorted, a page at a time. Every query is scoped by shop. list-query picks
 * the page's ids by indexes; only the page's rows are then read in full.
 */
import { z } from "zod";
import prisma from "../../db.server";
import { currentWeek, shiftWeek } from "../../health/weeks.server";
import { shopWeekContext } from "../../models/shop.server";
import { triggersByKey } from "../../models/triggers.server";
import { displayName } from "../shared/subscriber-row";
import { cancellationsOf, type Cancellation } from "./cancellations.server";
import { pageOfIds } from "./list-query.server";
import { subscriberNextBilling } from "./next-billing";
import {
  DEFAULT_VIEW,
  PAGE_SIZE,
  SUBSCRIBER_BANDS,
  SUBSCRIBER_SORTS,
  SUBSCRIBER_VIEWS,
  TENURES,
  VALUES,
  defaultDirection,
  type SortDirection,
} from "./subscribers-options";

const optional = <T extends z.ZodTypeAny>(schema: T) => schema.optional().catch(undefined);

export const subscriberQuerySchema = z.object({
  view: z.enum(SUBSCRIBER_VIEWS).catch(DEFAULT_VIEW).default(DEFAULT_VIEW),
  band: optional(z.enum(SUBSCRIBER_BANDS)),
  tenure: optional(z.enum(TENURES)),
  value: optional(z.enum(VALUES)),
  trigger: optional(z.string().trim().min(1).max(100)),
  q: optional(z.string().trim().min(1).max(200)),
  sort: z.enum(SUBSCRIBER_SORTS).catch("score").default("score"),
  direction: optional(z.enum(["asc", "desc"])),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
export type SubscriberQuery = z.infer<typeof subscriberQuerySchema>;

/** The query string of the list; anything unrecognised is dropped rather than refused. */
export function parseSubscriberQuery(params: URLSearchParams): SubscriberQuery {
  const raw = Object.fromEntries(params);
  // Links from before the saved views filtered by status: the view of that status.
  if (!raw.view && raw.status) raw.view = raw.status;
  return subscriberQuerySchema.parse(raw);
}

export interface SubscriberListRow {
  id: string;
  customerId: string;
  name: string;
  email: string | null;
  status: string;
  /** Null for an ended subscriber: they show as cancelled, never by a band. */
  score: number | null;
  band: string | null;
  segmentKey: string | null;
  /** Score now minus the snapshot of last week; null without a snapshot (or once ended). */
  change: number | null;
  monthlyValue: number;
  currency: string;
  /** The next billing after now; null when not scheduled (paused, cancelled) or not known. */
  nextBillingAt: string | null;
  cancellation: Cancellation | null;
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
  /** The store has subscribers at all (in any view). */
  anySubscriber: boolean;
  lastWeekKey: string;
  currency: string;
  timeZone: string;
}

export async function listSubscribers(shop: string, query: SubscriberQuery, now = new Date()): Promise<SubscriberList> {
  const { timeZone, currency } = await shopWeekContext(shop);
  const lastWeekKey = shiftWeek(currentWeek(now, timeZone).key, -1);
  const direction = query.direction ?? defaultDirection(query.sort);
  const filter = { ...query, direction };
  const idsAt = (page: number) => pageOfIds(shop, filter, (page - 1) * PAGE_SIZE, PAGE_SIZE, lastWeekKey);

  const [first, triggers, anyone] = await Promise.all([
    idsAt(query.page),
    triggerOptions(shop),
    prisma.subscriber.findFirst({ where: { shop }, select: { id: true } }),
  ]);
  const pageCount = Math.max(1, Math.ceil(first.total / PAGE_SIZE));
  // A page past the end (an old link, a list that shrank) shows the last page rather than nothing.
  const page = Math.min(query.page, pageCount);
  const { ids, total } = page === query.page ? first : await idsAt(page);
  const rows = await rowsOf(shop, ids, lastWeekKey, currency, now);
  const offset = (page - 1) * PAGE_SIZE;

  return {
    rows,
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    pageSize: PAGE_SIZE,
    hasPrevious: page > 1,
    hasNext: offset + rows.length < total,
    query: { ...query, page, direction },
    triggers,
    anySubscriber: anyone !== null,
    lastWeekKey,
    currency,
    timeZone,
  };
}

/** The page's rows in full, in the order of `ids`. */
async function rowsOf(shop: string, ids: string[], lastWeekKey: string, currency: string, now: Date): Promise<SubscriberListRow[]> {
  if (ids.length === 0) return [];
  const [subscribers, lastWeek, contracts] = await Promise.all([
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
        health: { select: { score: true, band: true, segmentKey: true, live: true } },
      },
    }),
    // The unique (subscriberId, kind, periodKey): one row per subscriber of the page.
    prisma.healthHistory.findMany({
      where: { subscriberId: { in: ids }, kind: "weekly", periodKey: lastWeekKey },
      select: { subscriberId: true, score: true },
    }),
    prisma.contract.findMany({
      where: { subscriberId: { in: ids } },
      select: { subscriberId: true, status: true, statusAt: true, billingInterval: true, billingIntervalCount: true, nextBillingAt: true },
    }),
  ]);
  const ended = subscribers.filter((s) => s.status === "cancelled").map((s) => s.id);
  const cancellations = await cancellationsOf(ended, contracts);
  const byId = new Map(subscribers.map((s) => [s.id, s]));
  const previous = new Map(lastWeek.map((h) => [h.subscriberId, h.score]));
  return ids.flatMap((id): SubscriberListRow[] => {
    const s = byId.get(id);
    if (!s) return [];
    const cancellation = cancellations.get(id) ?? null;
    // A score stored as the subscriber ended (0, critical) is not shown: they show as cancelled.
    const live = s.status !== "cancelled" && s.health?.live !== false ? s.health : null;
    const before = previous.get(id);
    const next = subscriberNextBilling(
      s.status,
      s.nextBillingAt,
      contracts.filter((c) => c.subscriberId === id),
      now,
    );
    return [
      {
        id,
        customerId: s.customerId,
        name: displayName(s),
        email: s.email,
        status: s.status,
        score: live?.score ?? null,
        band: live?.band ?? null,
        segmentKey: live?.segmentKey ?? null,
        change: live && before !== undefined ? live.score - before : null,
        monthlyValue: s.monthlyValue,
        currency: s.currency ?? currency,
        nextBillingAt: next?.toISOString() ?? null,
        cancellation,
      },
    ];
  });
}

/** The shop's triggers, for the "had a play from" filter. */
export async function triggerOptions(shop: string): Promise<{ key: string; name: string }[]> {
  const triggers = await triggersByKey(prisma, shop);
  return [...triggers.values()].map((t) => ({ key: t.id, name: t.name })).sort((a, b) => a.name.localeCompare(b.name));
}
