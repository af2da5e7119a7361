import prisma from "../db.server";
import { createPrismaJobQueue, type JobQueue, type QueueName } from "./jobs.server";
import { createWorker, type JobHandler, type Worker } from "./worker.server";
import { markDeliveriesProcessed, prefetchDeliveries, processDeliveryJob } from "../webhooks/process.server";
import { runBackfillJob } from "../webhooks/backfill.server";
import { scoringPass } from "../health/rescore.server";
import { digestPass } from "../playbook/digest.server";
import { createPlayHandler } from "../playbook/deliver.server";
import { createFlowHandler } from "../playbook/deliver-flow.server";

/** What each queue's jobs do. */
export const JOB_HANDLERS: Partial<Record<QueueName, JobHandler>> = {
  webhook: (job) => processDeliveryJob(job),
  backfill: (job) => runBackfillJob(job),
};

export interface Runtime {
  queue: JobQueue;
  worker: Worker;
  /** Queues "play" and "flow": their own worker, so webhooks never wait behind Klaviyo's rate limits or Shopify Flow. */
  playsWorker: Worker;
}

declare global {
  // eslint-disable-next-line no-var
  var lifelineRuntime: Runtime | undefined;
}

/** The process's queue and worker (one of each, kept across dev-server reloads). */
export function runtime(): Runtime {
  if (!globalThis.lifelineRuntime) {
    const queue = createPrismaJobQueue(prisma);
    const worker = createWorker({
      queue,
      handlers: JOB_HANDLERS,
      // Larger batches score a subscriber once for several of their deliveries.
      batchSize: 100,
      beforeBatch: prefetchDeliveries,
      onCompleted: markDeliveriesProcessed,
      followUpEveryMs: 5_000,
      // After each batch of deliveries, rescore the subscribers they changed (once each),
      // then queue any weekly digest that has come due.
      afterBatch: async (now) => (await scoringPass(now)) + (await digestPass(now)),
    });
    globalThis.lifelineRuntime = { queue, worker, playsWorker: createPlaysWorker(queue) };
  }
  // A runtime kept from before a dev-server reload may predate the plays worker.
  globalThis.lifelineRuntime.playsWorker ??= createPlaysWorker(globalThis.lifelineRuntime.queue);
  return globalThis.lifelineRuntime;
}

// ---- Plays (see app/playbook/deliver.server.ts and deliver-flow.server.ts)

function createPlaysWorker(queue: JobQueue): Worker {
  return createWorker({ queue, handlers: { play: createPlayHandler(), flow: createFlowHandler() } });
}
