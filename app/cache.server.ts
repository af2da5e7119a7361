/**
 * Results that are slow to compute, kept in the database (CacheEntry) rather than in a
 * process's memory: the web server and every worker share one copy with one lifetime, so a
 * shop erased, rescored or re-configured in one process is never served stale by another.
 *
 * An entry lives until its `expiresAt` or until its shop's entries are forgotten
 * (forgetShopCache). It is computed once: the first process to miss writes a claim (an
 * entry with no value yet) and the others wait for its value instead of computing their
 * own. Forgetting deletes claims too, so a result computed from data that changed
 * meanwhile goes back to the one caller that asked for it and is never stored.
 *
 * Values are stored as JSON: they must come back from JSON.parse as they went in (no
 * Dates, no Maps).
 */
import { randomUUID } from "node:crypto";
import { directDb, sqliteTime, withRetry } from "./db-direct.server";

export interface CacheLifetime {
  /** The caller's clock: the entry is fresh while `now` is before now + ttlMs at the time it was computed. */
  now: Date;
  ttlMs: number;
  /** How long a computation may hold its claim before a waiting process takes over. */
  leaseMs?: number;
  /** How often a waiting process looks for the value. */
  pollMs?: number;
}

interface Row {
  value: string | null;
  claim: string | null;
  expiresAt: string;
}

const read = (shop: string, key: string) =>
  directDb().prepare(`SELECT "value", "claim", "expiresAt" FROM "CacheEntry" WHERE "shop" = ? AND "key" = ?`).get(shop, key) as Row | undefined;

/**
 * Writes a claim on the entry unless another live one holds it. `takeOver` is the claim a
 * waiting process gave up on: that one is replaced even though its lease has not run out.
 */
function claim(shop: string, key: string, token: string, now: Date, leaseMs: number, takeOver: string | null): Promise<boolean> {
  const at = sqliteTime(now);
  return withRetry(
    () =>
      directDb()
        .prepare(
          `INSERT INTO "CacheEntry" ("shop", "key", "value", "claim", "createdAt", "expiresAt") VALUES (?, ?, NULL, ?, ?, ?)
           ON CONFLICT ("shop", "key") DO UPDATE SET "value" = NULL, "claim" = excluded."claim", "createdAt" = excluded."createdAt", "expiresAt" = excluded."expiresAt"
           WHERE "CacheEntry"."expiresAt" <= ? OR "CacheEntry"."claim" = ?`,
        )
        .run(shop, key, token, at, sqliteTime(new Date(now.getTime() + leaseMs)), at, takeOver).changes === 1,
  );
}

/** Stores the value under the claim that computed it; nothing is stored if the claim was forgotten or taken over. */
function fill(shop: string, key: string, token: string, json: string, now: Date, ttlMs: number): Promise<void> {
  return withRetry(() => {
    const db = directDb();
    db.prepare(`UPDATE "CacheEntry" SET "value" = ?, "claim" = NULL, "expiresAt" = ? WHERE "shop" = ? AND "key" = ? AND "claim" = ?`).run(
      json,
      sqliteTime(new Date(now.getTime() + ttlMs)),
      shop,
      key,
      token,
    );
    // The shop's expired entries go on the way (keys that carry a week or a config are not asked for again).
    db.prepare(`DELETE FROM "CacheEntry" WHERE "shop" = ? AND "expiresAt" <= ?`).run(shop, sqliteTime(now));
  });
}

function release(shop: string, key: string, token: string): Promise<void> {
  return withRetry(() => {
    directDb().prepare(`DELETE FROM "CacheEntry" WHERE "shop" = ? AND "key" = ? AND "claim" = ?`).run(shop, key, token);
  });
}

/** The entry's value if it is fresh at `now`; otherwise computes it (once across processes) and keeps it for `ttlMs`. */
export async function cached<T>(shop: string, key: string, lifetime: CacheLifetime, compute: () => Promise<T>): Promise<T> {
  const { now, ttlMs, leaseMs = 60_000, pollMs = 100 } = lifetime;
  const at = sqliteTime(now);
  let waitingOn: string | null = null;
  let waited = 0;
  for (;;) {
    const row = read(shop, key);
    if (row?.value != null && row.expiresAt > at) return JSON.parse(row.value) as T;
    const computingElsewhere = row?.value == null && row?.claim != null && row.expiresAt > at;
    // Each computation gets its whole lease, also one that took over from another.
    if (computingElsewhere && row!.claim !== waitingOn) [waitingOn, waited] = [row!.claim, 0];
    if (computingElsewhere && waited < leaseMs) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      waited += pollMs;
      continue;
    }
    const token = randomUUID();
    if (!(await claim(shop, key, token, now, leaseMs, computingElsewhere ? row!.claim : null))) continue; // another process claimed first
    let value: T;
    try {
      value = await compute();
    } catch (error) {
      await release(shop, key, token);
      throw error;
    }
    await fill(shop, key, token, JSON.stringify(value), now, ttlMs);
    return value;
  }
}

/**
 * Forgets what is kept for the shop (only the keys starting with `keyPrefix`, when given),
 * and every computation of it under way: call it wherever the shop's data changes in a way
 * its entries depend on (erasure, score settings saved, a rescore that rewrote history).
 */
export function forgetShopCache(shop: string, keyPrefix?: string): Promise<void> {
  return withRetry(() => {
    if (keyPrefix === undefined) directDb().prepare(`DELETE FROM "CacheEntry" WHERE "shop" = ?`).run(shop);
    else directDb().prepare(`DELETE FROM "CacheEntry" WHERE "shop" = ? AND substr("key", 1, ?) = ?`).run(shop, keyPrefix.length, keyPrefix);
  });
}

/**
 * A result computed ahead of time (by a job), stored under its key until `expiresAt`:
 * readers never compute it, they read it or learn that it is not there yet.
 */
export function storeComputed(shop: string, key: string, value: unknown, now: Date, ttlMs: number): Promise<void> {
  const at = sqliteTime(now);
  return withRetry(() => {
    directDb()
      .prepare(
        `INSERT INTO "CacheEntry" ("shop", "key", "value", "claim", "createdAt", "expiresAt") VALUES (?, ?, ?, NULL, ?, ?)
         ON CONFLICT ("shop", "key") DO UPDATE SET "value" = excluded."value", "claim" = NULL, "createdAt" = excluded."createdAt", "expiresAt" = excluded."expiresAt"`,
      )
      .run(shop, key, JSON.stringify(value), at, sqliteTime(new Date(now.getTime() + ttlMs)));
  });
}

/** The stored value under the key if it has not expired at `now`; null when there is none. */
export function readComputed<T>(shop: string, key: string, now: Date): T | null {
  const row = read(shop, key);
  return row?.value != null && row.expiresAt > sqliteTime(now) ? (JSON.parse(row.value) as T) : null;
}
