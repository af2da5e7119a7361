import prisma from "../db.server";
import { fetchContractsPage } from "../shopify/admin-api.server";
import { saveContractNode } from "../models/contract.server";
import { refreshRollup } from "../models/subscriber.server";
import { appendEvents, type NewTimelineEvent } from "../models/timeline.server";
import { statusFromPayload } from "../domain/contract-state";
import type { TimelineEventType } from "../domain/timeline";
import type { JobRecord } from "../queue/jobs.server";

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
  const state = JSON.parse(job.payload) as { after: string | null };
  let after = state.after;
  await prisma.shop.updateMany({ where: { shop: job.shop }, data: { backfillStatus: "running" } });
  for (;;) {
    const page = await fetchContractsPage(job.shop, after);
    for (const node of page.nodes) {
      await prisma.$transaction(async (tx) => {
        const { subscriberId, contractId } = await saveContractNode(tx, job.shop, node, now);
        const events: NewTimelineEvent[] = [
          { type: "contract.created", occurredAt: new Date(node.createdAt), contractId, sourceKey: `contract:${contractId}:created` },
        ];
        const ended = ENDED_EVENT[statusFromPayload(node.status)];
        if (ended) {
          events.push({ type: ended, occurredAt: new Date(node.updatedAt), contractId, sourceKey: `contract:${contractId}:backfill:${ended}` });
        }
        await appendEvents(tx, job.shop, subscriberId, events);
        await refreshRollup(tx, subscriberId);
      });
    }
    after = page.pageInfo.endCursor;
    await prisma.$transaction([
      prisma.job.update({ where: { id: job.id }, data: { payload: JSON.stringify({ after }) } }),
      prisma.shop.updateMany({ where: { shop: job.shop }, data: { backfillCount: { increment: page.nodes.length } } }),
    ]);
    if (!page.pageInfo.hasNextPage) break;
  }
  await prisma.shop.updateMany({ where: { shop: job.shop }, data: { backfillStatus: "done", backfillAt: now } });
}
