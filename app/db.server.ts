import { PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { config } from "./config.server";
import { WAL_PRAGMAS } from "./db-direct.server";

declare global {
  // eslint-disable-next-line no-var
  var lifelinePrisma: PrismaClient | undefined;
}

function createClient(): PrismaClient {
  const url = config().DATABASE_URL;
  if (!url.startsWith("file:")) {
    throw new Error(
      "DATABASE_URL is a PostgreSQL URL, which is the scale path and not enabled in this build; use a file: URL for SQLite.",
    );
  }
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }) });
}

/** One client per process (kept across dev-server reloads). */
const prisma: PrismaClient = globalThis.lifelinePrisma ?? createClient();
if (process.env.NODE_ENV !== "production") globalThis.lifelinePrisma = prisma;

let tuned: Promise<void> | undefined;

/**
 * SQLite settings for a server: WAL lets readers (the admin pages) run while the
 * worker writes, and a busy timeout makes concurrent writers wait instead of failing.
 */
export function tuneDatabase(): Promise<void> {
  tuned ??= (async () => {
    await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await prisma.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
    await prisma.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
    for (const pragma of WAL_PRAGMAS) await prisma.$queryRawUnsafe(`PRAGMA ${pragma}`);
    // Table statistics for the query planner, refreshed where they are stale.
    await prisma.$queryRawUnsafe("PRAGMA optimize");
  })();
  return tuned;
}

export default prisma;
