/**
 * The demo's database: a fresh SQLite file with the committed migrations, holding
 * what an install leaves behind (the shop's offline session from token exchange,
 * the shop row, and a Klaviyo connection), and read-only views of the app's queue while it works.
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { migrate } from "../lib/migrate";
import { seal } from "../../app/crypto/secret-box.server";

export interface InstalledShop {
  shop: string;
  accessToken: string;
  scopes: string;
  installedAt: Date;
  /** The merchant connected Klaviyo with this private key, stored as the app stores it. */
  klaviyo: { apiKey: string; encryptionKey: string; accountName: string };
  /** The store's helpdesk signs tickets with this secret (Settings, Helpdesk); none when absent. */
  helpdeskSecret?: string;
}

/** How Prisma's SQLite adapter stores a DateTime. */
export function sqliteDate(at: Date): string {
  return at.toISOString().replace("Z", "+00:00");
}

export function createDemoDatabase(file: string, install: InstalledShop): void {
  mkdirSync(path.dirname(file), { recursive: true });
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
  migrate(`file:${file}`);

  const db = new Database(file);
  try {
    const at = sqliteDate(install.installedAt);
    db.prepare(
      `INSERT INTO Session (id, shop, state, isOnline, scope, accessToken, accountOwner, collaborator, emailVerified)
       VALUES (?, ?, '', 0, ?, ?, 0, 0, 0)`,
    ).run(`offline_${install.shop}`, install.shop, install.scopes, install.accessToken);
    // Installed before the store's first subscriber: the install backfill found nothing
    // to copy, and everything arrives by webhook.
    db.prepare(
      `INSERT INTO Shop (shop, installedAt, currency, timezone, backfillStatus, backfillCount, backfillAt)
       VALUES (?, ?, 'USD', 'UTC', 'done', 0, ?)`,
    ).run(install.shop, at, at);
    // What the install queues too: the read of the shop's currency, time zone and email from the Admin API.
    db.prepare(
      `INSERT INTO Job (queue, key, shop, payload, status, attempts, runAt, createdAt, updatedAt)
       VALUES ('shop_context', ?, ?, '{}', 'pending', 0, ?, ?, ?)`,
    ).run(`${install.shop}:${install.installedAt.toISOString()}`, install.shop, at, at, at);
    db.prepare("INSERT INTO KlaviyoConnection (shop, encryptedKey, accountName, validatedAt, updatedAt) VALUES (?, ?, ?, ?, ?)").run(
      install.shop,
      seal(install.klaviyo.apiKey, install.shop, install.klaviyo.encryptionKey),
      install.klaviyo.accountName,
      at,
      at,
    );
    if (install.helpdeskSecret) {
      db.prepare("INSERT INTO HelpdeskConnection (shop, encryptedSecret, createdAt) VALUES (?, ?, ?)").run(
        install.shop,
        seal(install.helpdeskSecret, install.shop, install.klaviyo.encryptionKey),
        at,
      );
    }
  } finally {
    db.close();
  }
}

export interface QueueWatch {
  /** Webhook jobs running, or pending and due now (not those waiting out a retry delay). */
  webhooksInHand(): number;
  /** Webhook jobs not finished, retries included. */
  webhooksUnfinished(): number;
  /** Jobs of any queue that are running, or pending and due now. */
  dueOrRunning(): number;
  /** Subscribers marked for rescoring (0 when the app keeps no such mark). */
  scoringPending(): number;
  /** Plays waiting in the outbox (0 when there is no outbox). */
  playsPending(): number;
  /** Jobs of one queue not finished, retries included. */
  unfinished(queue: string): number;
  /** The shop's connection to a subscription app as the app keeps it, or null before it connects. */
  sourceConnection(shop: string, source: string): SourceConnectionRow | null;
  close(): void;
}

export interface SourceConnectionRow {
  backfillStatus: string;
  backfillError: string | null;
  /** What the import saved after its last page (its stage, pages and counts). */
  backfillProgress: Record<string, unknown>;
  webhooksRegistered: number;
  lastError: string | null;
}

/** Read-only counts of the app's unfinished work; the app's own writes are never blocked. */
export function watchQueue(file: string): QueueWatch {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  const has = (table: string, column?: string) =>
    column
      ? (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).some((c) => c.name === column)
      : db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) != null;
  const counter = (sql: string | null) => {
    const stmt = sql ? db.prepare(sql) : null;
    return (...args: unknown[]) => (stmt ? (stmt.get(...args) as { n: number }).n : 0);
  };
  const due = "(status = 'running' OR (status = 'pending' AND runAt <= ?))";
  const inHand = counter(`SELECT COUNT(*) AS n FROM Job WHERE queue = 'webhook' AND ${due}`);
  const anyDue = counter(`SELECT COUNT(*) AS n FROM Job WHERE ${due}`);
  const now = () => sqliteDate(new Date());
  const ofQueue = counter("SELECT COUNT(*) AS n FROM Job WHERE queue = ? AND status IN ('pending', 'running')");
  const connection = has("SourceConnection")
    ? db.prepare("SELECT backfillStatus, backfillError, backfillProgress, webhookIds, lastError FROM SourceConnection WHERE shop = ? AND source = ?")
    : null;
  return {
    webhooksInHand: () => inHand(now()),
    webhooksUnfinished: counter("SELECT COUNT(*) AS n FROM Job WHERE queue = 'webhook' AND status IN ('pending', 'running')"),
    dueOrRunning: () => anyDue(now()),
    scoringPending: counter(has("Subscriber", "scoreDirtyAt") ? "SELECT COUNT(*) AS n FROM Subscriber WHERE scoreDirtyAt IS NOT NULL" : null),
    playsPending: counter(has("PlayDelivery") ? "SELECT COUNT(*) AS n FROM PlayDelivery WHERE status = 'pending'" : null),
    unfinished: (queue) => ofQueue(queue),
    sourceConnection(shop, source) {
      const row = connection?.get(shop, source) as Record<string, string | null> | undefined;
      if (!row) return null;
      return {
        backfillStatus: String(row.backfillStatus),
        backfillError: row.backfillError,
        backfillProgress: JSON.parse(row.backfillProgress ?? "{}") as Record<string, unknown>,
        webhooksRegistered: (JSON.parse(row.webhookIds ?? "[]") as unknown[]).length,
        lastError: row.lastError,
      };
    },
    close: () => db.close(),
  };
}
