/**
 * The weekly at-risk digest: on every worker pass, each installed shop whose digest is
 * due (digest-schedule.ts) gets one job on the "digest" queue, keyed digest:<shop>:<week>.
 * The job is the digest's outbox row (a digest belongs to no playbook firing, so it has no
 * PlayDelivery): unique by that key, so it is queued once a week however many passes
 * see it due; its payload is the list as it stood when it was due; the plays worker
 * delivers it (deliver-digest.server.ts) with the plays' retries and rate limits, and a
 * digest that keeps failing is listed on the home page with the other failed jobs, ready to replay.
 */
import prisma from "../db.server";
import { logger } from "../log.server";
import { describeError } from "../queue/errors";
import { enqueue, notifyWorkers, queuedKeys } from "../queue/jobs.server";
import { weeklyAtRisk } from "../pages/at-risk/week-list.server";
import { DIGEST_DEFAULT_WEEKDAY, digestDecision } from "./digest-schedule";
import { buildDigestProperties, WEEKLY_DIGEST_METRIC, type DigestEventProperties } from "../playbook/metrics";

export interface DigestJobPayload {
  kind: "digest";
  metric: string;
  email: string;
  uniqueId: string;
  /** When it was due; the event's time in Klaviyo. */
  time: string;
  properties: DigestEventProperties;
}

/**
 * Queues every due digest not queued yet this week. Returns how many were queued.
 * Cheap when nothing is due (a few small reads, no list is built), so the worker runs it
 * on every pass.
 */
export async function queueDueDigests(now: Date): Promise<number> {
  const settings = await prisma.shopSettings.findMany({
    where: { digestEnabled: true },
    select: { shop: true, digestEmail: true, digestWeekday: true, digestHour: true },
  });
  if (settings.length === 0) return 0;
  const shops = await prisma.shop.findMany({ where: { shop: { in: settings.map((s) => s.shop) }, uninstalledAt: null }, select: { shop: true, timezone: true } });
  const timeZones = new Map(shops.map((s) => [s.shop, s.timezone ?? "UTC"]));
  const owners = await ownerEmails(settings.filter((s) => timeZones.has(s.shop) && !s.digestEmail?.trim()).map((s) => s.shop));

  const due = [];
  for (const s of settings) {
    const timeZone = timeZones.get(s.shop);
    if (timeZone === undefined) continue;
    // The settings' digest address, else the store owner's email as Shopify gave it with a staff session.
    const recipient = s.digestEmail?.trim() || owners.get(s.shop) || null;
    const decision = digestDecision({ shop: s.shop, now, timeZone, enabled: true, recipient, weekday: s.digestWeekday ?? DIGEST_DEFAULT_WEEKDAY, hour: s.digestHour });
    if (decision.due && recipient) due.push({ shop: s.shop, recipient, decision });
  }
  // Already queued this week: nothing to build.
  const queued = await queuedKeys("digest", due.map((d) => d.decision.uniqueId));
  let count = 0;
  for (const { shop, recipient, decision } of due) {
    const key = decision.uniqueId;
    if (queued.has(key)) continue;
    const list = await weeklyAtRisk(shop, { all: true }, now);
    const payload: DigestJobPayload = {
      kind: "digest",
      metric: WEEKLY_DIGEST_METRIC.name,
      email: recipient,
      uniqueId: key,
      time: decision.scheduledAt.toISOString(),
      properties: buildDigestProperties(decision.weekKey, list.currency, list.rows),
    };
    await enqueue(prisma, { queue: "digest", key, shop, payload, runAt: now });
    count += 1;
  }
  if (count > 0) notifyWorkers("digest");
  return count;
}

/** The store owners' emails, as Shopify gave them with a staff session, by shop. */
async function ownerEmails(shops: string[]): Promise<Map<string, string>> {
  if (shops.length === 0) return new Map();
  const sessions = await prisma.session.findMany({
    where: { shop: { in: shops }, accountOwner: true, email: { not: null } },
    select: { shop: true, email: true },
    orderBy: { id: "asc" },
  });
  const byShop = new Map<string, string>();
  for (const s of sessions) if (s.email && !byShop.has(s.shop)) byShop.set(s.shop, s.email);
  return byShop;
}

/** The worker's weekly-digest check, after each batch: never in the way of scoring if it fails. */
export async function digestPass(now: Date): Promise<number> {
  try {
    return await queueDueDigests(now);
  } catch (error) {
    logger.error({ queue: "digest", error: describeError(error) }, "weekly digest check failed");
    return 0;
  }
}
