import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

const MIGRATIONS = path.resolve(__dirname, "../../prisma/migrations");

/** Applies the committed migrations, in order, to a new SQLite file: the schema tests run on is the one that ships. */
export function migrateSqlite(file: string): void {
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    for (const dir of readdirSync(MIGRATIONS).filter((d) => /^\d+_/.test(d)).sort()) {
      db.exec(readFileSync(path.join(MIGRATIONS, dir, "migration.sql"), "utf8"));
    }
  } finally {
    db.close();
  }
}
