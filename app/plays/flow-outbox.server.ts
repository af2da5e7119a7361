/**
 * The Shopify Flow outbox: a band change owes the shop's "Subscriber health band changed"
 * trigger one call, written as a job on the "flow" queue in the same transaction as the
 * band_change history row. The job is keyed by subscriber and change (flowJobKey), so a
 * rescore retried with the same change never queues it twice; its payload is fixed at
 * the change, so a late delivery still says what happened then.
 *
 * Flow calls go through the shop's offline session, so shops without one (not installed
 * through token exchange yet, or uninstalled) queue nothing.
 *
 * (The Klaviyo outbox, PlayDelivery, belongs to a playbook firing; a band change is not a
 * firing, so its job row is its outbox row. Dead ones show on the home page with the
 * other jobs that need a person, and can be replayed there.)
 */
import type { Prisma, PrismaClient } from "@prisma/client";
import { enqueue, type EnqueueInput } from "../queue/jobs.server";
import { FLOW_TRIGGER_HANDLE, bandChangePayload, flowJobKey, type BandChange, type FlowTriggerJob } from "../playbook/flow-trigger";

type Db = Prisma.TransactionClient | PrismaClient;

export async function hasOfflineSession(db: Db, shop: string): Promise<boolean> {
  const session = await db.session.findFirst({ where: { shop, isOnline: false }, select: { id: true } });
  return session !== null;
}

export interface BandChangeFlowInput {
  shop: string;
  subscriberId: string;
  /** The band_change history row's periodKey (the instant of the change). */
  changedAt: string;
  change: BandChange;
  now: Date;
}

/** The job to write for a band change; null when the customer has no Shopify id to refer to. */
export function bandChangeFlowJob(input: BandChangeFlowInput): EnqueueInput | null {
  const payload = bandChangePayload(input.change);
  if (!payload) return null;
  const body: FlowTriggerJob = { subscriberId: input.subscriberId, handle: FLOW_TRIGGER_HANDLE, payload };
  return {
    queue: "flow",
    key: flowJobKey(input.shop, input.subscriberId, input.changedAt),
    shop: input.shop,
    payload: body,
    runAt: input.now,
  };
}

/** Queues the Flow trigger for one band change in the caller's transaction, if the shop can receive it. */
export async function queueBandChangeFlow(tx: Prisma.TransactionClient, input: BandChangeFlowInput): Promise<boolean> {
  if (!(await hasOfflineSession(tx, input.shop))) return false;
  const job = bandChangeFlowJob(input);
  if (!job) return false;
  await enqueue(tx, job);
  return true;
}
