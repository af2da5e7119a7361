import prisma from "../db.server";
import { createPrismaJobQueue, type JobQueue } from "./jobs.server";
import { createWorker, type Worker } from "./worker.server";
import { processDeliveryJob } from "../webhooks/process.server";
import { runBackfillJob } from "../webhooks/backfill.server";

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
      handlers: {
        webhook: (job) => processDeliveryJob(job),
        backfill: (job) => runBackfillJob(job),
      },
    });
    globalThis.lifelineRuntime = { queue, worker };
  }
  return globalThis.lifelineRuntime;
}
