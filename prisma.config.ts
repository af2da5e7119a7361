import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// The schema reads DATABASE_URL; without it set, `prisma generate` would try to download
// an engine. The embedded default is a SQLite file beside the schema.
process.env.DATABASE_URL ??= "file:./prisma/dev.db";

// Prisma's CLI runs through the wasm engine and a driver adapter, so it needs no
// downloaded native engine. A relative `file:` URL is resolved from the current directory.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  async adapter() {
    const url = process.env.DATABASE_URL!;
    if (!url.startsWith("file:")) {
      throw new Error(`DATABASE_URL must be a file: URL for SQLite (got "${url.split(":")[0]}:")`);
    }
    return new PrismaBetterSQLite3({ url });
  },
});
