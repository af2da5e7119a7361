import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { SubscriptionContractNode } from "../graphql/SubscriptionContractFields";
import { perConnection, sqliteTime } from "../db-direct.server";
import { monthlyValue } from "../domain/monthly-value";
import { isNewerState, statusFromPayload } from "../domain/contract-state";
import type { TimelineEventData, TimelineEventType } from "../domain/timeline";
import { ensureSubscriber, recordCard } from "./subscriber.server";
import { appendEventsDirect, type NewTimelineEvent } from "./timeline.server";

/**
 * Contracts as the intake writes them (webhooks, enrichment, backfill), inside a
 * transaction on the direct connection (app/db-direct.server.ts). Portable SQL; dates
 * in Prisma's text form, so the pages read these rows back through Prisma.
 */
const statements = perConnection((db) => ({
  subscriberOf: db.prepare(`SELECT "subscriberId" FROM "Contract" WHERE "shop" = ? AND "contractId" = ?`),
  find: db.prepare(
    `SELECT "id", "subscriberId", "statusRevision", "statusAt", "monthlyValue", "enrichedAt" FROM "Contract" WHERE "shop" = ? AND "contractId" = ?`,
  ),
  create: db.prepare(
    `INSERT INTO "Contract" ("id", "shop", "contractId", "subscriberId", "status", "statusRevision", "statusAt", "currency", "billingInterval", "billingIntervalCount")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  // A fact the payload does not carry (null here) stays as it is.
  moveState: db.prepare(
    `UPDATE "Contract" SET "status" = ?, "statusRevision" = ?, "statusAt" = ?, "currency" = COALESCE(?, "currency"),
       "billingInterval" = COALESCE(?, "billingInterval"), "billingIntervalCount" = COALESCE(?, "billingIntervalCount")
     WHERE "id" = ?`,
  ),
  createFromNode: db.prepare(
    `INSERT INTO "Contract" ("id", "shop", "contractId", "subscriberId", "status", "statusAt", "currency", "monthlyValue", "billingInterval",
       "billingIntervalCount", "nextBillingAt", "createdAtShopify", "lines", "enrichedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  // Status and its time are written only when the first and third placeholders are 1 (see saveContractNode).
  updateFromNode: db.prepare(
    `UPDATE "Contract" SET "status" = CASE WHEN ? = 1 THEN ? ELSE "status" END, "statusAt" = CASE WHEN ? = 1 THEN ? ELSE "statusAt" END,
       "subscriberId" = ?, "currency" = ?, "monthlyValue" = ?, "billingInterval" = ?, "billingIntervalCount" = ?, "nextBillingAt" = ?,
       "createdAtShopify" = ?, "lines" = ?, "enrichedAt" = ?
     WHERE "id" = ?`,
  ),
  hold: db.prepare(
    `INSERT INTO "UnattachedEvent" ("shop", "contractId", "type", "occurredAt", "data", "sourceKey", "createdAt")
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("shop", "sourceKey") DO NOTHING`,
  ),
  held: db.prepare(`SELECT "type", "occurredAt", "data", "sourceKey" FROM "UnattachedEvent" WHERE "shop" = ? AND "contractId" = ? ORDER BY "id" ASC`),
  dropHeld: db.prepare(`DELETE FROM "UnattachedEvent" WHERE "shop" = ? AND "contractId" = ?`),
}));

export function numericId(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

/** Whose contract this is, when it is known: one indexed read, for the billing and cycle webhooks. */
export function subscriberIdOfContract(db: Database.Database, shop: string, contractId: string): string | null {
  return (statements(db).subscriberOf.get(shop, contractId) as { subscriberId: string } | undefined)?.subscriberId ?? null;
}

/** What the intake reads of a contract it holds: whose it is, its state's version, its value, whether enriched. */
export interface KnownContract {
  id: string;
  subscriberId: string;
  statusRevision: string | null;
  statusAt: Date | null;
  monthlyValue: number | null;
  enrichedAt: Date | null;
}

export function findContract(db: Database.Database, shop: string, contractId: string): KnownContract | null {
  const row = statements(db).find.get(shop, contractId) as
    | { id: string; subscriberId: string; statusRevision: string | null; statusAt: string | null; monthlyValue: number | null; enrichedAt: string | null }
    | undefined;
  if (!row) return null;
  return { ...row, statusAt: row.statusAt === null ? null : new Date(row.statusAt), enrichedAt: row.enrichedAt === null ? null : new Date(row.enrichedAt) };
}

/** A contract's state as a contract webhook carries it: its status, and the version it is at. */
export interface ContractState {
  status: string;
  revision: string | null;
  at: Date;
}

/** A contract first heard of in a contract webhook: its state and the plan facts the payload carries. */
export function createContract(db: Database.Database, shop: string, contractId: string, subscriberId: string, state: ContractState, facts: PlanFacts): void {
  // The schema's ids are opaque strings: a UUID serves as well as Prisma's cuid.
  statements(db).create.run(
    randomUUID(),
    shop,
    contractId,
    subscriberId,
    state.status,
    state.revision,
    sqliteTime(state.at),
    facts.currency ?? null,
    facts.billingInterval ?? null,
    facts.billingIntervalCount ?? null,
  );
}

/** A known contract's newer state (the caller has checked it is newer), with the plan facts the payload carries. */
export function moveContractState(db: Database.Database, id: string, state: ContractState, facts: PlanFacts): void {
  statements(db).moveState.run(state.status, state.revision, sqliteTime(state.at), facts.currency ?? null, facts.billingInterval ?? null, facts.billingIntervalCount ?? null, id);
}

/** Contract facts only the Admin API has: lines and prices, dates, the customer and their card. */
export function factsFromNode(node: SubscriptionContractNode) {
  const lines = node.lines.nodes.map((l) => ({
    title: l.title,
    variantTitle: l.variantTitle,
    quantity: l.quantity,
    price: Number(l.currentPrice.amount),
  }));
  return {
    currency: node.currencyCode,
    monthlyValue: monthlyValue(lines, node.deliveryPolicy.interval, node.deliveryPolicy.intervalCount),
    billingInterval: node.billingPolicy.interval,
    billingIntervalCount: node.billingPolicy.intervalCount,
    nextBillingAt: node.nextBillingDate ? new Date(node.nextBillingDate) : null,
    createdAtShopify: new Date(node.createdAt),
    lines: JSON.stringify(lines),
  };
}

/**
 * Keeps the events of a contract whose subscriber is not known yet (billing and cycle
 * payloads name only the contract). A redelivery writes the same source key: nothing new.
 */
export function holdEvents(db: Database.Database, shop: string, contractId: string, events: NewTimelineEvent[]): void {
  const { hold } = statements(db);
  const createdAt = sqliteTime(new Date());
  for (const e of events) hold.run(shop, contractId, e.type, sqliteTime(e.occurredAt), JSON.stringify(e.data ?? {}), e.sourceKey, createdAt);
}

/**
 * Moves a contract's held events onto its subscriber's timeline, once it is known whose
 * contract it is. They keep their source keys, so attaching twice adds nothing.
 */
export function attachHeldEvents(db: Database.Database, shop: string, contractId: string, subscriberId: string): void {
  const s = statements(db);
  const held = s.held.all(shop, contractId) as { type: string; occurredAt: string; data: string; sourceKey: string }[];
  if (held.length === 0) return;
  appendEventsDirect(
    db,
    shop,
    subscriberId,
    held.map((h) => ({
      type: h.type as TimelineEventType,
      occurredAt: new Date(h.occurredAt),
      contractId,
      data: JSON.parse(h.data) as TimelineEventData,
      sourceKey: h.sourceKey,
    })),
  );
  // All of them were read: the transaction holds the write lock, so none arrived since.
  s.dropHeld.run(shop, contractId);
}

/** What a contract webhook itself says about the plan: its billing rhythm and currency. */
export function factsFromPayload(p: { currency_code?: string | null; billing_policy?: { interval: string; interval_count: number } | null }) {
  return {
    ...(p.currency_code ? { currency: p.currency_code } : {}),
    ...(p.billing_policy ? { billingInterval: p.billing_policy.interval.toUpperCase(), billingIntervalCount: p.billing_policy.interval_count } : {}),
  };
}
type PlanFacts = ReturnType<typeof factsFromPayload>;

/**
 * Writes what the Admin API says about a contract (and its subscriber). Returns the
 * subscriber id and the contract's monthly value before and after this write, so the
 * caller can tell an edit from a no-op. Status is written only when the node's state is newer.
 */
export function saveContractNode(
  db: Database.Database,
  shop: string,
  node: SubscriptionContractNode,
  now: Date,
): { subscriberId: string; previousValue: number | null; value: number; contractId: string } {
  const contractId = numericId(node.id);
  const customerId = node.customer ? numericId(node.customer.id) : null;
  const existing = findContract(db, shop, contractId);
  if (!customerId && !existing) throw new Error(`contract ${contractId} has no customer`);
  const subscriberId = customerId ? ensureSubscriber(db, shop, customerId, node.customer ?? undefined) : existing!.subscriberId;
  const facts = factsFromNode(node);
  const updatedAt = new Date(node.updatedAt);
  const status = statusFromPayload(node.status);
  const written = [
    facts.currency,
    facts.monthlyValue,
    facts.billingInterval,
    facts.billingIntervalCount,
    facts.nextBillingAt && sqliteTime(facts.nextBillingAt),
    sqliteTime(facts.createdAtShopify),
    facts.lines,
    sqliteTime(now),
  ];
  const s = statements(db);
  if (!existing) {
    s.createFromNode.run(randomUUID(), shop, contractId, subscriberId, status, sqliteTime(updatedAt), ...written);
  } else {
    // Once a contract webhook has set the status (it carries a revision), only webhooks move it.
    const statusIsNewer = !existing.statusRevision && isNewerState({ revision: null, at: existing.statusAt }, { revision: null, at: updatedAt }) ? 1 : 0;
    s.updateFromNode.run(statusIsNewer, status, statusIsNewer, sqliteTime(updatedAt), subscriberId, ...written, existing.id);
  }
  attachHeldEvents(db, shop, contractId, subscriberId);
  const instrument = node.customerPaymentMethod?.instrument;
  if (instrument && "expiryMonth" in instrument) {
    recordCard(db, subscriberId, { month: instrument.expiryMonth, year: instrument.expiryYear }, updatedAt);
  }
  return { subscriberId, previousValue: existing?.monthlyValue ?? null, value: facts.monthlyValue, contractId };
}

const sourceStatements = perConnection((db) => ({
  read: db.prepare(
    `SELECT "id", "subscriberId", "status", "statusAt", "currency", "monthlyValue", "billingInterval", "billingIntervalCount", "nextBillingAt",
       "createdAtShopify", "lines" FROM "Contract" WHERE "shop" = ? AND "contractId" = ?`,
  ),
  insert: db.prepare(
    `INSERT INTO "Contract" ("id", "shop", "contractId", "subscriberId", "status", "statusAt", "currency", "monthlyValue", "billingInterval",
       "billingIntervalCount", "nextBillingAt", "createdAtShopify", "lines", "enrichedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  fill: db.prepare(
    `UPDATE "Contract" SET "currency" = COALESCE("currency", ?), "monthlyValue" = COALESCE("monthlyValue", ?), "billingInterval" = COALESCE("billingInterval", ?),
       "billingIntervalCount" = COALESCE("billingIntervalCount", ?), "createdAtShopify" = COALESCE("createdAtShopify", ?), "lines" = COALESCE("lines", ?)
     WHERE "id" = ?`,
  ),
  update: db.prepare(
    `UPDATE "Contract" SET "subscriberId" = ?, "status" = ?, "statusAt" = ?, "currency" = ?, "monthlyValue" = ?, "billingInterval" = ?,
       "billingIntervalCount" = ?, "nextBillingAt" = ?, "createdAtShopify" = ?, "lines" = ?, "enrichedAt" = ?
     WHERE "id" = ?`,
  ),
}));

/** What a subscription app's payload says about a contract as it stands at `asOf` (absent: not said). */
export interface SourceFacts {
  status?: string;
  currency?: string | null;
  billingInterval?: string | null;
  billingIntervalCount?: number | null;
  monthlyValue?: number | null;
  lines?: { title: string; variantTitle: string | null; quantity: number; price: number }[];
  nextBillingAt?: Date | null;
  createdAt?: Date | null;
}

/**
 * Writes a subscription app's view of a contract. The view moves forward only: a payload
 * older than what is held (a late delivery, a backfill page read before a webhook) adds
 * nothing to the row, though its events still land at their times. Returns the monthly
 * value before and after, so the caller can tell an edit, and whether the row was new.
 */
export function saveSourceContract(
  db: Database.Database,
  shop: string,
  contractId: string,
  subscriberId: string,
  facts: SourceFacts,
  asOf: Date,
  now: Date,
): { created: boolean; previousValue: number | null; value: number | null; applied: boolean; previousStatus: string | null; previousStatusAt: Date | null } {
  const s = sourceStatements(db);
  const row = s.read.get(shop, contractId) as
    | {
        id: string;
        subscriberId: string;
        status: string;
        statusAt: string | null;
        currency: string | null;
        monthlyValue: number | null;
        billingInterval: string | null;
        billingIntervalCount: number | null;
        nextBillingAt: string | null;
        createdAtShopify: string | null;
        lines: string | null;
      }
    | undefined;
  const pick = <T>(given: T | undefined, held: T | null): T | null => (given === undefined ? held : given);
  const time = (d: Date | null | undefined) => (d ? sqliteTime(d) : null);
  if (!row) {
    s.insert.run(
      randomUUID(),
      shop,
      contractId,
      subscriberId,
      facts.status ?? "active",
      sqliteTime(asOf),
      facts.currency ?? null,
      facts.monthlyValue ?? null,
      facts.billingInterval ?? null,
      facts.billingIntervalCount ?? null,
      time(facts.nextBillingAt),
      time(facts.createdAt),
      facts.lines ? JSON.stringify(facts.lines) : null,
      sqliteTime(now),
    );
    return { created: true, previousValue: null, value: facts.monthlyValue ?? null, applied: true, previousStatus: null, previousStatusAt: null };
  }
  const held = { previousStatus: row.status, previousStatusAt: row.statusAt === null ? null : new Date(row.statusAt) };
  if (row.statusAt && Date.parse(row.statusAt) > asOf.getTime()) {
    // An older view: it moves nothing, but fills what no view has said yet (a late creation's price).
    s.fill.run(facts.currency ?? null, facts.monthlyValue ?? null, facts.billingInterval ?? null, facts.billingIntervalCount ?? null, time(facts.createdAt), facts.lines ? JSON.stringify(facts.lines) : null, row.id);
    const value = row.monthlyValue ?? facts.monthlyValue ?? null;
    return { created: false, previousValue: row.monthlyValue, value, applied: false, ...held };
  }
  const value = pick(facts.monthlyValue, row.monthlyValue);
  s.update.run(
    subscriberId,
    facts.status ?? row.status,
    sqliteTime(asOf),
    pick(facts.currency, row.currency),
    value,
    pick(facts.billingInterval, row.billingInterval),
    pick(facts.billingIntervalCount, row.billingIntervalCount),
    facts.nextBillingAt === undefined ? row.nextBillingAt : time(facts.nextBillingAt),
    // The start is only ever learned, never forgotten.
    row.createdAtShopify ?? time(facts.createdAt),
    facts.lines ? JSON.stringify(facts.lines) : row.lines,
    sqliteTime(now),
    row.id,
  );
  return { created: false, previousValue: row.monthlyValue, value, applied: true, ...held };
}
