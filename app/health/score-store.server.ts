import { randomUUID } from "node:crypto";
import type { Contract, Subscriber } from "@prisma/client";
import type { TimelineEvent, TimelineEventData, TimelineEventType } from "../domain/timeline";
import type { RecentFiring, SubscriberSnapshot } from "../playbook/types";
import type { HealthResult } from "./types";
import { directDb, sqliteTime, withRetry } from "../db-direct.server";

/**
 * Bulk reads and writes for scoring many subscribers at once, on the direct SQLite
 * connection (see db-direct.server.ts for why). One job: move score inputs and outputs.
 */

type Facts = Pick<Subscriber, "id" | "customerId" | "firstSubscribedAt" | "createdAt" | "monthlyValue" | "nextBillingAt" | "cardExpiryMonth" | "cardExpiryYear" | "currency">;
export interface ScoringInput extends Facts {
  contracts: Pick<Contract, "status" | "billingInterval" | "billingIntervalCount">[];
  timeline: TimelineEvent[];
  health: { band: string; bandSince: Date; snapshot: string } | null;
}

const date = (v: string | null): Date | null => (v == null ? null : new Date(v));
const marks = (n: number) => Array.from({ length: n }, () => "?").join(",");

export function loadScoringInputs(shop: string, ids: string[]): ScoringInput[] {
  const db = directDb();
  const subs = db
    .prepare(
      `SELECT s."id", s."customerId", s."firstSubscribedAt", s."createdAt", s."monthlyValue", s."nextBillingAt", s."cardExpiryMonth", s."cardExpiryYear", s."currency",
              h."band", h."bandSince", h."snapshot"
       FROM "Subscriber" s LEFT JOIN "HealthScore" h ON h."subscriberId" = s."id"
       WHERE s."shop" = ? AND s."id" IN (${marks(ids.length)})`,
    )
    .all(shop, ...ids) as Array<Record<string, any>>;
  // By subscriber id alone, so the planner takes the per-subscriber indexes (a shop
  // condition here makes it scan the whole shop); the shop is checked on every row below.
  const contracts = db
    .prepare(`SELECT "shop", "subscriberId", "status", "billingInterval", "billingIntervalCount" FROM "Contract" WHERE "subscriberId" IN (${marks(ids.length)})`)
    .all(...ids) as Array<Record<string, any>>;
  const events = db
    .prepare(
      `SELECT "shop", "subscriberId", "type", "occurredAt", "contractId", "data" FROM "SubscriberEvent"
       WHERE "subscriberId" IN (${marks(ids.length)}) ORDER BY "subscriberId", "occurredAt"`,
    )
    .all(...ids) as Array<Record<string, any>>;

  const byId = new Map<string, ScoringInput>();
  for (const s of subs) {
    byId.set(s.id, {
      id: s.id,
      customerId: s.customerId,
      firstSubscribedAt: date(s.firstSubscribedAt),
      createdAt: new Date(s.createdAt),
      monthlyValue: s.monthlyValue,
      nextBillingAt: date(s.nextBillingAt),
      cardExpiryMonth: s.cardExpiryMonth,
      cardExpiryYear: s.cardExpiryYear,
      currency: s.currency,
      contracts: [],
      timeline: [],
      health: s.band ? { band: s.band, bandSince: new Date(s.bandSince), snapshot: s.snapshot } : null,
    });
  }
  for (const c of contracts) {
    if (c.shop === shop) byId.get(c.subscriberId)?.contracts.push(c as ScoringInput["contracts"][number]);
  }
  for (const e of events) {
    if (e.shop !== shop) continue;
    byId.get(e.subscriberId)?.timeline.push({
      type: e.type as TimelineEventType,
      occurredAt: new Date(e.occurredAt),
      contractId: e.contractId,
      data: JSON.parse(e.data) as TimelineEventData,
    });
  }
  return [...byId.values()];
}

export interface ScoringContext {
  /** Each subscriber's weekly score of a week ago, where one was kept. */
  scoreWeekAgo: Map<string, number>;
  /** Each subscriber's firings since `since`, for cooldowns and the weekly cap. */
  recentFirings: Map<string, RecentFiring[]>;
  hasOfflineSession: boolean;
}

/** What scoring a batch needs besides the subscribers themselves, in three reads. */
export function loadScoringContext(shop: string, ids: string[], weekAgoKey: string, since: Date): ScoringContext {
  const db = directDb();
  const history = db
    .prepare(`SELECT "subscriberId", "score" FROM "HealthHistory" WHERE "shop" = ? AND "kind" = 'weekly' AND "periodKey" = ? AND "subscriberId" IN (${marks(ids.length)})`)
    .all(shop, weekAgoKey, ...ids) as { subscriberId: string; score: number }[];
  const firings = db
    .prepare(`SELECT "subscriberId", "triggerKey", "firedAt" FROM "Firing" WHERE "shop" = ? AND "firedAt" > ? AND "subscriberId" IN (${marks(ids.length)})`)
    .all(shop, sqliteTime(since), ...ids) as { subscriberId: string; triggerKey: string; firedAt: string }[];
  const session = db.prepare(`SELECT 1 AS ok FROM "Session" WHERE "shop" = ? AND "isOnline" = 0 LIMIT 1`).get(shop);
  const recentFirings = new Map<string, RecentFiring[]>();
  for (const f of firings) {
    let list = recentFirings.get(f.subscriberId);
    if (!list) recentFirings.set(f.subscriberId, (list = []));
    list.push({ triggerId: f.triggerKey, firedAt: new Date(f.firedAt) });
  }
  return { scoreWeekAgo: new Map(history.map((h) => [h.subscriberId, h.score])), recentFirings, hasOfflineSession: session != null };
}

export interface ScoreRow {
  subscriberId: string;
  shop: string;
  score: number;
  band: string;
  segmentKey: string;
  factors: string;
  signals: string;
  snapshot: string;
  computedAt: Date;
  bandSince: Date;
  /** Still subscribed: false once every contract has ended. */
  live: boolean;
}

export interface HistoryRow {
  shop: string;
  subscriberId: string;
  kind: "weekly" | "band_change";
  periodKey: string;
  at: Date;
  score: number;
  band: string;
  fromBand: string | null;
}

/**
 * The stored form of a score, for both scoring paths (bulk and one subscriber): the band's
 * start carries over unless the band changed, and a score whose every contract has ended
 * is not live.
 */
export function scoreRow(
  shop: string,
  subscriberId: string,
  result: Pick<HealthResult, "score" | "band" | "segment" | "factors" | "signals" | "cancelledAt">,
  snapshot: SubscriberSnapshot,
  previous: { band: string; bandSince: Date } | null,
  now: Date,
): ScoreRow {
  return {
    subscriberId,
    shop,
    score: result.score,
    band: result.band,
    segmentKey: result.segment.key,
    factors: JSON.stringify(result.factors),
    signals: JSON.stringify(result.signals),
    snapshot: JSON.stringify(snapshot),
    computedAt: now,
    bandSince: previous && previous.band === result.band ? previous.bandSince : now,
    live: result.cancelledAt === null,
  };
}

/** A job written with the scores (the Shopify Flow trigger a band change owes). */
export interface JobRow {
  queue: string;
  key: string;
  shop: string;
  payload: unknown;
  runAt: Date;
}

/**
 * Writes scores, history and the jobs they owe in one transaction; idempotent by each
 * table's unique key (a job already queued under its key is left as it is).
 */
export function writeScores(scores: ScoreRow[], history: HistoryRow[], jobs: JobRow[] = []): Promise<void> {
  const db = directDb();
  const upsertScore = db.prepare(
    `INSERT INTO "HealthScore" ("subscriberId", "shop", "score", "band", "segmentKey", "factors", "signals", "snapshot", "computedAt", "bandSince", "live")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("subscriberId") DO UPDATE SET "score" = excluded."score", "band" = excluded."band", "segmentKey" = excluded."segmentKey",
       "factors" = excluded."factors", "signals" = excluded."signals", "snapshot" = excluded."snapshot",
       "computedAt" = excluded."computedAt", "bandSince" = excluded."bandSince", "live" = excluded."live"`,
  );
  const upsertHistory = db.prepare(
    `INSERT INTO "HealthHistory" ("id", "shop", "subscriberId", "kind", "periodKey", "at", "score", "band", "fromBand")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("subscriberId", "kind", "periodKey") DO UPDATE SET "at" = excluded."at", "score" = excluded."score", "band" = excluded."band"`,
  );
  const insertJob = db.prepare(
    `INSERT INTO "Job" ("queue", "key", "shop", "payload", "status", "attempts", "runAt", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT ("queue", "key") DO NOTHING`,
  );
  const writeAll = db.transaction(() => {
    for (const r of scores) {
      upsertScore.run(r.subscriberId, r.shop, r.score, r.band, r.segmentKey, r.factors, r.signals, r.snapshot, sqliteTime(r.computedAt), sqliteTime(r.bandSince), r.live ? 1 : 0);
    }
    for (const h of history) {
      upsertHistory.run(randomUUID(), h.shop, h.subscriberId, h.kind, h.periodKey, sqliteTime(h.at), h.score, h.band, h.fromBand);
    }
    for (const j of jobs) {
      const at = sqliteTime(j.runAt);
      insertJob.run(j.queue, j.key, j.shop, JSON.stringify(j.payload ?? {}), at, at, at);
    }
  });
  return withRetry(() => writeAll());
}
