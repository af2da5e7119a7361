/**
 * What the merchant reads about each source: when its last event arrived, which deliveries
 * failed or wait, how its connection and import stand. All of it is read from the inbox and
 * the connection row when asked; the intake path writes nothing extra for it.
 *
 * Inbox rows rise in id as they arrive (receivedAt is the time of the write), and the
 * (shop, topic) index holds each row's id, so "the newest row of these topics" and "rows
 * since id N" are read from the index alone instead of from every row the shop ever received.
 */
import prisma from "../db.server";
import { sourceConnectionStatus, type SourceConnectionStatus } from "../models/source-connection.server";
import type { SourceDefinition } from "./definition";
import { allSources } from "./registry.server";

export interface TopicRange {
  gte: string;
  lt: string;
}

/** A source's inbox topics ("<id>:<vendor topic>") all sort between "<id>:" and "<id>;", since ";" follows ":". */
export function sourceTopicRange(sourceId: string): TopicRange {
  return { gte: `${sourceId}:`, lt: `${sourceId};` };
}

/** Shopify's own subscription topics (subscription_contracts/*, subscription_billing_attempts/*, ...): "`" follows "_". */
export const SHOPIFY_SUBSCRIPTION_TOPICS: TopicRange = { gte: "subscription_", lt: "subscription`" };

export interface SourceActivity {
  lastEventAt: Date | null;
  /** Deliveries not processed whose last attempt failed (retrying or given up). */
  failed: number;
  /** Deliveries not processed yet, with no failure. */
  waiting: number;
}

export interface SourceStatus extends SourceActivity {
  source: string;
  /** Null for a source with nothing to connect (Flow signs with the app's own secret). */
  connection: SourceConnectionStatus | null;
}

/** The newest delivery's id among these topics, 0 for none: read from the index alone, one range at a time (an OR of ranges is not). */
async function newestIdIn(shop: string, range: TopicRange): Promise<number> {
  const newest = await prisma.webhookDelivery.aggregate({ where: { shop, topic: range }, _max: { id: true } });
  return newest._max.id ?? 0;
}

async function receivedAtOf(id: number): Promise<Date | null> {
  if (id === 0) return null;
  const row = await prisma.webhookDelivery.findUnique({ where: { id }, select: { receivedAt: true } });
  return row?.receivedAt ?? null;
}

/** When the source's newest delivery arrived. */
export async function lastEventOf(shop: string, sourceId: string): Promise<Date | null> {
  return receivedAtOf(await newestIdIn(shop, sourceTopicRange(sourceId)));
}

/**
 * Unprocessed deliveries per source, failed or waiting. A delivery is unprocessed exactly while
 * its inbox job is unfinished, and the shop's unfinished jobs are few and indexed by status,
 * so they are read from there rather than by walking every delivery of the source. (The unary
 * "+" keeps SQLite from walking the queue's index, which holds every webhook job ever done.)
 */
async function unprocessedBySource(shop: string): Promise<Map<string, { failed: number; waiting: number }>> {
  const rows = await prisma.$queryRaw<{ source: string; failed: number | bigint; waiting: number | bigint }[]>`
    SELECT substr(d.topic, 1, instr(d.topic, ':') - 1) AS source,
           SUM(d.error IS NOT NULL) AS failed, SUM(d.error IS NULL) AS waiting
    FROM "Job" j
    JOIN "WebhookDelivery" d ON d.shop = j.shop AND d.deliveryKey = substr(j.key, length(j.shop) + 2)
    WHERE j.shop = ${shop} AND j.status IN ('pending', 'running', 'dead') AND +j.queue = 'webhook'
      AND d.processedAt IS NULL AND instr(d.topic, ':') > 0
    GROUP BY 1`;
  return new Map(rows.map((r) => [r.source, { failed: Number(r.failed), waiting: Number(r.waiting) }]));
}

/** Each source's status line: activity from the inbox, and the connection (credentials never included). */
export async function sourceStatuses(shop: string, sources: readonly SourceDefinition[] = allSources()): Promise<SourceStatus[]> {
  const [unprocessed, lasts, connections] = await Promise.all([
    unprocessedBySource(shop),
    Promise.all(sources.map((s) => lastEventOf(shop, s.id))),
    Promise.all(sources.map((s) => (s.credentialFields.length > 0 ? sourceConnectionStatus(shop, s.id) : null))),
  ]);
  return sources.map((s, i) => ({
    source: s.id,
    lastEventAt: lasts[i],
    failed: unprocessed.get(s.id)?.failed ?? 0,
    waiting: unprocessed.get(s.id)?.waiting ?? 0,
    connection: connections[i],
  }));
}

/**
 * The first inbox id received at or after `since`, by halving over ids (receivedAt rises with
 * id): about 25 lookups by primary key, where a scan would read every row of the shop.
 */
async function firstIdSince(since: Date): Promise<number | null> {
  const at = (id: number) => prisma.webhookDelivery.findFirst({ where: { id: { gte: id } }, orderBy: { id: "asc" }, select: { receivedAt: true } });
  const newest = await prisma.webhookDelivery.findFirst({ orderBy: { id: "desc" }, select: { id: true, receivedAt: true } });
  if (!newest || newest.receivedAt < since) return null;
  // The first row at or after `lo` arrived before `since` (or lo is 0); the first at or after `hi` did not.
  let lo = 0;
  let hi = newest.id;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const row = await at(mid);
    if (row && row.receivedAt >= since) hi = mid;
    else lo = mid;
  }
  return hi;
}

export interface RecentEvents {
  /** Subscription deliveries received since `since`: every source's and Shopify's subscription webhooks. */
  count: number;
  since: Date;
  /** When the newest one arrived, ever. */
  lastAt: Date | null;
}

/** Whether subscription events are reaching Lifeline at all: the home page says so plainly when none came in a day. */
export async function recentSubscriptionEvents(
  shop: string,
  now: Date = new Date(),
  sources: readonly SourceDefinition[] = allSources(),
  windowMs = 24 * 3_600_000,
): Promise<RecentEvents> {
  const since = new Date(now.getTime() - windowMs);
  const ranges = [SHOPIFY_SUBSCRIPTION_TOPICS, ...sources.map((s) => sourceTopicRange(s.id))];
  const [newest, from] = await Promise.all([Promise.all(ranges.map((r) => newestIdIn(shop, r))), firstIdSince(since)]);
  // Only ranges with a row since `from` are counted; a quiet range costs no second pass.
  const live = from === null ? [] : ranges.filter((_, i) => newest[i] >= from);
  const count = live.length === 0 ? 0 : await prisma.webhookDelivery.count({ where: { shop, id: { gte: from! }, receivedAt: { gte: since }, OR: live.map((topic) => ({ topic })) } });
  return { count, since, lastAt: await receivedAtOf(Math.max(0, ...newest)) };
}
