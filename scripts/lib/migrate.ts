import { execFileSync } from "node:child_process";

/** Creates or updates a SQLite database with the committed migrations (`prisma migrate deploy`). */
export function migrate(databaseUrl: string): void {
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "ignore", "inherit"],
  });
}
