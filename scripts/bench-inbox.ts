// Inbox processing benchmark: the inbox worker's rate on a realistic mix of deliveries
// (contract lifecycle, skips, billing outcomes, card updates, billing for contracts not
// seen yet), written straight into the inbox of a temporary SQLite database, then
// drained. Times the drain only, after a warm-up. Prints figures; asserts nothing. The
// digest of what the drain left (machine-clock times aside) is the same for two versions
// of the intake that behave alike.
//
//   npx tsx scripts/bench-inbox.ts [--deliveries 3000] [--subscribers 300] [--warmup 300]
import { createHash } from "node:crypto";

import path from "node:path";
import Database from "better-sqlite3";
import { migrate } from "./lib/migrate";
import { benchDir, useBenchApp } from "./lib/temp-dir";

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith("--") && args.set(a.slice(2), all[i + 1]));
const deliveries = Number(args.get("deliveries") ?? 3000);
const subscribers = Number(args.get("subscribers") ?? 300);
const warmup = Number(args.get("warmup") ?? 300);

const SHOP = "bench-inbox.myshopify.com";
const work = benchDir("lifeline-bench-inbox-");
const file = path.join(work, "inbox.db");
useBenchApp(`file:${file}`, { LOG_LEVEL: "silent" });
migrate(`file:${file}`);

// Every SQL statement Prisma runs is prepared anew on its connection (the adapter does
// not cache): counting prepares on connections other than the direct one counts them.
const prepare = Database.prototype.prepare;
let prismaStatements = 0;
let direct: Database.Database | undefined;
Database.prototype.prepare = function (this: Database.Database, sql: string) {
  if (this !== direct) prismaStatements++;
  return prepare.call(this, sql);
} as typeof prepare;

const { directDb } = await import("../app/db-direct.server");
const { inboxWriter } = await import("../app/intake/inbox-writer.server");
const { createWorkers } = await import("../app/workers.server");
direct = directDb();

const t = (d: Date) => d.toISOString().replace("Z", "+00:00");
const T0 = Date.parse("2026-01-01T00:00:00Z");

/** Existing subscribers with an enriched contract each, as an installed store has them. */
function seed(): void {
  const db = new Database(file);
  const sub = db.prepare(`INSERT INTO "Subscriber" ("id", "shop", "customerId", "status", "monthlyValue", "createdAt", "updatedAt") VALUES (?, ?, ?, 'active', 30, ?, ?)`);
  const con = db.prepare(
    `INSERT INTO "Contract" ("id", "shop", "contractId", "subscriberId", "status", "statusRevision", "statusAt", "currency", "monthlyValue", "createdAtShopify", "enrichedAt")
     VALUES (?, ?, ?, ?, 'active', '1', ?, 'USD', 30, ?, ?)`,
  );
  const at = t(new Date(T0));
  db.transaction(() => {
    for (let i = 0; i < subscribers; i++) {
      sub.run(`bench_sub_${i}`, SHOP, String(5000 + i), at, at);
      con.run(`bench_con_${i}`, SHOP, String(100000 + i), `bench_sub_${i}`, at, at, at);
    }
  })();
  db.close();
}

// A fixed pseudo-random sequence, so every run sees the same mix.
let state = 42;
const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = (n: number) => Math.floor(random() * n);

const LIFECYCLE = [["pause", "paused"], ["activate", "active"], ["cancel", "cancelled"], ["update", "active"]] as const;
let created = 0;
let revision = 1;
/** One delivery of the mix: [topic, body]. */
function nextDelivery(i: number): [string, unknown] {
  const known = pick(subscribers);
  const contractId = 100000 + known;
  const r = random();
  if (r < 0.1) {
    const id = 200000 + created++;
    return ["subscription_contracts/create", { id, customer_id: 900000 + id, status: "active", revision_id: "1", currency_code: "USD", billing_policy: { interval: "month", interval_count: 1 }, delivery_policy: { interval: "month", interval_count: 1 } }];
  }
  if (r < 0.16) {
    const [kind, status] = LIFECYCLE[pick(LIFECYCLE.length)];
    return [`subscription_contracts/${kind}`, { id: contractId, customer_id: 5000 + known, status, revision_id: String(++revision), currency_code: "USD" }];
  }
  if (r < 0.42) {
    const topic = random() < 0.8 ? "subscription_billing_cycles/skip" : "subscription_billing_cycles/unskip";
    return [topic, { subscription_contract_id: contractId, cycle_index: 1 + (i % 24), skipped: topic.endsWith("/skip"), edited: true, billing_attempt_expected_date: "2026-11-01T00:00:00-04:00" }];
  }
  if (r < 0.72) return ["subscription_billing_attempts/success", { id: i, subscription_contract_id: contractId, idempotency_key: `k-${i}`, order_id: i, ready: true, error_code: null }];
  if (r < 0.84) {
    const code = ["PAYMENT_METHOD_DECLINED", "INSUFFICIENT_FUNDS", "EXPIRED_PAYMENT_METHOD"][pick(3)];
    return ["subscription_billing_attempts/failure", { id: null, subscription_contract_id: contractId, idempotency_key: `k-${i}`, order_id: null, ready: true, error_code: code, error_message: "declined" }];
  }
  if (r < 0.88) {
    // A contract not seen yet (its create has not arrived): held until enrichment says whose.
    return ["subscription_billing_attempts/success", { id: i, subscription_contract_id: 300000 + pick(50), idempotency_key: `k-${i}`, order_id: i, ready: true }];
  }
  const topic = random() < 0.8 ? "customer_payment_methods/update" : "customer_payment_methods/create";
  return [topic, { customer_id: 5000 + known, instrument_type: "CustomerCreditCard", payment_instrument: { brand: "Visa", last_digits: "4242", month: 1 + pick(12), year: 2027 + pick(5), name: "Jim Smith" } }];
}

/** What the deliveries left, by natural keys, without ids or the machine's clock. */
const OUTCOME = [
  `SELECT s."customerId", s."status", s."monthlyValue", s."currency", s."nextBillingAt", s."firstSubscribedAt", s."cardExpiryMonth", s."cardExpiryYear",
     s."cardUpdatedAt", s."scoreDirtyFrom", s."scoreDirtyAt" IS NOT NULL AS "dirty" FROM "Subscriber" s ORDER BY s."customerId"`,
  `SELECT c."contractId", s."customerId", c."status", c."statusRevision", c."statusAt", c."currency", c."monthlyValue", c."billingInterval", c."billingIntervalCount"
     FROM "Contract" c JOIN "Subscriber" s ON s."id" = c."subscriberId" ORDER BY c."contractId"`,
  `SELECT e."sourceKey", s."customerId", e."contractId", e."type", e."occurredAt", e."data" FROM "SubscriberEvent" e JOIN "Subscriber" s ON s."id" = e."subscriberId" ORDER BY e."sourceKey"`,
  `SELECT "contractId", "type", "occurredAt", "data", "sourceKey" FROM "UnattachedEvent" ORDER BY "sourceKey"`,
  `SELECT "queue", "key", "payload", "status", "attempts", "lastError" FROM "Job" ORDER BY "queue", "key"`,
  `SELECT "deliveryKey", "processedAt" IS NOT NULL AS "processed", "error" FROM "WebhookDelivery" ORDER BY "deliveryKey"`,
];

async function fill(count: number, offset: number): Promise<void> {
  const writer = inboxWriter();
  const writes: Promise<unknown>[] = [];
  for (let i = offset; i < offset + count; i++) {
    const [topic, body] = nextDelivery(i);
    const at = new Date(T0 + i * 60_000);
    writes.push(
      writer.write({ shop: SHOP, deliveryKey: `d-${i}`, topic, webhookId: `w-${i}`, eventId: `d-${i}`, apiVersion: "2025-10", triggeredAt: at, receivedAt: at, body: JSON.stringify(body) }),
    );
  }
  await Promise.all(writes);
}

async function main() {
  seed();
  const workers = createWorkers();
  await fill(warmup, 0);
  await workers.inbox.drain();

  await fill(deliveries, warmup);
  prismaStatements = 0;
  const started = process.hrtime.bigint();
  const ran = await workers.inbox.drain();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const statements = prismaStatements;

  const db = new Database(file, { readonly: true });
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const figures = {
    events: count(`SELECT COUNT(*) AS n FROM "SubscriberEvent"`),
    held: count(`SELECT COUNT(*) AS n FROM "UnattachedEvent"`),
    webhookDone: count(`SELECT COUNT(*) AS n FROM "Job" WHERE "queue" = 'webhook' AND "status" = 'done'`),
    webhookNotDone: count(`SELECT COUNT(*) AS n FROM "Job" WHERE "queue" = 'webhook' AND "status" <> 'done'`),
    enrichQueued: count(`SELECT COUNT(*) AS n FROM "Job" WHERE "queue" = 'enrich'`),
  };
  const digest = createHash("sha256");
  for (const sql of OUTCOME) for (const row of db.prepare(sql).all()) digest.update(JSON.stringify(row));
  db.close();
  console.log(`Inbox benchmark: ${deliveries} deliveries (after ${warmup} to warm up), ${subscribers} known subscribers, ${new Date().toISOString()}`);
  console.log(`jobs run: ${ran}; drain ${seconds.toFixed(2)} s = ${(deliveries / seconds).toFixed(0)} deliveries/s, ${((seconds * 1000) / deliveries).toFixed(3)} ms per delivery`);
  console.log(`Prisma statements during the drain: ${statements} (${(statements / deliveries).toFixed(2)} per delivery)`);
  console.log(
    `after: ${figures.events} timeline events, ${figures.held} held events, webhook jobs ${figures.webhookDone} done / ${figures.webhookNotDone} not done, ${figures.enrichQueued} enrichment jobs queued`,
  );
  console.log(`outcome digest: ${digest.digest("hex").slice(0, 16)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
