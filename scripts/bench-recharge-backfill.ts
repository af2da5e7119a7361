// Recharge import benchmark: a Recharge account of N subscriptions (1.5 past charges each on
// average, one queued charge per active subscription) served by the local Recharge server at
// Recharge's real rate limit (a leaky bucket of 40 per token draining 2/s), connected with
// connectSource and imported by the real "source" job on the sources worker: the test
// connection, the webhook registration and the history import. Prints the time, the requests
// made, the 429s, and the floor the rate limit sets (the requests beyond the first 40, at 2/s).
// Asserts nothing.
//
//   npx tsx scripts/bench-recharge-backfill.ts [--subscriptions 10000] [--customers 9000]

import path from "node:path";
import { migrate } from "./lib/migrate";
import { benchDir, useBenchApp } from "./lib/temp-dir";
import { buildRechargeDataSet } from "../simulator/recharge/dataset";
import { RECHARGE_DEFAULT_LIMIT, startRechargeServer } from "../simulator/recharge/server";

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith("--") && args.set(a.slice(2), all[i + 1]));
const N = Number(args.get("subscriptions") ?? 10_000);
const CUSTOMERS = Number(args.get("customers") ?? Math.round(N * 0.9));

const SHOP = "bench-recharge.myshopify.com";
const TOKEN = "sk_bench_recharge_token";
const work = benchDir("lifeline-bench-recharge-");
const dbUrl = `file:${path.join(work, "bench.db")}`;

const data = buildRechargeDataSet({ subscriptions: N, customers: CUSTOMERS });
const server = await startRechargeServer({ data, tokens: { [TOKEN]: {} }, clientSecret: "bench-recharge-secret" });
// Configuration before any app module loads (the database client is created on import).
useBenchApp(dbUrl, { RECHARGE_API_BASE_URL: server.baseUrl, LOG_LEVEL: "warn" });
migrate(dbUrl);

const { default: prisma, tuneDatabase } = await import("../app/db.server");
const { connectSource } = await import("../app/sources/connect.server");
const { sourceConnectionStatus } = await import("../app/models/source-connection.server");
const { createWorkers } = await import("../app/workers.server");
await tuneDatabase();

const started = Date.now();
const connected = await connectSource(SHOP, "recharge", { accessToken: TOKEN, clientSecret: "bench-recharge-secret" });
if (!connected.ok) throw new Error(connected.error);
await createWorkers().sources.drain();
const seconds = (Date.now() - started) / 1000;

const status = await sourceConnectionStatus(SHOP, "recharge");
const requests = server.requests.length;
const byKind = new Map<string, number>();
for (const r of server.requests) {
  const kind = `${r.method} ${r.path}${r.path === "/customers" && r.query.ids ? " (a page's customers)" : ""}`;
  byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
}
const floor = Math.max(0, requests - RECHARGE_DEFAULT_LIMIT.size) / RECHARGE_DEFAULT_LIMIT.leakPerSecond;
const historical = data.charges.filter((c) => c.status !== "queued").length;
const rows = {
  subscribers: await prisma.subscriber.count({ where: { shop: SHOP } }),
  contracts: await prisma.contract.count({ where: { shop: SHOP } }),
  events: await prisma.subscriberEvent.count({ where: { shop: SHOP } }),
};

console.log(`Recharge import: ${N.toLocaleString()} subscriptions of ${CUSTOMERS.toLocaleString()} customers, ${historical.toLocaleString()} past charges (+${(data.charges.length - historical).toLocaleString()} queued, not read)`);
console.log(`  status              ${status.backfillStatus}${status.backfillError ? ` (${status.backfillError})` : ""}`);
console.log(`  time                ${seconds.toFixed(1)} s (connect, webhook registration, import)`);
console.log(`  requests            ${requests}`);
for (const [kind, n] of [...byKind].sort()) console.log(`    ${kind.padEnd(38)} ${n}`);
console.log(`  429s                ${server.throttled().length}`);
console.log(`  bucket peak         ${server.bucketPeak(TOKEN).toFixed(1)} of ${RECHARGE_DEFAULT_LIMIT.size}`);
console.log(`  floor               ${floor.toFixed(1)} s ((${requests} - ${RECHARGE_DEFAULT_LIMIT.size}) requests at ${RECHARGE_DEFAULT_LIMIT.leakPerSecond}/s); time is ${((seconds / floor) * 100).toFixed(0)}% of it`);
console.log(`  written             ${rows.subscribers.toLocaleString()} subscribers, ${rows.contracts.toLocaleString()} contracts, ${rows.events.toLocaleString()} events`);
console.log(`  progress            ${JSON.stringify(status.backfillProgress.counts)}`);

await prisma.$disconnect();
await server.stop();
process.exit(0);
