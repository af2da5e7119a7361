// Runs before every test file, before any app module loads: configuration, a fresh
// migrated SQLite database for this file, and the Admin API interception (Shopify's
// libraries capture globalThis.fetch when they load, so it must be in place first).
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrateSqlite } from "../support/migrate";
import { installAdminApiMock } from "../support/admin-api";

process.env.SHOPIFY_API_KEY ??= "test-api-key";
process.env.SHOPIFY_API_SECRET ??= "test-api-secret";
process.env.SHOPIFY_APP_URL ??= "https://lifeline.test";
process.env.SCOPES ??= "read_own_subscription_contracts,read_customers,read_customer_payment_methods";
process.env.ENCRYPTION_KEY ??= "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
process.env.LIFELINE_WORKER = "off";
// No test reaches a vendor's real API: a test that talks to one starts its local server and
// names it here before the app loads; any other call finds nothing listening (port 9, discard).
process.env.RECHARGE_API_BASE_URL ??= "http://127.0.0.1:9";
process.env.SEAL_API_BASE_URL ??= "http://127.0.0.1:9";
// Quiet tests: a test that reads the logs makes a logger of its own (createLogger).
process.env.LOG_LEVEL = "silent";

const file = path.join(tmpdir(), `lifeline-test-${process.pid}-${randomUUID().slice(0, 8)}.db`);
process.env.DATABASE_URL = `file:${file}`;
migrateSqlite(file);
installAdminApiMock();
