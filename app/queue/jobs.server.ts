import type Database from "better-sqlite3";
import type { Prisma, PrismaClient } from "@prisma/client";
import prisma from "../db.server";
import { perConnection, prepared, sqliteTime } from "../db-direct.server";
import { maxAttemptsFor, retryDelayMs } from "./backoff";
import { PermanentError, RetryLaterError, describeError, isContention } from "./errors";

/**
 * The job queue on the embedded database, and the only module that writes the `Job`
 * table. It knows no handler: what each queue's jobs do is wired in app/workers.server.ts.
 * Only portable operations: the same code runs on PostgreSQL, where a pg-boss
 * implementation of `JobQueue` can take over.
 */
export type QueueName = "webhook" | "backfill" | "enrich" | "source" | "play" | "flow" | "digest" | "rescore" | "shop_context" | "score-check" | "score-fit";

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
  /** When it may run: the caller's `now` (or later), never the machine's clock. */
  runAt: Date;
}

type Db = Prisma.TransactionClient | PrismaClient;

// ---- Writing jobs, in the caller's transaction

/** Queues a job; unique by (queue, key), so a second enqueue of the same work is a no-op. */
export async function enqueue(db: Db, job: EnqueueInput): Promise<void> {
  await db.job.upsert({
    where: { queue_key: { queue: job.queue, key: job.key } },
    create: {
      queue: job.queue,
      key: job.key,
      shop: job.shop,
      payload: JSON.stringify(job.payload ?? {}),
      runAt: job.runAt,
    },
    update: {},
  });
}

export async function enqueueMany(db: Db, jobs: EnqueueInput[]): Promise<void> {
  for (const job of jobs) await enqueue(db, job);
}

const directStatements = perConnection((db) => ({
  insert: db.prepare(
    `INSERT INTO "Job" ("queue", "key", "shop", "payload", "status", "attempts", "runAt", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT ("queue", "key") DO NOTHING`,
  ),
  // enqueueAgain in one statement: a job a worker holds right now is left alone.
  again: db.prepare(
    `INSERT INTO "Job" ("queue", "key", "shop", "payload", "status", "attempts", "runAt", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)
     ON CONFLICT ("queue", "key") DO UPDATE SET "status" = 'pending', "attempts" = 0, "runAt" = excluded."runAt",
       "lastError" = NULL, "lockedBy" = NULL, "lockedAt" = NULL, "updatedAt" = excluded."updatedAt"
     WHERE "Job"."status" <> 'running'`,
  ),
}));

/**
 * The same enqueue for a caller already inside a better-sqlite3 transaction on the
 * direct connection (the inbox write, the intake, the bulk score write). Synchronous, like them.
 */
export function enqueueManyDirect(db: Database.Database, jobs: EnqueueInput[]): void {
  if (jobs.length === 0) return;
  const { insert } = directStatements(db);
  for (const job of jobs) {
    const at = sqliteTime(job.runAt);
    insert.run(job.queue, job.key, job.shop, JSON.stringify(job.payload ?? {}), at, at, at);
  }
}

/** `enqueueAgain` for a caller inside a transaction on the direct connection. */
export function enqueueAgainDirect(db: Database.Database, job: EnqueueInput): void {
  const at = sqliteTime(job.runAt);
  directStatements(db).again.run(job.queue, job.key, job.shop, JSON.stringify(job.payload ?? {}), at, at, at);
}

/**
 * Queues the job again: a new one, or the existing one pending again with its attempts
 * cleared. A job a worker holds right now is left alone: it is already trying.
 */
export async function enqueueAgain(db: Db, job: EnqueueInput): Promise<void> {
  const where = { queue_key: { queue: job.queue, key: job.key } };
  const existing = await db.job.findUnique({ where, select: { status: true } });
  if (!existing) return enqueue(db, job);
  if (existing.status === "running") return;
  await db.job.update({
    where,
    data: { status: "pending", attempts: 0, runAt: job.runAt, lastError: null, lockedBy: null, lockedAt: null },
  });
}

/**
 * Saves a running job's progress (the backfill's cursor), so a retry resumes from it.
 * Not async: the write can join a batch `prisma.$transaction([...])`.
 */
export function updateJobPayload(jobId: number, payload: unknown): Prisma.PrismaPromise<unknown> {
  return prisma.job.update({ where: { id: jobId }, data: { payload: JSON.stringify(payload) } });
}

/** shop/redact: every job of the shop but the one doing the erasing. Joins a batch transaction. */
export function deleteShopJobs(shop: string, keepJobId?: number): Prisma.PrismaPromise<unknown> {
  return prisma.job.deleteMany({ where: { shop, ...(keepJobId ? { NOT: { id: keepJobId } } : {}) } });
}

/**
 * The shop's pending jobs on these queues are due now (they were waiting on the merchant).
 * Only ever brings a job forward, never postpones one that was due sooner.
 */
export async function runPendingNow(shop: string, queues: QueueName[], now: Date): Promise<void> {
  await prisma.job.updateMany({ where: { queue: { in: queues }, shop, status: "pending", runAt: { gt: now } }, data: { runAt: now } });
  for (const queue of queues) notifyWorkers(queue);
}

/** Sends a dead job round again, from its first attempt. False when it is not the shop's or not dead. */
export async function replayDeadJob(shop: string, jobId: number, now: Date): Promise<boolean> {
  const job = await prisma.job.findFirst({ where: { id: jobId, shop, status: "dead" }, select: { queue: true } });
  if (!job) return false;
  const result = await prisma.job.updateMany({
    where: { id: jobId, shop, status: "dead" },
    data: { status: "pending", attempts: 0, runAt: now, lastError: null },
  });
  if (result.count === 1) notifyWorkers(job.queue as QueueName);
  return result.count === 1;
}

// ---- Reading

/** Which of these keys already have a job on the queue (whatever its state). */
export async function queuedKeys(queue: QueueName, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await prisma.job.findMany({ where: { queue, key: { in: keys } }, select: { key: true } });
  return new Set(rows.map((r) => r.key));
}

/** Shops with jobs on these queues due or in hand at `now`: work still flowing in. */
export function shopsWithWorkDue(db: Database.Database, queues: readonly QueueName[], now: Date): string[] {
  if (queues.length === 0) return [];
  const sql = `SELECT DISTINCT "shop" FROM "Job" WHERE "status" IN ('pending', 'running') AND "runAt" <= ? AND "queue" IN (${queues.map(() => "?").join(", ")})`;
  return (prepared(db, sql).all(sqliteTime(now), ...queues) as { shop: string }[]).map((r) => r.shop);
}

/** The shop's unfinished jobs (waiting or running) and those that gave up. */
export async function jobCounts(shop: string): Promise<{ waiting: number; dead: number }> {
  const [waiting, dead] = await Promise.all([
    prisma.job.count({ where: { shop, status: { in: ["pending", "running"] } } }),
    prisma.job.count({ where: { shop, status: "dead" } }),
  ]);
  return { waiting, dead };
}

export interface DeadJob {
  id: number;
  queue: string;
  key: string;
  attempts: number;
  lastError: string | null;
}

/** The shop's dead jobs, most recent first. */
export function deadJobs(shop: string, take: number): Promise<DeadJob[]> {
  return prisma.job.findMany({
    where: { shop, status: "dead" },
    orderBy: { updatedAt: "desc" },
    take,
    select: { id: true, queue: true, key: true, attempts: true, lastError: true },
  });
}

// ---- Waking workers

const wakers = new Map<QueueName, Set<() => void>>();

/**
 * Wakes this process's started workers for the queue (new work was just committed).
 * Only a wake-up: workers in other processes find the work when they next poll.
 */
export function notifyWorkers(queue: QueueName): void {
  for (const wake of wakers.get(queue) ?? []) wake();
}

/** A started worker listens for its queues; the returned function stops listening. */
export function listenForWork(queues: readonly QueueName[], wake: () => void): () => void {
  for (const queue of queues) {
    const set = wakers.get(queue) ?? new Set();
    set.add(wake);
    wakers.set(queue, set);
  }
  return () => {
    for (const queue of queues) wakers.get(queue)?.delete(wake);
  };
}

/** How many started workers in this process listen for the queue. */
export function workersListening(queue: QueueName): number {
  return wakers.get(queue)?.size ?? 0;
}

// ---- What a worker does with jobs

export type FailOutcome = { state: "retry"; runAt: Date; counted: boolean } | { state: "dead" };

export interface JobQueue {
  claim(workerId: string, limit: number, now: Date, queues?: QueueName[]): Promise<JobRecord[]>;
  complete(jobId: number, now: Date): Promise<void>;
  /** Many jobs done at once: one write for a batch, not one per job. */
  completeMany(jobIds: number[], now: Date): Promise<void>;
  fail(job: JobRecord, error: unknown, now: Date): Promise<FailOutcome>;
  releaseStale(now: Date, leaseMs: number): Promise<number>;
  replay(shop: string, jobId: number, now: Date): Promise<boolean>;
}

export function createPrismaJobQueue(client: PrismaClient = prisma): JobQueue {
  return {
    async claim(workerId, limit, now, queues) {
      const candidates = await client.job.findMany({
        where: { status: "pending", runAt: { lte: now }, ...(queues ? { queue: { in: queues } } : {}) },
        orderBy: { id: "asc" },
        take: limit,
        select: { id: true },
      });
      if (candidates.length === 0) return [];
      // The status condition makes the claim atomic: a row another worker took is skipped.
      await client.job.updateMany({
        where: { id: { in: candidates.map((c) => c.id) }, status: "pending" },
        data: { status: "running", lockedBy: workerId, lockedAt: now, attempts: { increment: 1 } },
      });
      return client.job.findMany({
        where: { id: { in: candidates.map((c) => c.id) }, status: "running", lockedBy: workerId },
        orderBy: { id: "asc" },
        select: { id: true, queue: true, key: true, shop: true, payload: true, attempts: true },
      });
    },

    async completeMany(jobIds, now) {
      if (jobIds.length === 0) return;
      await client.job.updateMany({
        where: { id: { in: jobIds }, status: "running" },
        data: { status: "done", doneAt: now, lockedBy: null, lockedAt: null, lastError: null },
      });
    },

    async complete(jobId, now) {
      await client.job.update({
        where: { id: jobId },
        data: { status: "done", doneAt: now, lockedBy: null, lockedAt: null, lastError: null },
      });
    },

    async fail(job, error, now) {
      if (isContention(error)) {
        // Not the job's fault: run it again shortly, and do not count the attempt.
        const runAt = new Date(now.getTime() + 50);
        await client.job.update({
          where: { id: job.id },
          data: { status: "pending", runAt, attempts: { decrement: 1 }, lockedBy: null, lockedAt: null },
        });
        return { state: "retry", runAt, counted: false };
      }
      const permanent = error instanceof PermanentError;
      // Retry-After (or a wait on the merchant) names the exact time; a wait that is
      // not the job's fault does not use up an attempt.
      const later = error instanceof RetryLaterError ? error : null;
      const uncounted = later !== null && !later.countsAsAttempt;
      const dead = permanent || (!uncounted && job.attempts >= maxAttemptsFor(job.queue));
      const runAt = new Date(now.getTime() + (later ? Math.max(0, later.retryAfterMs) : retryDelayMs(job.attempts)));
      await client.job.update({
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
      return dead ? { state: "dead" } : { state: "retry", runAt, counted: !uncounted };
    },

    async releaseStale(now, leaseMs) {
      // A worker that died mid-job leaves it "running": after the lease it is pending again.
      const result = await client.job.updateMany({
        where: { status: "running", lockedAt: { lt: new Date(now.getTime() - leaseMs) } },
        data: { status: "pending", lockedBy: null, lockedAt: null, runAt: now },
      });
      return result.count;
    },

    replay: replayDeadJob,
  };
}
