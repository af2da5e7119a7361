import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { perConnection, sqliteTime } from "../db-direct.server";
import { rollupStatus } from "../domain/contract-state";

/**
 * Subscribers as the intake writes them, inside a transaction on the direct connection
 * (app/db-direct.server.ts). Portable SQL; dates in Prisma's text form, so the pages read
 * these rows back through Prisma.
 */
const statements = perConnection((db) => ({
  byCustomer: db.prepare(`SELECT "id", "redactedAt" FROM "Subscriber" WHERE "shop" = ? AND "customerId" = ?`),
  byEmail: db.prepare(`SELECT "id" FROM "Subscriber" WHERE "shop" = ? AND lower("email") = ? ORDER BY "createdAt" ASC LIMIT 1`),
  insert: db.prepare(
    `INSERT INTO "Subscriber" ("id", "shop", "customerId", "email", "firstName", "lastName", "displayName", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  identify: db.prepare(`UPDATE "Subscriber" SET "email" = ?, "firstName" = ?, "lastName" = ?, "displayName" = ?, "updatedAt" = ? WHERE "id" = ?`),
  contracts: db.prepare(`SELECT "status", "monthlyValue", "currency", "nextBillingAt", "createdAtShopify" FROM "Contract" WHERE "subscriberId" = ?`),
  rollup: db.prepare(
    `UPDATE "Subscriber" SET "status" = ?, "monthlyValue" = ?, "currency" = ?, "nextBillingAt" = ?,
       "firstSubscribedAt" = COALESCE(?, "firstSubscribedAt"), "scoreDirtyAt" = ?, "updatedAt" = ?
     WHERE "id" = ?`,
  ),
  card: db.prepare(
    `UPDATE "Subscriber" SET "cardExpiryMonth" = ?, "cardExpiryYear" = ?, "cardUpdatedAt" = ?, "updatedAt" = ?
     WHERE "id" = ? AND ("cardUpdatedAt" IS NULL OR "cardUpdatedAt" <= ?)`,
  ),
}));

export interface SubscriberIdentity {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  displayName?: string | null;
}

/** The subscriber for a Shopify customer, created on first sight. Returns its id. */
export function ensureSubscriber(db: Database.Database, shop: string, customerId: string, identity?: SubscriberIdentity): string {
  const s = statements(db);
  const fields = identity
    ? [identity.email ?? null, identity.firstName ?? null, identity.lastName ?? null, identity.displayName ?? null]
    : [null, null, null, null];
  const at = sqliteTime(new Date());
  const row = s.byCustomer.get(shop, customerId) as { id: string; redactedAt: string | null } | undefined;
  if (!row) {
    // The schema's ids are opaque strings: a UUID serves as well as Prisma's cuid.
    const id = randomUUID();
    s.insert.run(id, shop, customerId, ...fields, at, at);
    return id;
  }
  // A redacted subscriber stays redacted: identity is never written back.
  if (identity && !row.redactedAt) s.identify.run(...fields, at, row.id);
  return row.id;
}

/** The subscriber a helpdesk ticket is about: by Shopify customer id first (exact), else by email, ignoring case. */
export function findSubscriberId(db: Database.Database, shop: string, customerId: string | null, email: string | null): string | null {
  const s = statements(db);
  if (customerId) {
    const row = s.byCustomer.get(shop, customerId) as { id: string } | undefined;
    if (row) return row.id;
  }
  const wanted = email?.trim().toLowerCase();
  if (!wanted) return null;
  return (s.byEmail.get(shop, wanted) as { id: string } | undefined)?.id ?? null;
}

interface ContractForRollup {
  status: string;
  monthlyValue: number | null;
  currency: string | null;
  nextBillingAt: Date | null;
  createdAtShopify: Date | null;
}

/** What a subscriber's contracts say about them: status, value, currency, next billing, start. */
function rollupOf(contracts: ContractForRollup[]) {
  const active = contracts.filter((c) => c.status === "active");
  // A paused subscriber is still worth what their paused plan bills: that is the revenue at risk.
  const valued = active.length > 0 ? active : contracts.filter((c) => c.status === "paused");
  const earliest = (dates: (Date | null)[]) =>
    dates.filter((d): d is Date => d != null).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
  return {
    status: rollupStatus(contracts.map((c) => c.status)),
    monthlyValue: Math.round(valued.reduce((s, c) => s + (c.monthlyValue ?? 0), 0) * 100) / 100,
    currency: contracts.find((c) => c.currency)?.currency ?? null,
    nextBillingAt: earliest(active.map((c) => c.nextBillingAt)),
    firstSubscribedAt: earliest(contracts.map((c) => c.createdAtShopify)),
  };
}

/** Recomputes what a subscriber's contracts say about them, and marks their score out of date. */
export function refreshRollup(db: Database.Database, subscriberId: string): void {
  const s = statements(db);
  const rows = s.contracts.all(subscriberId) as { status: string; monthlyValue: number | null; currency: string | null; nextBillingAt: string | null; createdAtShopify: string | null }[];
  const r = rollupOf(
    rows.map((c) => ({
      ...c,
      nextBillingAt: c.nextBillingAt === null ? null : new Date(c.nextBillingAt),
      createdAtShopify: c.createdAtShopify === null ? null : new Date(c.createdAtShopify),
    })),
  );
  const at = sqliteTime(new Date());
  // The start is only ever learned, never forgotten; value, status or next billing may
  // have changed, so the score is out of date (the mark is the machine's clock).
  s.rollup.run(r.status, r.monthlyValue, r.currency, r.nextBillingAt && sqliteTime(r.nextBillingAt), r.firstSubscribedAt && sqliteTime(r.firstSubscribedAt), at, at, subscriberId);
}

/** Keeps the newest card on file; an older delivery arriving late changes nothing. */
export function recordCard(db: Database.Database, subscriberId: string, card: { month: number; year: number } | null, at: Date): void {
  const t = sqliteTime(at);
  statements(db).card.run(card?.month ?? null, card?.year ?? null, t, sqliteTime(new Date()), subscriberId, t);
}

const sourceStatements = perConnection((db) => ({
  adopt: db.prepare(`UPDATE "Subscriber" SET "customerId" = ?, "updatedAt" = ? WHERE "id" = ?`),
  identityOf: db.prepare(`SELECT "email", "firstName", "lastName", "displayName", "redactedAt" FROM "Subscriber" WHERE "id" = ?`),
  fillIdentity: db.prepare(
    `UPDATE "Subscriber" SET "email" = COALESCE("email", ?), "firstName" = COALESCE("firstName", ?), "lastName" = COALESCE("lastName", ?),
       "displayName" = COALESCE("displayName", ?), "updatedAt" = ?
     WHERE "id" = ? AND "redactedAt" IS NULL`,
  ),
}));

/** Who a subscription app's event is about, as it names them. */
export interface SourceCustomerRef {
  shopifyCustomerId: string | null;
  email: string | null;
  vendorCustomerId: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

/**
 * The subscriber a subscription app's event is about: by Shopify customer id (exact),
 * else by email (ignoring case), else by the app's own customer id until Shopify's is
 * known. Such a subscriber is kept under `<source>:<vendor id>` (no Shopify id has a
 * colon) and takes the Shopify id the first time an event carries it. Identity the
 * payload carries fills what is not yet known; Shopify's customer record (enrichment)
 * has the last word. Null when the event names no one.
 */
export function resolveSourceSubscriber(db: Database.Database, shop: string, source: string, who: SourceCustomerRef): string | null {
  const s = statements(db);
  const placeholder = who.vendorCustomerId ? `${source}:${who.vendorCustomerId}` : null;
  const email = who.email?.trim().toLowerCase() || null;
  let id: string | null = null;
  if (who.shopifyCustomerId) {
    id = (s.byCustomer.get(shop, who.shopifyCustomerId) as { id: string } | undefined)?.id ?? null;
    if (!id && placeholder) {
      const held = s.byCustomer.get(shop, placeholder) as { id: string } | undefined;
      if (held) {
        sourceStatements(db).adopt.run(who.shopifyCustomerId, sqliteTime(new Date()), held.id);
        id = held.id;
      }
    }
    id ??= ensureSubscriber(db, shop, who.shopifyCustomerId);
  } else {
    if (placeholder) id = (s.byCustomer.get(shop, placeholder) as { id: string } | undefined)?.id ?? null;
    if (!id && email) id = (s.byEmail.get(shop, email) as { id: string } | undefined)?.id ?? null;
    if (!id && placeholder) id = ensureSubscriber(db, shop, placeholder);
  }
  if (!id) return null;
  if (email || who.firstName || who.lastName) {
    const display = [who.firstName, who.lastName].filter((p) => p && p.trim() !== "").join(" ") || null;
    sourceStatements(db).fillIdentity.run(email, who.firstName ?? null, who.lastName ?? null, display, sqliteTime(new Date()), id);
  }
  return id;
}

/**
 * Whether Shopify's customer record could tell more about this subscriber: no email or
 * no name yet. A redacted subscriber never can: their identity is not written back.
 */
export function lacksIdentity(db: Database.Database, subscriberId: string): boolean {
  const row = sourceStatements(db).identityOf.get(subscriberId) as
    | { email: string | null; firstName: string | null; lastName: string | null; displayName: string | null; redactedAt: string | null }
    | undefined;
  if (!row || row.redactedAt) return false;
  return !row.email || !(row.displayName || row.firstName || row.lastName);
}
