import Database from "better-sqlite3";
import { config } from "./config.server";

/**
 * A direct SQLite connection for the hot paths where the ORM's per-query cost is most
 * of the work: the webhook inbox write, the intake's writes (deliveries, enrichment,
 * backfill) and the bulk score write. Everything else goes through Prisma. Its SQL is
 * the portable subset (INSERT ... ON CONFLICT) so a PostgreSQL twin can follow. It never
 * blocks the event loop waiting for a lock: see `withRetry`.
 */
let db: Database.Database | undefined;

/**
 * For every connection to the file (this one and Prisma's). A commit that finds the WAL
 * past a connection's checkpoint threshold copies it into the database then and there;
 * at SQLite's default (1,000 pages) the intake's many small commits paid for a checkpoint
 * every hundred deliveries or so. At 20,000 pages (about 80 MB) each checkpoint takes a
 * large batch at once, and the file is cut back to 64 MB after one.
 */
export const WAL_PRAGMAS = ["wal_autocheckpoint = 20000", "journal_size_limit = 67108864"];

export function directDb(): Database.Database {
  if (!db) {
    const url = config().DATABASE_URL;
    if (!url.startsWith("file:")) throw new Error("the direct connection is for SQLite; PostgreSQL arrives with the scale path");
    db = new Database(url.slice("file:".length), { timeout: 0 });
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    for (const pragma of WAL_PRAGMAS) db.pragma(pragma);
  }
  return db;
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
const STATEMENT_LIMIT = 2000;

/**
 * The connection's prepared statement for `sql`, prepared once: preparing is a good part
 * of a small write's cost. For SQL built at run time (an IN list per batch size); a fixed
 * set of statements is made with perConnection. Kept with the connection itself (statements are the
 * connection's resources, not the app's data, so nothing here can go stale).
 */
export function prepared(db: Database.Database, sql: string): Database.Statement {
  let byText = statements.get(db);
  if (!byText) statements.set(db, (byText = new Map()));
  let statement = byText.get(sql);
  if (!statement) {
    if (byText.size >= STATEMENT_LIMIT) byText.clear();
    statement = db.prepare(sql);
    byText.set(sql, statement);
  }
  return statement;
}

/** Prisma's SQLite text form for DateTime, so rows written here read back through Prisma. */
export function sqliteTime(d: Date): string {
  return d.toISOString().replace("Z", "+00:00");
}

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? "";
  return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED");
}

/**
 * Runs a synchronous write; when another connection (Prisma's, mid-transaction) holds
 * the lock, tries again a moment later instead of blocking the thread.
 */
export async function withRetry<T>(write: () => T, maxAttempts = 500): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return write();
    } catch (error) {
      if (!isBusy(error) || attempt >= maxAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1 + attempt, 5)));
    }
  }
}

/**
 * Prepared statements made once per connection, on first use:
 * `const statements = perConnection((db) => ({ insert: db.prepare(...) }))`, then
 * `statements(db).insert.run(...)`. Keyed on the connection, so none outlives it.
 */
export function perConnection<T>(prepare: (db: Database.Database) => T): (db: Database.Database) => T {
  const made = new WeakMap<Database.Database, T>();
  return (db) => {
    let statements = made.get(db);
    if (statements === undefined) {
      statements = prepare(db);
      made.set(db, statements);
    }
    return statements;
  };
}

/**
 * Runs `write` as one transaction on the direct connection, begun IMMEDIATE: it takes
 * the write lock before any work, so when another connection holds the lock the retry
 * (withRetry) costs a BEGIN, and the event loop never waits for it.
 */
export function writeTransaction<T>(write: (db: Database.Database) => T, db: Database.Database = directDb()): Promise<T> {
  const run = db.transaction(() => write(db));
  return withRetry(() => run.immediate());
}
