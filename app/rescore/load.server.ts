/**
 * Reads what rescoring a batch of one shop's subscribers needs, in a handful of queries on
 * the direct connection (the ORM's per-query cost would be most of an incremental
 * update): the subscribers with their facts and stored score, their timelines, their
 * recent firings, and whether the shop can receive Shopify Flow triggers.
 */
import type { TimelineEvent, TimelineEventData, TimelineEventType } from "../domain/timeline";
import { directDb, prepared, sqliteTime } from "../db-direct.server";
import { factsOf } from "../health/facts.server";
import type { RecentFiring } from "../playbook/types";
import type { PlanSubscriber } from "./plan";
import type { OpenTaskRef } from "./task-closes";

const date = (v: string | number | null): Date | null => (v == null ? null : new Date(v));
const marks = (n: number) => Array.from({ length: n }, () => "?").join(",");

export interface BatchInputs {
  subscribers: PlanSubscriber[];
  /** Each subscriber's dirty mark as read, so only those marks are cleared after writing. */
  dirtyMarks: Map<string, string | null>;
  hasOfflineSession: boolean;
}

export function loadBatch(shop: string, ids: string[], timeZone: string, now: Date, firingsSince: Date): BatchInputs {
  const db = directDb();
  const subs = prepared(
    db,
      `SELECT s."id", s."customerId", s."email", s."redactedAt", s."firstSubscribedAt", s."createdAt", s."monthlyValue", s."nextBillingAt",
              s."cardExpiryMonth", s."cardExpiryYear", s."currency", s."scoreDirtyAt", s."scoreDirtyFrom",
              h."band", h."bandSince", h."stepAt", h."stepBand"
       FROM "Subscriber" s LEFT JOIN "HealthScore" h ON h."subscriberId" = s."id"
       WHERE s."shop" = ? AND s."id" IN (${marks(ids.length)})`,
    )
    .all(shop, ...ids) as Array<Record<string, any>>;
  // By subscriber id alone, so the planner takes the per-subscriber indexes (a shop
  // condition here makes it scan the whole shop); the shop is checked on every row below.
  const contracts = prepared(db, `SELECT "shop", "subscriberId", "status", "billingInterval", "billingIntervalCount" FROM "Contract" WHERE "subscriberId" IN (${marks(ids.length)})`)
    .all(...ids) as Array<Record<string, any>>;
  const events = prepared(
    db,
      `SELECT "shop", "subscriberId", "type", "occurredAt", "contractId", "data" FROM "SubscriberEvent"
       WHERE "subscriberId" IN (${marks(ids.length)}) ORDER BY "subscriberId", "occurredAt"`,
    )
    .all(...ids) as Array<Record<string, any>>;
  const firings = prepared(db, `SELECT "subscriberId", "triggerKey", "firedAt" FROM "Firing" WHERE "shop" = ? AND "firedAt" > ? AND "subscriberId" IN (${marks(ids.length)})`)
    .all(shop, sqliteTime(firingsSince), ...ids) as { subscriberId: string; triggerKey: string; firedAt: string }[];
  // The shop's open tasks, by the (shop, status) index: the batch's are picked out below.
  const tasks = prepared(
    db,
    `SELECT t."id", t."subscriberId", COALESCE(f."firedAt", t."createdAt") AS "openedAt" FROM "Task" t LEFT JOIN "Firing" f ON f."id" = t."firingId"
     WHERE t."shop" = ? AND t."status" IN ('open', 'snoozed')`,
  ).all(shop) as { id: string; subscriberId: string; openedAt: string | number }[];
  const session = prepared(db, `SELECT 1 AS ok FROM "Session" WHERE "shop" = ? AND "isOnline" = 0 LIMIT 1`).get(shop);

  const contractsOf = new Map<string, Record<string, any>[]>();
  for (const c of contracts) {
    if (c.shop !== shop) continue;
    const list = contractsOf.get(c.subscriberId);
    if (list) list.push(c);
    else contractsOf.set(c.subscriberId, [c]);
  }
  const timelines = new Map<string, TimelineEvent[]>();
  for (const e of events) {
    if (e.shop !== shop) continue;
    let list = timelines.get(e.subscriberId);
    if (!list) timelines.set(e.subscriberId, (list = []));
    list.push({ type: e.type as TimelineEventType, occurredAt: new Date(e.occurredAt), contractId: e.contractId, data: JSON.parse(e.data) as TimelineEventData });
  }
  const recent = new Map<string, RecentFiring[]>();
  for (const f of firings) {
    let list = recent.get(f.subscriberId);
    if (!list) recent.set(f.subscriberId, (list = []));
    list.push({ triggerId: f.triggerKey, firedAt: new Date(f.firedAt) });
  }

  const inBatch = new Set(ids);
  const openTasks = new Map<string, OpenTaskRef[]>();
  for (const t of tasks) {
    if (!inBatch.has(t.subscriberId)) continue;
    let list = openTasks.get(t.subscriberId);
    if (!list) openTasks.set(t.subscriberId, (list = []));
    list.push({ id: t.id, openedAt: new Date(t.openedAt) });
  }

  const dirtyMarks = new Map<string, string | null>();
  const subscribers: PlanSubscriber[] = subs.map((s) => {
    dirtyMarks.set(s.id, s.scoreDirtyAt ?? null);
    const subscriber = {
      firstSubscribedAt: date(s.firstSubscribedAt),
      createdAt: new Date(s.createdAt),
      monthlyValue: s.monthlyValue,
      nextBillingAt: date(s.nextBillingAt),
      cardExpiryMonth: s.cardExpiryMonth,
      cardExpiryYear: s.cardExpiryYear,
      currency: s.currency,
    };
    const timeline = timelines.get(s.id) ?? [];
    // Tenure starts with the first contract Shopify knows of, else the first event.
    if (!subscriber.firstSubscribedAt && timeline.length > 0) subscriber.firstSubscribedAt = timeline[0].occurredAt;
    return {
      id: s.id,
      customerId: s.customerId,
      canEmail: Boolean(s.email) && !s.redactedAt,
      timeline,
      facts: factsOf(subscriber, (contractsOf.get(s.id) ?? []) as never, timeZone, now),
      previous:
        s.band && s.stepAt
          ? { band: s.band, bandSince: new Date(s.bandSince), stepAt: new Date(s.stepAt), stepBand: s.stepBand ?? s.band }
          : null,
      changedFrom: date(s.scoreDirtyFrom),
      recentFirings: recent.get(s.id) ?? [],
      openTasks: openTasks.get(s.id) ?? [],
    };
  });
  return { subscribers, dirtyMarks, hasOfflineSession: session != null };
}
