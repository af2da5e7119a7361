/**
 * Rescore runs: every current subscriber of a shop marked for rescoring at once (after a
 * settings change, or the daily pass that applies decay), with progress the merchant
 * can read. Their state is in the database only, so any process may start, follow or
 * finish a run.
 */
import prisma from "../db.server";
import { queueScoreCheck } from "../health/score-check.server";

/** Marks every current subscriber of a shop for rescoring, as a run whose progress can be read. */
export async function startRescore(shop: string, reason: string, now: Date): Promise<string> {
  const marked = await prisma.subscriber.updateMany({
    where: { shop, status: { in: ["active", "paused"] } },
    data: { scoreDirtyAt: now },
  });
  const run = await prisma.rescoreRun.create({ data: { shop, reason, status: "running", total: marked.count, createdAt: now } });
  return run.id;
}

export interface RescoreProgress {
  id: string;
  reason: string;
  status: string;
  total: number;
  done: number;
}

export async function rescoreProgress(shop: string): Promise<RescoreProgress | null> {
  const run = await prisma.rescoreRun.findFirst({ where: { shop }, orderBy: { createdAt: "desc" } });
  if (!run) return null;
  if (run.status !== "running") return { id: run.id, reason: run.reason, status: run.status, total: run.total, done: run.total };
  const remaining = await prisma.subscriber.count({ where: { shop, scoreDirtyAt: { not: null } } });
  return { id: run.id, reason: run.reason, status: run.status, total: run.total, done: Math.max(0, run.total - remaining) };
}

/** Runs whose shop has nothing left to score are done, and queue the shop's score check. */
export async function finishRescoreRuns(now: Date): Promise<void> {
  const running = await prisma.rescoreRun.findMany({ where: { status: "running" }, select: { id: true, shop: true } });
  for (const run of running) {
    const remaining = await prisma.subscriber.count({ where: { shop: run.shop, scoreDirtyAt: { not: null } } });
    if (remaining > 0) continue;
    await prisma.rescoreRun.update({ where: { id: run.id }, data: { status: "done", done: undefined, finishedAt: now } });
    // Every subscriber is scored with the shop's settings as they are now: check them on the store's own history.
    await queueScoreCheck(run.shop, now);
  }
}

/**
 * Scores decay without events: once a day every installed shop gets a full rescore,
 * which also writes each subscriber's weekly snapshot. Keyed by day in the database, so
 * it starts once however many passes or processes look.
 */
export async function scheduleDailyRescores(now: Date): Promise<number> {
  const reason = `daily ${now.toISOString().slice(0, 10)}`;
  const due = await prisma.shop.findMany({
    where: { uninstalledAt: null, NOT: { shop: { in: (await prisma.rescoreRun.findMany({ where: { reason }, select: { shop: true } })).map((r) => r.shop) } } },
    select: { shop: true },
  });
  for (const { shop } of due) await startRescore(shop, reason, now);
  return due.length;
}
