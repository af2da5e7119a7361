import prisma from "../db.server";
import { deadJobs, jobCounts, replayDeadJob } from "../queue/jobs.server";

export interface InboxSummary {
  received: number;
  processed: number;
  waiting: number;
  dead: number;
  subscribers: number;
  backfill: { status: string; count: number } | null;
}

export async function inboxSummary(shop: string): Promise<InboxSummary> {
  const [received, processed, { waiting, dead }, subscribers, shopRow] = await Promise.all([
    prisma.webhookDelivery.count({ where: { shop } }),
    prisma.webhookDelivery.count({ where: { shop, processedAt: { not: null } } }),
    jobCounts(shop),
    prisma.subscriber.count({ where: { shop } }),
    prisma.shop.findUnique({ where: { shop } }),
  ]);
  return {
    received,
    processed,
    waiting,
    dead,
    subscribers,
    backfill: shopRow ? { status: shopRow.backfillStatus, count: shopRow.backfillCount } : null,
  };
}

export interface DeadLetter {
  jobId: number;
  queue: string;
  topic: string | null;
  attempts: number;
  error: string | null;
  receivedAt: string | null;
}

/** Jobs that kept failing, with why: what a person must look at. */
export async function deadLetters(shop: string, take = 50): Promise<DeadLetter[]> {
  const jobs = await deadJobs(shop, take);
  const keys = jobs.filter((j) => j.queue === "webhook").map((j) => j.key.slice(shop.length + 1));
  const deliveries = await prisma.webhookDelivery.findMany({
    where: { shop, deliveryKey: { in: keys } },
    select: { deliveryKey: true, topic: true, receivedAt: true },
  });
  const byKey = new Map(deliveries.map((d) => [d.deliveryKey, d]));
  return jobs.map((j) => {
    const d = j.queue === "webhook" ? byKey.get(j.key.slice(shop.length + 1)) : undefined;
    return {
      jobId: j.id,
      queue: j.queue,
      topic: d?.topic ?? null,
      attempts: j.attempts,
      error: j.lastError,
      receivedAt: d?.receivedAt.toISOString() ?? null,
    };
  });
}

export function replayDeadLetter(shop: string, jobId: number, now: Date = new Date()): Promise<boolean> {
  return replayDeadJob(shop, jobId, now);
}
