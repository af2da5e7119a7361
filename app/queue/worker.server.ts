import { randomUUID } from "node:crypto";
import { logger, type Logger } from "../log.server";
import { describeError } from "./errors";
import { createPrismaJobQueue, listenForWork, type JobQueue, type JobRecord, type QueueName } from "./jobs.server";

/**
 * One job's work. `batch` is what the worker's `beforeBatch` read for the whole batch
 * (undefined without one): passed in, so no handler keeps state between jobs.
 */
export type JobHandler<Batch = undefined> = (job: JobRecord, batch: Batch) => Promise<void>;

export interface WorkerOptions<Batch = undefined> {
  /** Default: the queue on the app's database. */
  queue?: JobQueue;
  handlers: Partial<Record<QueueName, JobHandler<Batch>>>;
  /** The worker's name in the logs. */
  name?: string;
  batchSize?: number;
  idlePollMs?: number;
  /** A job still "running" this long after its claim is taken to be orphaned by a dead worker. */
  leaseMs?: number;
  now?: () => Date;
  /** Default: the app's logger (level from LOG_LEVEL). */
  log?: Logger;
  /** Runs with a batch's jobs before any of them (e.g. reading what they need in one query); its result goes to each job's handler. */
  beforeBatch?: (jobs: JobRecord[]) => Promise<Batch>;
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
  /**
   * After a pass that did work, wait this long before the next one, so work that keeps
   * arriving (history pouring in) is taken in fewer, larger passes. Loops only; drain()
   * never waits.
   */
  restAfterWorkMs?: number;
  /** More queue names whose notifyWorkers() wakes this worker (a worker with no jobs of its own, only follow-up work). */
  wakeOn?: readonly QueueName[];
}

export interface Worker {
  readonly id: string;
  readonly queues: readonly QueueName[];
  start(): void;
  /** Finish the job in hand and stop; resolves when the loop has exited. */
  stop(): Promise<void>;
  /** Wake the loop now (new work was just committed). */
  notify(): void;
  /** Process until no job is due. Returns how many jobs ran. For tests and scripts. */
  drain(): Promise<number>;
}

export function createWorker<Batch = undefined>(options: WorkerOptions<Batch>): Worker {
  const id = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  const queue = options.queue ?? createPrismaJobQueue();
  const batchSize = options.batchSize ?? 25;
  const idlePollMs = options.idlePollMs ?? 500;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const now = options.now ?? (() => new Date());
  const queues = Object.keys(options.handlers) as QueueName[];
  const log = (options.log ?? logger).child({ worker: options.name ?? queues.join("+") });

  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  // Set by a wake-up that arrives mid-batch, so the loop looks again instead of sleeping.
  let woken = false;
  const poke = () => {
    woken = true;
    wake?.();
  };
  let stopListening: (() => void) | undefined;
  // A rest after work is cut short by stop() only, never by new work arriving.
  let endRest: (() => void) | undefined;
  let lastStaleCheck = 0;
  let lastFollowUp = 0;
  // A failing database fails every pass: said once when it starts and once when it ends.
  let batchFailing = false;
  let followUpFailing = false;

  /** Runs one job; true when it succeeded (it is marked done with the rest of its batch). */
  async function runOne(job: JobRecord, batch: Batch): Promise<boolean> {
    const handler = options.handlers[job.queue as QueueName];
    try {
      if (!handler) throw new Error(`no handler for queue ${job.queue}`);
      await handler(job, batch);
      return true;
    } catch (error) {
      const outcome = await queue.fail(job, error, now());
      const line = { shop: job.shop, queue: job.queue, job: job.id, key: job.key, attempt: job.attempts, outcome: outcome.state, error: describeError(error) };
      // Lock contention is retried at once without counting: not worth a line each time.
      if (outcome.state === "retry" && !outcome.counted) log.debug({ ...line, retryAt: outcome.runAt.toISOString() }, "job waits");
      else if (outcome.state === "retry") log.warn({ ...line, retryAt: outcome.runAt.toISOString() }, "job failed");
      else log.error(line, "job failed");
      return false;
    }
  }

  async function runBatch(): Promise<number> {
    const t = now();
    if (t.getTime() - lastStaleCheck > leaseMs / 2) {
      lastStaleCheck = t.getTime();
      const released = await queue.releaseStale(t, leaseMs);
      if (released > 0) log.warn({ released }, "jobs of a stopped worker released");
    }
    const jobs = queues.length > 0 ? await queue.claim(id, batchSize, t, queues) : [];
    // Sequential on purpose: SQLite has one writer, and one subscriber's events stay in order.
    // Between jobs the loop yields, so webhook acknowledgements in this process are not kept waiting.
    const batch = options.beforeBatch && jobs.length > 0 ? await options.beforeBatch(jobs) : (undefined as Batch);
    const succeeded: JobRecord[] = [];
    for (const job of jobs) {
      if (await runOne(job, batch)) succeeded.push(job);
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Done together: a crash before this line leaves the batch running, and after the
    // lease its jobs run again, which their unique keys make harmless.
    await queue.completeMany(
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
        if (followUpFailing) log.info("follow-up work recovered");
        followUpFailing = false;
      } catch (error) {
        if (!followUpFailing) log.error({ error: describeError(error) }, "follow-up work failed");
        followUpFailing = true;
      }
    }
    return jobs.length + followUp;
  }

  return {
    id,
    queues,
    start() {
      if (running) return;
      running = true;
      stopListening = listenForWork([...queues, ...(options.wakeOn ?? [])], poke);
      log.info({ queues }, "worker started");
      loop = (async () => {
        while (running) {
          let count = 0;
          woken = false;
          const passStarted = Date.now();
          try {
            count = await runBatch();
            if (batchFailing) log.info("worker recovered");
            batchFailing = false;
          } catch (error) {
            if (!batchFailing) log.error({ error: describeError(error) }, "worker batch failed");
            batchFailing = true;
          }
          if (count > 0 && running && options.restAfterWorkMs) {
            // Let more work gather before the next pass (stop() cuts the rest short).
            await new Promise<void>((resolve) => {
              // Scheduling only (never what a pass computes): at least the set rest, and twice
              // the last pass's own time, so passes never take more than a third of the machine.
              const rest = Math.min(30_000, Math.max(options.restAfterWorkMs ?? 0, 2 * (Date.now() - passStarted)));
              const timer = setTimeout(resolve, rest);
              endRest = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            endRest = undefined;
            if (!running) break;
          }
          if (count === 0 && running && !woken) {
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
      stopListening?.();
      stopListening = undefined;
      wake?.();
      endRest?.();
      await loop;
    },
    notify: poke,
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
