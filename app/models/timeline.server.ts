import { randomUUID } from "node:crypto";
import type { Prisma } from "@prisma/client";
import { isResume } from "../domain/fold";
import { STATUS_BY_EVENT, type TimelineEvent, type TimelineEventData, type TimelineEventType } from "../domain/timeline";

type Db = Prisma.TransactionClient;

export interface NewTimelineEvent {
  type: TimelineEventType;
  occurredAt: Date;
  contractId: string | null;
  data?: TimelineEventData;
  /** What makes this event unique: a retry or redelivery writes the same key, and nothing new. */
  sourceKey: string;
}

export async function appendEvents(db: Db, shop: string, subscriberId: string, events: NewTimelineEvent[]): Promise<void> {
  let earliest: Date | null = null;
  for (const e of events) {
    // Portable INSERT ... ON CONFLICT (SQLite and PostgreSQL): one statement where an
    // upsert would be a read and a write; a repeat of the same source key adds nothing.
    const added = await db.$executeRaw`
      INSERT INTO "SubscriberEvent" ("id", "shop", "subscriberId", "contractId", "type", "occurredAt", "data", "sourceKey", "createdAt")
      VALUES (${randomUUID()}, ${shop}, ${subscriberId}, ${e.contractId}, ${e.type}, ${e.occurredAt}, ${JSON.stringify(e.data ?? {})}, ${e.sourceKey}, ${new Date()})
      ON CONFLICT ("shop", "sourceKey") DO NOTHING`;
    if (added > 0 && (earliest === null || e.occurredAt < earliest)) earliest = e.occurredAt;
  }
  // Only news changes the score: a redelivery leaves the subscriber as scored.
  if (earliest) await markForRescore(db, subscriberId, earliest);
}

const STATUS_TYPES: TimelineEventType[] = [
  "contract.created",
  "contract.activated",
  "contract.resumed",
  "contract.paused",
  "contract.cancelled",
  "contract.expired",
  "contract.failed",
];

/**
 * An activation right after a pause is a resume. Deliveries arrive in any order, so
 * after every status event the contract's activations are labelled again from the
 * timeline as it now stands: a late pause turns the activation after it into a resume.
 */
export async function relabelActivations(db: Db, subscriberId: string, contractId: string): Promise<void> {
  // Through the subscriber's index: a contract belongs to one subscriber.
  const rows = await db.subscriberEvent.findMany({
    where: { subscriberId, contractId, type: { in: STATUS_TYPES } },
    orderBy: { occurredAt: "asc" },
    select: { id: true, type: true },
  });
  let previous: string | null = null;
  for (const row of rows) {
    if (row.type === "contract.activated" || row.type === "contract.resumed") {
      const type: TimelineEventType = isResume(previous ? STATUS_BY_EVENT[previous as TimelineEventType] : null) ? "contract.resumed" : "contract.activated";
      if (type !== row.type) await db.subscriberEvent.update({ where: { id: row.id }, data: { type } });
    }
    previous = row.type === "contract.resumed" ? "contract.activated" : row.type;
  }
}

/** The latest status-changing event on a contract strictly before `before`. */
export async function previousStatusEvent(db: Db, subscriberId: string, contractId: string, before: Date): Promise<TimelineEventType | null> {
  const row = await db.subscriberEvent.findFirst({
    where: {
      subscriberId,
      contractId,
      occurredAt: { lt: before },
      type: { in: STATUS_TYPES },
    },
    orderBy: { occurredAt: "desc" },
    select: { type: true },
  });
  return (row?.type as TimelineEventType | undefined) ?? null;
}

export async function loadTimeline(db: Db, shop: string, subscriberId: string): Promise<TimelineEvent[]> {
  // By subscriber alone so the (subscriberId, occurredAt) index serves it; shop checked per row.
  const rows = await db.subscriberEvent.findMany({
    where: { subscriberId },
    orderBy: { occurredAt: "asc" },
  });
  return rows.filter((r) => r.shop === shop).map((r) => ({
    type: r.type as TimelineEventType,
    occurredAt: r.occurredAt,
    contractId: r.contractId,
    data: JSON.parse(r.data) as TimelineEventData,
  }));
}

/**
 * The subscriber's score is out of date: the worker rescores it after the current batch.
 * `from` is the time of the earliest event just recorded: when it is older than the
 * last rescore, the rescore walks the history again from there.
 *
 * The mark's own time is a version stamp (a rescore clears only the marks it read), so
 * it is the machine's clock, not the events' or the caller's `now`.
 */
export async function markForRescore(db: Db, subscriberId: string, from?: Date): Promise<void> {
  // Raw (portable) SQL: this runs for nearly every delivery, and the ORM's query planning
  // would be most of its cost.
  if (from) {
    await db.$executeRaw`UPDATE "Subscriber" SET "scoreDirtyAt" = ${new Date()},
      "scoreDirtyFrom" = CASE WHEN "scoreDirtyFrom" IS NULL OR "scoreDirtyFrom" > ${from} THEN ${from} ELSE "scoreDirtyFrom" END
      WHERE "id" = ${subscriberId}`;
  } else {
    await db.$executeRaw`UPDATE "Subscriber" SET "scoreDirtyAt" = ${new Date()} WHERE "id" = ${subscriberId}`;
  }
}
