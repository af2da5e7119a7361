/**
 * The weekly at-risk digest: once per worker pass, each installed shop whose digest is
 * due (digest-schedule.ts) gets one job on the plays queue, keyed digest:<shop>:<week>.
 * The job is the digest's outbox row (a digest belongs to no playbook firing, so it has no
 * PlayDelivery): unique by that key, so it is queued once a week however many passes
 * see it due; its payload is the list as it stood when it was due; the plays worker
 * delivers it with the plays' retries and rate limits, and a digest that keeps failing
 * is listed on the home page with the other failed jobs, ready to replay.
 */
import prisma from "../db.server";
import { runtime } from "../queue/runtime.server";
import { weeklyAtRisk } from "../models/at-risk.server";
import { DIGEST_DEFAULT_WEEKDAY, digestDecision } from "./digest-schedule";
import { buildDigestProperties, WEEKLY_DIGEST_METRIC, type DigestEventProperties } from "./metrics";

export interface DigestJobPayload {
  kind: "digest";
  metric: string;
  email: string;
  uniqueId: string;
  /** When it was due; the event's time in Klaviyo. */
  time: string;
  properties: DigestEventProperties;
}

/** The settings' digest address, else the store owner's email as Shopify gave it with a staff session. */
async function digestRecipient(shop: string, digestEmail: string | null | undefined): Promise<string | null> {
  if (digestEmail?.trim()) return digestEmail.trim();
  const owner = await prisma.session.findFirst({ where: { shop, accountOwner: true, email: { not: null } }, select: { email: true } });
  return owner?.email ?? null;
}

/** Queues every due digest not queued yet this week. Returns how many were queued. */
export async function queueDueDigests(now: Date): Promise<number> {
  const shops = await prisma.shop.findMany({ where: { uninstalledAt: null }, select: { shop: true, timezone: true } });
  const settings = await prisma.shopSettings.findMany({
    where: { shop: { in: shops.map((s) => s.shop) }, digestEnabled: true },
    select: { shop: true, digestEmail: true, digestWeekday: true, digestHour: true },
  });
  let queued = 0;
  for (const s of settings) {
    const timeZone = shops.find((x) => x.shop === s.shop)?.timezone ?? "UTC";
    const recipient = await digestRecipient(s.shop, s.digestEmail);
    const decision = digestDecision({ shop: s.shop, now, timeZone, enabled: true, recipient, weekday: s.digestWeekday ?? DIGEST_DEFAULT_WEEKDAY, hour: s.digestHour });
    if (!decision.due || !recipient) continue;
    const key = decision.uniqueId;
    // Already queued this week: nothing to build.
    if (await prisma.job.findUnique({ where: { queue_key: { queue: "play", key } }, select: { id: true } })) continue;
    const list = await weeklyAtRisk(s.shop, { all: true }, now);
    const payload: DigestJobPayload = {
      kind: "digest",
      metric: WEEKLY_DIGEST_METRIC.name,
      email: recipient,
      uniqueId: key,
      time: decision.scheduledAt.toISOString(),
      properties: buildDigestProperties(decision.weekKey, list.currency, list.rows),
    };
    await runtime().queue.enqueue(prisma, { queue: "play", key, shop: s.shop, payload, runAt: now });
    queued += 1;
  }
  if (queued > 0) runtime().playsWorker.notify();
  return queued;
}

let lastCheck = 0;

/**
 * The worker's weekly-digest check, after each batch: at most once a minute (the worker
 * passes every half second when idle), and never in the way of scoring if it fails.
 */
export async function digestPass(now: Date): Promise<number> {
  if (now.getTime() - lastCheck < 60_000) return 0;
  lastCheck = now.getTime();
  try {
    return await queueDueDigests(now);
  } catch (error) {
    console.error(`[lifeline] weekly digest check failed: ${String(error)}`);
    return 0;
  }
}
