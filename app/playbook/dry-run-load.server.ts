/**
 * What the dry run replays for a chunk of subscribers (their facts and their timeline up to
 * now), in three queries on the direct connection: through the ORM, thousands of timelines
 * cost seconds.
 */
import type { TimelineEvent, TimelineEventData, TimelineEventType } from "../domain/timeline";
import { directDb, prepared, sqliteTime } from "../db-direct.server";
import { factsOf } from "../health/facts.server";
import type { SubscriberFacts } from "../health/types";

export interface ReplaySubject {
  id: string;
  status: string;
  timeline: TimelineEvent[];
  facts: SubscriberFacts;
}

const marks = (n: number) => Array.from({ length: n }, () => "?").join(",");
const date = (v: string | null): Date | null => (v == null ? null : new Date(v));

/** The shop's subscribers among `ids` that are not erased, in id order. */
export function loadReplaySubjects(shop: string, ids: readonly string[], timeZone: string, now: Date): ReplaySubject[] {
  if (ids.length === 0) return [];
  const db = directDb();
  const subs = prepared(
    db,
    `SELECT "id", "status", "firstSubscribedAt", "createdAt", "monthlyValue", "nextBillingAt", "cardExpiryMonth", "cardExpiryYear", "currency"
     FROM "Subscriber" WHERE "shop" = ? AND "redactedAt" IS NULL AND "id" IN (${marks(ids.length)}) ORDER BY "id"`,
  ).all(shop, ...ids) as Array<Record<string, any>>;
  // By subscriber id alone, so SQLite takes the per-subscriber indexes; the shop is checked on each row.
  const contracts = prepared(db, `SELECT "shop", "subscriberId", "status", "billingInterval", "billingIntervalCount" FROM "Contract" WHERE "subscriberId" IN (${marks(ids.length)})`).all(
    ...ids,
  ) as Array<Record<string, any>>;
  const events = prepared(
    db,
    `SELECT "shop", "subscriberId", "type", "occurredAt", "contractId", "data" FROM "SubscriberEvent"
     WHERE "subscriberId" IN (${marks(ids.length)}) AND "occurredAt" <= ? ORDER BY "subscriberId", "occurredAt"`,
  ).all(...ids, sqliteTime(now)) as Array<Record<string, any>>;

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
  return subs.map((s) => ({
    id: s.id,
    status: s.status,
    timeline: timelines.get(s.id) ?? [],
    facts: factsOf(
      {
        firstSubscribedAt: date(s.firstSubscribedAt),
        createdAt: new Date(s.createdAt),
        monthlyValue: s.monthlyValue,
        nextBillingAt: date(s.nextBillingAt),
        cardExpiryMonth: s.cardExpiryMonth,
        cardExpiryYear: s.cardExpiryYear,
        currency: s.currency,
      },
      (contractsOf.get(s.id) ?? []) as never,
      timeZone,
      now,
    ),
  }));
}
