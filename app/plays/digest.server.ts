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
import { atRiskWeek, topOfView } from "../health/at-risk-week.server";
import { DIGEST_DEFAULT_WEEKDAY, digestDecision } from "./digest-schedule";
import { buildDigestProperties, DIGEST_TOP, WEEKLY_DIGEST_METRIC, type DigestEventProperties } from "../playbook/metrics";

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
  // On unless the merchant switched it off: a shop that never opened Settings has no row and gets it too.
  const shops = await prisma.shop.findMany({ where: { uninstalledAt: null }, select: { shop: true, timezone: true, email: true } });
  if (shops.length === 0) return 0;
  const settings = new Map(
    (
      await prisma.shopSettings.findMany({
        where: { shop: { in: shops.map((s) => s.shop) } },
        select: { shop: true, digestEnabled: true, digestEmail: true, digestWeekday: true, digestHour: true },
      })
    ).map((s) => [s.shop, s]),
  );
  const on = shops.filter((s) => settings.get(s.shop)?.digestEnabled ?? true);
  const owners = await ownerEmails(on.filter((s) => !settings.get(s.shop)?.digestEmail?.trim() && !s.email).map((s) => s.shop));

  const due = [];
  for (const shop of on) {
    const s = settings.get(shop.shop);
    const recipient = digestRecipient(s?.digestEmail, shop.email, owners.get(shop.shop));
    const decision = digestDecision({
      shop: shop.shop,
      now,
      timeZone: shop.timezone ?? "UTC",
      enabled: true,
      recipient,
      weekday: s?.digestWeekday ?? DIGEST_DEFAULT_WEEKDAY,
      hour: s?.digestHour ?? undefined,
    });
    if (decision.due && recipient) due.push({ shop: shop.shop, recipient, decision });
  }
  // Already queued this week: nothing to build.
  const queued = await queuedKeys("digest", due.map((d) => d.decision.uniqueId));
  let count = 0;
  for (const { shop, recipient, decision } of due) {
    const key = decision.uniqueId;
    if (queued.has(key)) continue;
    // The list's "To review" tab, as home and the at-risk page count it.
    const list = await atRiskWeek(shop, now);
    const top = await topOfView(shop, list, "review", DIGEST_TOP);
    const payload: DigestJobPayload = {
      kind: "digest",
      metric: WEEKLY_DIGEST_METRIC.name,
      email: recipient,
      uniqueId: key,
      time: decision.scheduledAt.toISOString(),
      properties: buildDigestProperties(decision.weekKey, list.currency, { count: list.counts.review, totals: list.totals.review }, top),
    };
    await enqueue(prisma, { queue: "digest", key, shop, payload, runAt: now });
    count += 1;
  }
  if (count > 0) notifyWorkers("digest");
  return count;
}

/** Who receives the digest: the address chosen in Settings, else the store's email from Shopify, else the account owner's. */
export function digestRecipient(chosen: string | null | undefined, shopEmail: string | null | undefined, ownerEmail: string | null | undefined): string | null {
  return chosen?.trim() || shopEmail?.trim() || ownerEmail?.trim() || null;
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
