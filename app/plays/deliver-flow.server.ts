/**
 * The plays worker's job for the "flow" queue: fire the "Subscriber health band changed"
 * Flow trigger for one band change (queued by flow-outbox.server.ts).
 *
 * - Sent: done. Flow runs whatever workflows start with the trigger (none is fine).
 * - Flow refused it (trigger not deployed or removed, payload not matching its fields),
 *   or the shop's token is gone: final, the job goes dead where a person can see it.
 * - 5xx, throttling, network: thrown, and the queue retries with backoff.
 * - The subscriber was erased (customers/redact) or deleted since: nothing is sent.
 */
import { z } from "zod";
import prisma from "../db.server";
import { PermanentError } from "../queue/errors";
import type { JobRecord } from "../queue/jobs.server";
import type { JobHandler } from "../queue/worker.server";
import { sendFlowTrigger } from "../shopify/admin-api.server";
import { hasOfflineSession } from "./flow-outbox.server";

const jobSchema = z.object({
  subscriberId: z.string().min(1),
  handle: z.string().min(1).max(30),
  payload: z.record(z.union([z.string(), z.number()])),
});

export function createFlowHandler(): JobHandler {
  return async function deliverFlowTrigger(job: JobRecord): Promise<void> {
    const parsed = jobSchema.safeParse(safeJson(job.payload));
    if (!parsed.success) throw new PermanentError(`Malformed Flow trigger job: ${parsed.error.message.slice(0, 300)}`);
    const { subscriberId, handle, payload } = parsed.data;

    const subscriber = await prisma.subscriber.findFirst({ where: { id: subscriberId, shop: job.shop }, select: { redactedAt: true } });
    if (!subscriber || subscriber.redactedAt) return;
    if (!(await hasOfflineSession(prisma, job.shop))) {
      throw new PermanentError("The store has no offline session (the app was uninstalled): the Flow trigger was not sent.");
    }
    await sendFlowTrigger(job.shop, handle, payload);
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
