import prisma from "../db.server";
import { createPrismaJobQueue, type JobQueue, type QueueName } from "./jobs.server";
import { createWorker, type JobHandler, type Worker } from "./worker.server";
import { processDeliveryJob } from "../webhooks/process.server";
import { runBackfillJob } from "../webhooks/backfill.server";

/** What each queue's jobs do. */
export const JOB_HANDLERS: Partial<Record<QueueName, JobHandler>> = {
  webhook: (job) => processDeliveryJob(job),
  backfill: (job) => runBackfillJob(job),
};

export interface Runtime {
  queue: JobQueue;
  worker: Worker;
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
    });
    globalThis.lifelineRuntime = { queue, worker };
  }
  return globalThis.lifelineRuntime;
}
