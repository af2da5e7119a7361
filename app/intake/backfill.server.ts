import prisma from "../db.server";
import { writeTransaction } from "../db-direct.server";
import { fetchContractsPage } from "../shopify/admin-api.server";
import { saveContractNode } from "../models/contract.server";
import { refreshRollup } from "../models/subscriber.server";
import { appendEventsDirect, type NewTimelineEvent } from "../models/timeline.server";
import { statusFromPayload } from "../domain/contract-state";
import type { TimelineEventType } from "../domain/timeline";
import { replayDeadJob, updateJobPayload, type JobRecord } from "../queue/jobs.server";
import { maxAttemptsFor } from "../queue/backoff";
import { PermanentError, RetryLaterError, describeError, isContention } from "../queue/errors";

const ENDED_EVENT: Record<string, TimelineEventType> = {
  paused: "contract.paused",
  cancelled: "contract.cancelled",
  expired: "contract.expired",
  failed: "contract.failed",
};

/**
 * The install backfill: every existing contract, a page at a time, so a store's
 * history starts on day one. Progress is saved after each page; a retry resumes
 * from the saved cursor. Events use the same keys as webhooks, so nothing doubles.
 */
export async function runBackfillJob(job: JobRecord, now: Date = new Date()): Promise<void> {
  try {
    await importContracts(job, now);
  } catch (error) {
    // The queue gives up on this job now: say so, with why, instead of "importing" forever.
    if (isFinalFailure(job, error)) {
      await prisma.shop.updateMany({ where: { shop: job.shop }, data: { backfillStatus: "failed", backfillError: describeError(error) } });
    }
    throw error;
  }
}

/** Whether the queue dead-letters the job for this error (the rule of its `fail`). */
function isFinalFailure(job: JobRecord, error: unknown): boolean {
  if (isContention(error)) return false;
  if (error instanceof PermanentError) return true;
  if (error instanceof RetryLaterError && !error.countsAsAttempt) return false;
  return job.attempts >= maxAttemptsFor(job.queue);
}

/**
 * The merchant's Retry on a failed backfill: its job runs again from its first attempt,
 * resuming from the last saved page. False when there is no failed backfill to retry.
 */
export async function retryBackfill(shop: string, now: Date): Promise<boolean> {
  const dead = await prisma.job.findFirst({ where: { shop, queue: "backfill", status: "dead" }, orderBy: { id: "desc" }, select: { id: true } });
  if (!dead || !(await replayDeadJob(shop, dead.id, now))) return false;
  await prisma.shop.updateMany({ where: { shop, backfillStatus: "failed" }, data: { backfillStatus: "pending", backfillError: null } });
  return true;
}

async function importContracts(job: JobRecord, now: Date): Promise<void> {
  const state = JSON.parse(job.payload) as { after: string | null };
  let after = state.after;
  await prisma.shop.updateMany({ where: { shop: job.shop }, data: { backfillStatus: "running", backfillError: null } });
  for (;;) {
    const page = await fetchContractsPage(job.shop, after);
    for (const node of page.nodes) {
      await writeTransaction((db) => {
        const { subscriberId, contractId } = saveContractNode(db, job.shop, node, now);
        const events: NewTimelineEvent[] = [
          { type: "contract.created", occurredAt: new Date(node.createdAt), contractId, sourceKey: `contract:${contractId}:created` },
        ];
        const ended = ENDED_EVENT[statusFromPayload(node.status)];
        if (ended) {
          events.push({ type: ended, occurredAt: new Date(node.updatedAt), contractId, sourceKey: `contract:${contractId}:backfill:${ended}` });
        }
        appendEventsDirect(db, job.shop, subscriberId, events);
        refreshRollup(db, subscriberId);
      });
    }
    after = page.pageInfo.endCursor;
    await prisma.$transaction([
      updateJobPayload(job.id, { after }),
      prisma.shop.updateMany({ where: { shop: job.shop }, data: { backfillCount: { increment: page.nodes.length } } }),
    ]);
    if (!page.pageInfo.hasNextPage) break;
  }
  await prisma.shop.updateMany({ where: { shop: job.shop }, data: { backfillStatus: "done", backfillAt: now } });
}
