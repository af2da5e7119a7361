// The committed migrations build exactly the database that prisma/schema.prisma
// describes: a schema change without its migration fails here, not in production.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, test } from "vitest";
import { migrateSqlite } from "../support/migrate";

const ROOT = path.resolve(__dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "lifeline-drift-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function shape(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    return Object.fromEntries(
      tables.map((table) => [
        table,
        {
          columns: (db.prepare(`PRAGMA table_info("${table}")`).all() as Record<string, unknown>[])
            .map((c) => `${c.name} ${c.type} ${c.notnull ? "NOT NULL" : ""} ${c.dflt_value ?? ""} ${c.pk ? "PK" : ""}`.trim())
            .sort(),
          indexes: (db.prepare(`PRAGMA index_list("${table}")`).all() as { name: string; unique: number }[])
            .map((i) => `${i.name}${i.unique ? " UNIQUE" : ""}(${(db.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[]).map((c) => c.name).join(",")})`)
            .sort(),
        },
      ]),
    );
  } finally {
    db.close();
  }
}

test("the migrations build the schema that schema.prisma describes", () => {
  const fromSchema = path.join(dir, "schema.db");
  const sql = execFileSync(
    path.join(ROOT, "node_modules/.bin/prisma"),
    ["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: `file:${path.join(dir, "cli.db")}` }, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
  );
  const db = new Database(fromSchema);
  db.exec(sql);
  db.close();
  const fromMigrations = path.join(dir, "migrations.db");
  migrateSqlite(fromMigrations);
  expect(shape(fromMigrations)).toEqual(shape(fromSchema));
});
