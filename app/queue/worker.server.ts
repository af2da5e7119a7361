import { randomUUID } from "node:crypto";
import type { JobQueue, JobRecord, QueueName } from "./jobs.server";

export type JobHandler = (job: JobRecord) => Promise<void>;

export interface WorkerOptions {
  queue: JobQueue;
  handlers: Partial<Record<QueueName, JobHandler>>;
  batchSize?: number;
  idlePollMs?: number;
  /** A job still "running" this long after its claim is taken to be orphaned by a dead worker. */
  leaseMs?: number;
  now?: () => Date;
  log?: (message: string) => void;
  /** Runs with a batch's jobs before any of them (e.g. reading what they need in one query). */
  beforeBatch?: (jobs: JobRecord[]) => Promise<void>;
  /** Runs with the jobs of a batch that succeeded, as they are marked done (e.g. marking their deliveries processed). */
  onCompleted?: (jobs: JobRecord[], now: Date) => Promise<void>;
  /** Work that follows a batch of jobs (scoring the subscribers they touched). Returns how much it did. */
  afterBatch?: (now: Date) => Promise<number>;
  /**
   * While a backlog is being worked off (full batches), run `afterBatch` at most this
   * often rather than after every batch: a subscriber with several deliveries in the
   * backlog is then scored once. Once caught up it runs after every batch. Default 0.
   */
  followUpEveryMs?: number;
}

export interface Worker {
  readonly id: string;
  start(): void;
  /** Finish the job in hand and stop; resolves when the loop has exited. */
  stop(): Promise<void>;
  /** Wake the loop now (new work was just committed). */
  notify(): void;
  /** Process until no job is due. Returns how many jobs ran. For tests and scripts. */
  drain(): Promise<number>;
}

export function createWorker(options: WorkerOptions): Worker {
  const id = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  const batchSize = options.batchSize ?? 25;
  const idlePollMs = options.idlePollMs ?? 500;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((m: string) => console.warn(m));
  const queues = Object.keys(options.handlers) as QueueName[];

  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let lastStaleCheck = 0;
  let lastFollowUp = 0;

  /** Runs one job; true when it succeeded (it is marked done with the rest of its batch). */
  async function runOne(job: JobRecord): Promise<boolean> {
    const handler = options.handlers[job.queue as QueueName];
    try {
      if (!handler) throw new Error(`no handler for queue ${job.queue}`);
      await handler(job);
      return true;
    } catch (error) {
      const outcome = await options.queue.fail(job, error, now());
      log(`[lifeline] job ${job.queue}:${job.key} failed (attempt ${job.attempts}), ${outcome.state}: ${String(error)}`);
      return false;
    }
  }

  async function runBatch(): Promise<number> {
    const t = now();
    if (t.getTime() - lastStaleCheck > leaseMs / 2) {
      lastStaleCheck = t.getTime();
      await options.queue.releaseStale(t, leaseMs);
    }
    const jobs = await options.queue.claim(id, batchSize, t, queues);
    // Sequential on purpose: SQLite has one writer, and one subscriber's events stay in order.
    // Between jobs the loop yields, so webhook acknowledgements in this process are not kept waiting.
    if (options.beforeBatch && jobs.length > 0) await options.beforeBatch(jobs);
    const succeeded: JobRecord[] = [];
    for (const job of jobs) {
      if (await runOne(job)) succeeded.push(job);
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Done together: a crash before this line leaves the batch running, and after the
    // lease its jobs run again, which their unique keys make harmless.
    await options.queue.completeMany(
      succeeded.map((j) => j.id),
      now(),
    );
    if (options.onCompleted && succeeded.length > 0) await options.onCompleted(succeeded, now());
    let followUp = 0;
    const backlog = jobs.length === batchSize;
    const followUpDue = !backlog || now().getTime() - lastFollowUp >= (options.followUpEveryMs ?? 0);
    if (options.afterBatch && followUpDue) {
      lastFollowUp = now().getTime();
      try {
        followUp = await options.afterBatch(now());
      } catch (error) {
        log(`[lifeline] follow-up work failed: ${String(error)}`);
      }
    }
    return jobs.length + followUp;
  }

  return {
    id,
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          let count = 0;
          try {
            count = await runBatch();
          } catch (error) {
            log(`[lifeline] worker batch failed: ${String(error)}`);
          }
          if (count === 0 && running) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, idlePollMs);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wake = undefined;
          }
        }
      })();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
    notify() {
      wake?.();
    },
    async drain() {
      let total = 0;
      for (;;) {
        const count = await runBatch();
        if (count === 0) return total;
        total += count;
      }
    },
  };
}
