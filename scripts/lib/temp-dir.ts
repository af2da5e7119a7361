import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** A fresh directory for a benchmark's database, removed when the process exits (a store of 100,000 subscribers is a gigabyte). */
export function benchDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The app's configuration for a benchmark that loads app modules in-process, on the
 * database at `url`. Set before any app module loads (the database client is made on import).
 */
export function useBenchApp(url: string, extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    DATABASE_URL: url,
    SHOPIFY_API_KEY: "bench-key",
    SHOPIFY_API_SECRET: "bench-secret",
    SHOPIFY_APP_URL: "https://lifeline.bench",
    SCOPES: "read_own_subscription_contracts",
    ENCRYPTION_KEY: "ab".repeat(32),
    LIFELINE_WORKER: "off",
    ...extra,
  });
}
