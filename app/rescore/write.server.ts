/**
 * Writes a batch of rescore plans in one transaction on the direct connection: scores,
 * history (replacing what late events changed), firings with their plays, tasks and
 * jobs, tasks the subscriber's cancellation or recovery closed, Shopify Flow triggers, contract and subscriber status by the events' time, and
 * the dirty marks that were read. Every row is written by its unique key, so a batch
 * retried after a crash doubles nothing.
 */
import { randomUUID } from "node:crypto";
import { directDb, prepared, sqliteTime, withRetry } from "../db-direct.server";
import { enqueueManyDirect, type EnqueueInput } from "../queue/jobs.server";
import type { RescorePlan } from "./plan";

export function writePlans(shop: string, plans: RescorePlan[], dirtyMarks: Map<string, string | null>, now: Date): Promise<{ firings: number; plays: number }> {
  const db = directDb();
  const t = sqliteTime(now);
  const upsertScore = prepared(
    db,
    `INSERT INTO "HealthScore" ("subscriberId", "shop", "score", "band", "segmentKey", "factors", "signals", "computedAt", "bandSince", "stepAt", "stepBand", "live")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("subscriberId") DO UPDATE SET "score" = excluded."score", "band" = excluded."band", "segmentKey" = excluded."segmentKey",
       "factors" = excluded."factors", "signals" = excluded."signals", "computedAt" = excluded."computedAt",
       "bandSince" = excluded."bandSince", "stepAt" = excluded."stepAt", "stepBand" = excluded."stepBand", "live" = excluded."live"`,
  );
  const dropHistory = prepared(db, `DELETE FROM "HealthHistory" WHERE "subscriberId" = ? AND "at" > ?`);
  const upsertHistory = prepared(
    db,
    `INSERT INTO "HealthHistory" ("id", "shop", "subscriberId", "kind", "periodKey", "at", "score", "band", "fromBand", "live")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("subscriberId", "kind", "periodKey") DO UPDATE SET "at" = excluded."at", "score" = excluded."score", "band" = excluded."band",
       "fromBand" = excluded."fromBand", "live" = excluded."live"`,
  );
  const insertFiring = prepared(
    db,
    `INSERT INTO "Firing" ("id", "shop", "triggerKey", "subscriberId", "firedAt", "holdout", "reasons", "snapshot", "outcomeDueAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("shop", "triggerKey", "subscriberId", "firedAt") DO NOTHING`,
  );
  const firingId = prepared(db, `SELECT "id" FROM "Firing" WHERE "shop" = ? AND "triggerKey" = ? AND "subscriberId" = ? AND "firedAt" = ?`);
  const insertPlay = prepared(
    db,
    `INSERT INTO "PlayDelivery" ("id", "shop", "firingId", "kind", "metric", "uniqueId", "payload", "status", "attempts", "createdAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?) ON CONFLICT ("firingId", "kind") DO NOTHING`,
  );
  const playId = prepared(db, `SELECT "id" FROM "PlayDelivery" WHERE "firingId" = ? AND "kind" = ?`);
  const insertTask = prepared(
    db,
    `INSERT INTO "Task" ("id", "shop", "firingId", "subscriberId", "title", "suggestedAction", "reasons", "owner", "priority", "dueAt", "status", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) ON CONFLICT ("firingId") DO NOTHING`,
  );
  // Only a task still open or snoozed: one a person closed meanwhile keeps their reason.
  const closeTask = prepared(
    db,
    `UPDATE "Task" SET "status" = 'done', "closeReason" = ?, "closedAt" = ?, "snoozedUntil" = NULL, "updatedAt" = ?
     WHERE "id" = ? AND "shop" = ? AND "status" IN ('open', 'snoozed')`,
  );
  const contractStatus = prepared(db, `UPDATE "Contract" SET "status" = ? WHERE "shop" = ? AND "contractId" = ? AND "status" <> ?`);
  // The mark is cleared only if it is the one that was read: a change that landed while
  // this batch was scored is scored next time.
  const settle = prepared(
    db,
    `UPDATE "Subscriber" SET "status" = CASE WHEN ? = 'unknown' THEN "status" ELSE ? END,
       "scoreDirtyFrom" = CASE WHEN "scoreDirtyAt" IS ? THEN NULL ELSE "scoreDirtyFrom" END,
       "scoreDirtyAt" = CASE WHEN "scoreDirtyAt" IS ? THEN NULL ELSE "scoreDirtyAt" END,
       "scoreFailures" = 0, "scoreRetryAt" = NULL
     WHERE "id" = ? AND "shop" = ?`,
  );

  const settleTail = prepared(
    db,
    `UPDATE "Subscriber" SET "status" = CASE WHEN ? = 'unknown' THEN "status" ELSE ? END,
       "scoreDirtyFrom" = CASE WHEN "scoreDirtyAt" IS ? THEN NULL ELSE "scoreDirtyFrom" END,
       "scoreFailures" = 0, "scoreRetryAt" = NULL
     WHERE "id" = ? AND "shop" = ?`,
  );

  let firings = 0;
  let plays = 0;
  const writeAll = db.transaction(() => {
    firings = 0;
    plays = 0;
    const jobs: EnqueueInput[] = [];
    for (const plan of plans) {
      const r = plan.result;
      upsertScore.run(
        plan.subscriberId,
        shop,
        r.score,
        r.band,
        r.segment.key,
        JSON.stringify(r.factors),
        JSON.stringify(r.signals),
        t,
        sqliteTime(plan.bandSince),
        sqliteTime(plan.stepAt),
        plan.stepBand,
        r.cancelledAt === null ? 1 : 0,
      );
      if (plan.rewriteFrom) dropHistory.run(plan.subscriberId, sqliteTime(plan.rewriteFrom));
      for (const h of plan.history) {
        upsertHistory.run(randomUUID(), shop, plan.subscriberId, h.kind, h.periodKey, sqliteTime(h.at), h.score, h.band, h.fromBand, h.live ? 1 : 0);
      }
      for (const planned of plan.firings) {
        const f = planned.firing;
        const firedAt = sqliteTime(f.firedAt);
        insertFiring.run(randomUUID(), shop, f.triggerId, f.subscriberId, firedAt, f.holdout ? 1 : 0, JSON.stringify(f.reasons), JSON.stringify(planned.snapshot), sqliteTime(f.outcomeDueAt));
        const { id } = firingId.get(shop, f.triggerId, f.subscriberId, firedAt) as { id: string };
        firings++;
        for (const play of planned.plays) {
          insertPlay.run(randomUUID(), shop, id, play.kind, play.metric, play.uniqueId, JSON.stringify(play.payload), t);
          const row = playId.get(id, play.kind) as { id: string };
          jobs.push({ queue: "play", key: row.id, shop, runAt: now });
          plays++;
        }
        if (planned.task) {
          const k = planned.task;
          insertTask.run(randomUUID(), shop, id, f.subscriberId, k.title, k.suggestedAction, JSON.stringify(k.reasons), k.owner, k.priority, sqliteTime(k.dueAt), t, t);
        }
      }
      for (const c of plan.taskCloses) closeTask.run(c.reason, sqliteTime(c.at), t, c.taskId, shop);
      for (const job of plan.jobs) jobs.push({ queue: job.queue, key: job.key, shop, payload: job.payload, runAt: job.runAt });
      for (const [contractId, status] of plan.contractStatuses) contractStatus.run(status, shop, contractId, status);
      const mark = dirtyMarks.get(plan.subscriberId) ?? null;
      // A deferred tail keeps the mark (the stretch to now is still owed) but not its "from":
      // the history up to the last event is written, so the next walk resumes there.
      if (plan.tailDeferred) settleTail.run(plan.status, plan.status, mark, plan.subscriberId, shop);
      else settle.run(plan.status, plan.status, mark, mark, plan.subscriberId, shop);
    }
    enqueueManyDirect(db, jobs);
  });
  // BEGIN IMMEDIATE: when another connection holds the write lock, the retry costs a
  // BEGIN, not the whole batch's work done again.
  return withRetry(() => {
    writeAll.immediate();
    return { firings, plays };
  });
}

/** Subscribers read for a batch but with nothing to score (no events yet): their marks are settled too. */
export function settleUnscored(shop: string, ids: string[], dirtyMarks: Map<string, string | null>): Promise<void> {
  if (ids.length === 0) return Promise.resolve();
  const db = directDb();
  const settle = prepared(
    db,
    `UPDATE "Subscriber" SET "scoreDirtyFrom" = CASE WHEN "scoreDirtyAt" IS ? THEN NULL ELSE "scoreDirtyFrom" END,
       "scoreDirtyAt" = CASE WHEN "scoreDirtyAt" IS ? THEN NULL ELSE "scoreDirtyAt" END WHERE "id" = ? AND "shop" = ?`,
  );
  const run = db.transaction(() => {
    for (const id of ids) {
      const mark = dirtyMarks.get(id) ?? null;
      settle.run(mark, mark, id, shop);
    }
  });
  return withRetry(() => run.immediate());
}

/** A failed rescore keeps its marks and is tried again after `retryAt`. */
export function deferFailed(shop: string, ids: string[], retryAt: (failures: number) => Date): Promise<void> {
  if (ids.length === 0) return Promise.resolve();
  const db = directDb();
  const read = prepared(db, `SELECT "scoreFailures" FROM "Subscriber" WHERE "id" = ? AND "shop" = ?`);
  const defer = prepared(db, `UPDATE "Subscriber" SET "scoreFailures" = ?, "scoreRetryAt" = ? WHERE "id" = ? AND "shop" = ?`);
  const run = db.transaction(() => {
    for (const id of ids) {
      const row = read.get(id, shop) as { scoreFailures: number } | undefined;
      if (!row) continue;
      const failures = row.scoreFailures + 1;
      defer.run(failures, sqliteTime(retryAt(failures)), id, shop);
    }
  });
  return withRetry(() => run.immediate());
}
