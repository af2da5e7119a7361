import type Database from "better-sqlite3";
import { directDb, isBusy, sqliteTime } from "../db-direct.server";
import { enqueueManyDirect, type EnqueueInput } from "../queue/jobs.server";

/** One delivery to keep, with its job, in one atomic write. */
export interface InboxEntry {
  shop: string;
  deliveryKey: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  apiVersion: string;
  triggeredAt: Date | null;
  receivedAt: Date;
  body: string;
}

export interface InboxWriter {
  /** Resolves once the delivery and its job are committed; "duplicate" when the key was already kept. */
  write(entry: InboxEntry): Promise<"stored" | "duplicate">;
}

/**
 * The inbox write on the acknowledgement path, through the direct SQLite connection with
 * two prepared statements: this is the one hot path, and the ORM's per-query cost would
 * be most of it. Plain SQL that PostgreSQL also speaks (INSERT ... ON CONFLICT DO NOTHING).
 * The connection never waits for a lock while blocking the event loop: if the worker holds
 * the write lock, the write is tried again a moment later, asynchronously.
 */
export function createSqliteInboxWriter(db: Database.Database): InboxWriter {
  const insertDelivery = db.prepare(
    `INSERT INTO "WebhookDelivery" ("shop", "deliveryKey", "topic", "webhookId", "eventId", "apiVersion", "triggeredAt", "receivedAt", "body")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("shop", "deliveryKey") DO NOTHING`,
  );
  const keep = (e: InboxEntry): boolean => {
    const at = sqliteTime(e.receivedAt);
    return insertDelivery.run(e.shop, e.deliveryKey, e.topic, e.webhookId, e.eventId, e.apiVersion, e.triggeredAt ? sqliteTime(e.triggeredAt) : null, at, e.body).changes > 0;
  };
  // Group commit: deliveries that arrive while a write is pending share one transaction,
  // with their jobs. Each is still acknowledged only after its own commit.
  const writeAll = db.transaction((entries: InboxEntry[]): Array<"stored" | "duplicate"> => {
    const jobs: EnqueueInput[] = [];
    const results = entries.map((e) => {
      if (!keep(e)) return "duplicate";
      jobs.push({ queue: "webhook", key: `${e.shop}:${e.deliveryKey}`, shop: e.shop, runAt: e.receivedAt });
      return "stored";
    });
    enqueueManyDirect(db, jobs);
    return results;
  });

  interface Waiting {
    entry: InboxEntry;
    resolve: (r: "stored" | "duplicate") => void;
    reject: (e: unknown) => void;
  }
  let queue: Waiting[] = [];
  let scheduled = false;

  function flush(attempt: number): void {
    const batch = queue;
    queue = [];
    scheduled = false;
    try {
      const results = writeAll(batch.map((w) => w.entry));
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (error) {
      if (isBusy(error) && attempt < 500) {
        // The worker holds the write lock: try again soon, without blocking the event loop.
        queue = batch.concat(queue);
        scheduled = true;
        setTimeout(() => flush(attempt + 1), attempt === 0 ? 0 : Math.min(attempt, 5));
        return;
      }
      batch.forEach((w) => w.reject(error));
    }
  }

  return {
    write(entry) {
      return new Promise((resolve, reject) => {
        queue.push({ entry, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(() => flush(0));
        }
      });
    },
  };
}

let writer: InboxWriter | undefined;

export function inboxWriter(): InboxWriter {
  writer ??= createSqliteInboxWriter(directDb());
  return writer;
}
