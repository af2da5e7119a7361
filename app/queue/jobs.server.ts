import type { Prisma, PrismaClient } from "@prisma/client";
import { maxAttemptsFor, retryDelayMs } from "./backoff";
import { PermanentError, RetryLaterError, describeError, isContention } from "./errors";

/**
 * The job queue on the embedded database. Only portable Prisma operations: the same
 * code runs on PostgreSQL, where a pg-boss implementation of `JobQueue` can take over.
 */
export type QueueName = "webhook" | "backfill" | "play" | "rescore" | "flow";

export interface JobRecord {
  id: number;
  queue: string;
  key: string;
  shop: string;
  payload: string;
  attempts: number;
}

export interface EnqueueInput {
  queue: QueueName;
  key: string;
  shop: string;
  payload?: unknown;
  runAt?: Date;
}

export type FailOutcome = { state: "retry"; runAt: Date } | { state: "dead" };

export interface JobQueue {
  enqueue(db: Prisma.TransactionClient | PrismaClient, job: EnqueueInput): Promise<void>;
  claim(workerId: string, limit: number, now: Date, queues?: QueueName[]): Promise<JobRecord[]>;
  complete(jobId: number, now: Date): Promise<void>;
  /** Many jobs done at once: one write for a batch, not one per job. */
  completeMany(jobIds: number[], now: Date): Promise<void>;
  fail(job: JobRecord, error: unknown, now: Date): Promise<FailOutcome>;
  releaseStale(now: Date, leaseMs: number): Promise<number>;
  replay(shop: string, jobId: number, now: Date): Promise<boolean>;
}

export function createPrismaJobQueue(prisma: PrismaClient): JobQueue {
  return {
    async enqueue(db, job) {
      // Unique by (queue, key): a second enqueue of the same work is a no-op.
      await db.job.upsert({
        where: { queue_key: { queue: job.queue, key: job.key } },
        create: {
          queue: job.queue,
          key: job.key,
          shop: job.shop,
          payload: JSON.stringify(job.payload ?? {}),
          runAt: job.runAt ?? new Date(),
        },
        update: {},
      });
    },

    async claim(workerId, limit, now, queues) {
      const candidates = await prisma.job.findMany({
        where: { status: "pending", runAt: { lte: now }, ...(queues ? { queue: { in: queues } } : {}) },
        orderBy: { id: "asc" },
        take: limit,
        select: { id: true },
      });
      if (candidates.length === 0) return [];
      // The status condition makes the claim atomic: a row another worker took is skipped.
      await prisma.job.updateMany({
        where: { id: { in: candidates.map((c) => c.id) }, status: "pending" },
        data: { status: "running", lockedBy: workerId, lockedAt: now, attempts: { increment: 1 } },
      });
      return prisma.job.findMany({
        where: { id: { in: candidates.map((c) => c.id) }, status: "running", lockedBy: workerId },
        orderBy: { id: "asc" },
        select: { id: true, queue: true, key: true, shop: true, payload: true, attempts: true },
      });
    },

    async completeMany(jobIds, now) {
      if (jobIds.length === 0) return;
      await prisma.job.updateMany({
        where: { id: { in: jobIds }, status: "running" },
        data: { status: "done", doneAt: now, lockedBy: null, lockedAt: null, lastError: null },
      });
    },

    async complete(jobId, now) {
      await prisma.job.update({
        where: { id: jobId },
        data: { status: "done", doneAt: now, lockedBy: null, lockedAt: null, lastError: null },
      });
    },

    async fail(job, error, now) {
      if (isContention(error)) {
        // Not the job's fault: run it again shortly, and do not count the attempt.
        await prisma.job.update({
          where: { id: job.id },
          data: { status: "pending", runAt: new Date(now.getTime() + 50), attempts: { decrement: 1 }, lockedBy: null, lockedAt: null },
        });
        return { state: "retry", runAt: new Date(now.getTime() + 50) };
      }
      const permanent = error instanceof PermanentError;
      // Retry-After (or a wait on the merchant) names the exact time; a wait that is
      // not the job's fault does not use up an attempt.
      const later = error instanceof RetryLaterError ? error : null;
      const uncounted = later !== null && !later.countsAsAttempt;
      const dead = permanent || (!uncounted && job.attempts >= maxAttemptsFor(job.queue));
      const runAt = new Date(now.getTime() + (later ? Math.max(0, later.retryAfterMs) : retryDelayMs(job.attempts)));
      await prisma.job.update({
        where: { id: job.id },
        data: {
          status: dead ? "dead" : "pending",
          runAt: dead ? undefined : runAt,
          ...(uncounted && !dead ? { attempts: { decrement: 1 } } : {}),
          lockedBy: null,
          lockedAt: null,
          lastError: describeError(error),
        },
      });
      return dead ? { state: "dead" } : { state: "retry", runAt };
    },

    async releaseStale(now, leaseMs) {
      // A worker that died mid-job leaves it "running": after the lease it is pending again.
      const result = await prisma.job.updateMany({
        where: { status: "running", lockedAt: { lt: new Date(now.getTime() - leaseMs) } },
        data: { status: "pending", lockedBy: null, lockedAt: null, runAt: now },
      });
      return result.count;
    },

    async replay(shop, jobId, now) {
      const result = await prisma.job.updateMany({
        where: { id: jobId, shop, status: "dead" },
        data: { status: "pending", attempts: 0, runAt: now, lastError: null },
      });
      return result.count === 1;
    },
  };
}
