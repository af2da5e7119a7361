import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { Prisma } from "@prisma/client";
import { perConnection, sqliteTime } from "../db-direct.server";
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

const STATUS_TYPES: TimelineEventType[] = [
  "contract.created",
  "contract.activated",
  "contract.resumed",
  "contract.paused",
  "contract.cancelled",
  "contract.expired",
  "contract.failed",
];

// The intake's writes, in a transaction on the direct connection (app/db-direct.server.ts):
// portable SQL, dates in Prisma's text form so every other reader reads them through Prisma.
const statements = perConnection((db) => ({
  insertEvent: db.prepare(
    `INSERT INTO "SubscriberEvent" ("id", "shop", "subscriberId", "contractId", "type", "occurredAt", "data", "sourceKey", "createdAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("shop", "sourceKey") DO NOTHING`,
  ),
  markFrom: db.prepare(
    `UPDATE "Subscriber" SET "scoreDirtyAt" = ?,
       "scoreDirtyFrom" = CASE WHEN "scoreDirtyFrom" IS NULL OR "scoreDirtyFrom" > ? THEN ? ELSE "scoreDirtyFrom" END
     WHERE "id" = ?`,
  ),
  mark: db.prepare(`UPDATE "Subscriber" SET "scoreDirtyAt" = ? WHERE "id" = ?`),
  // The types are this module's constants, not input: written into the SQL as literals.
  statusEvents: db.prepare(
    `SELECT "id", "type", "occurredAt" FROM "SubscriberEvent"
     WHERE "subscriberId" = ? AND "contractId" = ? AND "type" IN (${STATUS_TYPES.map((t) => `'${t}'`).join(", ")})
     ORDER BY "occurredAt" ASC`,
  ),
  setType: db.prepare(`UPDATE "SubscriberEvent" SET "type" = ? WHERE "id" = ?`),
}));

/**
 * Adds events to a subscriber's timeline, in the caller's transaction on the direct
 * connection. A repeat of the same source key adds nothing; only news changes the score,
 * so a redelivery leaves the subscriber as scored.
 */
export function appendEventsDirect(db: Database.Database, shop: string, subscriberId: string, events: NewTimelineEvent[]): void {
  const { insertEvent } = statements(db);
  const createdAt = sqliteTime(new Date());
  let earliest: Date | null = null;
  for (const e of events) {
    const added = insertEvent.run(randomUUID(), shop, subscriberId, e.contractId, e.type, sqliteTime(e.occurredAt), JSON.stringify(e.data ?? {}), e.sourceKey, createdAt).changes;
    if (added > 0) earliest = earlier(earliest, e.occurredAt);
  }
  if (earliest) markForRescoreDirect(db, subscriberId, earliest);
}

/**
 * The subscriber's score is out of date: the worker rescores it after the current batch.
 * `from` is the time of the earliest event just recorded: when it is older than the
 * last rescore, the rescore walks the history again from there.
 *
 * The mark's own time is a version stamp (a rescore clears only the marks it read), so
 * it is the machine's clock, not the events' or the caller's `now`.
 */
export function markForRescoreDirect(db: Database.Database, subscriberId: string, from?: Date): void {
  const s = statements(db);
  const at = sqliteTime(new Date());
  if (from) {
    const t = sqliteTime(from);
    s.markFrom.run(at, t, t, subscriberId);
  } else {
    s.mark.run(at, subscriberId);
  }
}

/**
 * An activation right after a pause is a resume. Deliveries arrive in any order, so
 * after every status event the contract's activations are labelled again from the
 * timeline as it now stands: a late pause turns the activation after it into a resume.
 */
export function relabelActivations(db: Database.Database, subscriberId: string, contractId: string): void {
  const s = statements(db);
  let previous: string | null = null;
  for (const row of statusEvents(db, subscriberId, contractId)) {
    if (row.type === "contract.activated" || row.type === "contract.resumed") {
      const type: TimelineEventType = isResume(previous ? STATUS_BY_EVENT[previous as TimelineEventType] : null) ? "contract.resumed" : "contract.activated";
      if (type !== row.type) s.setType.run(type, row.id);
    }
    previous = row.type === "contract.resumed" ? "contract.activated" : row.type;
  }
}

/** The latest status-changing event on a contract strictly before `before`. */
export function previousStatusEvent(db: Database.Database, subscriberId: string, contractId: string, before: Date): TimelineEventType | null {
  let previous: TimelineEventType | null = null;
  for (const row of statusEvents(db, subscriberId, contractId)) {
    if (Date.parse(row.occurredAt) >= before.getTime()) break;
    previous = row.type as TimelineEventType;
  }
  return previous;
}

/** A contract's status events in time order, through the subscriber's index (a contract belongs to one subscriber). */
function statusEvents(db: Database.Database, subscriberId: string, contractId: string): { id: string; type: string; occurredAt: string }[] {
  return statements(db).statusEvents.all(subscriberId, contractId) as { id: string; type: string; occurredAt: string }[];
}

// ---- The same on Prisma, for callers outside the intake (tests, seeding scripts)

/** `appendEventsDirect` on Prisma. */
export async function appendEvents(db: Db, shop: string, subscriberId: string, events: NewTimelineEvent[]): Promise<void> {
  let earliest: Date | null = null;
  for (const e of events) {
    // Portable INSERT ... ON CONFLICT (SQLite and PostgreSQL): one statement where an
    // upsert would be a read and a write; a repeat of the same source key adds nothing.
    const added = await db.$executeRaw`
      INSERT INTO "SubscriberEvent" ("id", "shop", "subscriberId", "contractId", "type", "occurredAt", "data", "sourceKey", "createdAt")
      VALUES (${randomUUID()}, ${shop}, ${subscriberId}, ${e.contractId}, ${e.type}, ${e.occurredAt}, ${JSON.stringify(e.data ?? {})}, ${e.sourceKey}, ${new Date()})
      ON CONFLICT ("shop", "sourceKey") DO NOTHING`;
    if (added > 0) earliest = earlier(earliest, e.occurredAt);
  }
  // Only news changes the score: a redelivery leaves the subscriber as scored.
  if (earliest) await markForRescore(db, subscriberId, earliest);
}

/** `markForRescoreDirect` for callers on Prisma. */
export async function markForRescore(db: Db, subscriberId: string, from?: Date): Promise<void> {
  if (from) {
    await db.$executeRaw`UPDATE "Subscriber" SET "scoreDirtyAt" = ${new Date()},
      "scoreDirtyFrom" = CASE WHEN "scoreDirtyFrom" IS NULL OR "scoreDirtyFrom" > ${from} THEN ${from} ELSE "scoreDirtyFrom" END
      WHERE "id" = ${subscriberId}`;
  } else {
    await db.$executeRaw`UPDATE "Subscriber" SET "scoreDirtyAt" = ${new Date()} WHERE "id" = ${subscriberId}`;
  }
}

function earlier(a: Date | null, b: Date): Date {
  return a === null || b < a ? b : a;
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

