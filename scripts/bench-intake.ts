// Intake benchmark: webhook acknowledgements per second and ack latency on loopback,
// for a bare floor server and for Lifeline's production server, in one run; then the
// end-to-end processing rate of the worker. Prints figures; asserts nothing.
//
//   npm run bench:intake -- [--duration 10] [--connections 32] [--deliveries 5000]
import { existsSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import Database from "better-sqlite3";
import { freePort, startProcess, stopProcess, waitForPort, watchRss } from "./lib/server-process";
import { migrate } from "./lib/migrate";
import { benchDir } from "./lib/temp-dir";
import { load, type Delivery, type Figures } from "./lib/load";
import { webhookHeaders } from "./lib/sign";

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith("--") && args.set(a.slice(2), all[i + 1]));
const duration = Number(args.get("duration") ?? 10);
const connections = Number(args.get("connections") ?? 32);
const deliveries = Number(args.get("deliveries") ?? 5000);

const SECRET = "bench-secret";
const SHOP = "bench.myshopify.com";
const work = benchDir("lifeline-bench-");
const appEnv = (port: number, db: string, worker: "on" | "off") => ({
  NODE_ENV: "production",
  PORT: String(port),
  DATABASE_URL: `file:${db}`,
  SHOPIFY_API_KEY: "bench-key",
  SHOPIFY_API_SECRET: SECRET,
  SHOPIFY_APP_URL: "https://lifeline.bench",
  SCOPES: "read_own_subscription_contracts",
  ENCRYPTION_KEY: "ab".repeat(32),
  LIFELINE_WORKER: worker,
});

function skipBody(contract: number, cycle: number): string {
  return JSON.stringify({
    billing_attempt_expected_date: "2026-11-01T00:00:00-04:00",
    contract_edit: null,
    cycle_end_at: "2026-11-01T00:00:00-04:00",
    cycle_index: cycle,
    cycle_start_at: "2026-10-01T00:00:00-04:00",
    edited: true,
    skipped: true,
    subscription_contract_id: contract,
  });
}

/** A skip delivery for a known contract, with fresh ids each time. */
function skipDelivery(): Delivery {
  const body = skipBody(42, 1);
  const id = randomUUID();
  return { body, headers: webhookHeaders({ topic: "subscription_billing_cycles/skip", shop: SHOP, body, secret: SECRET, webhookId: id, eventId: id, triggeredAt: new Date().toISOString() }) };
}

const run = (name: string, port: number, pathName: string, pid: number) => load(name, { port, pathName, pid, connections, duration, next: skipDelivery });

async function floor(): Promise<Figures> {
  const port = await freePort();
  const child = startProcess("node", ["--import", "tsx", "scripts/bench-floor-server.ts"], { PORT: String(port), FLOOR_DB: path.join(work, "floor.db"), SHOPIFY_API_SECRET: SECRET });
  await waitForPort(port);
  try {
    return await run("floor: node:http + HMAC + 1 SQLite insert", port, "/webhooks", child.pid!);
  } finally {
    await stopProcess(child);
  }
}

async function lifeline(): Promise<Figures> {
  const db = path.join(work, "ack.db");
  migrate(`file:${db}`);
  const port = await freePort();
  const child = startProcess("node", ["server.mjs"], appEnv(port, db, "off"));
  await waitForPort(port);
  try {
    return await run("lifeline: npm start, POST /webhooks/subscription_billing_cycles", port, "/webhooks/subscription_billing_cycles", child.pid!);
  } finally {
    await stopProcess(child);
  }
}

/** Seeds known contracts, posts deliveries, and times the worker until every one is processed. */
async function processing(): Promise<{ deliveries: number; ackSeconds: number; processSeconds: number; perSecond: number; peakRssMb: number }> {
  const dbFile = path.join(work, "e2e.db");
  migrate(`file:${dbFile}`);
  const seed = new Database(dbFile);
  const contracts = 500;
  const insertSub = seed.prepare("INSERT INTO Subscriber (id, shop, customerId, status, monthlyValue, createdAt, updatedAt) VALUES (?, ?, ?, 'active', 30, ?, ?)");
  const insertCon = seed.prepare("INSERT INTO Contract (id, shop, contractId, subscriberId, status, enrichedAt) VALUES (?, ?, ?, ?, 'active', ?)");
  const now = Date.now();
  seed.transaction(() => {
    for (let i = 0; i < contracts; i++) {
      insertSub.run(`s${i}`, SHOP, String(9000 + i), now, now);
      insertCon.run(`c${i}`, SHOP, String(100000 + i), `s${i}`, now);
    }
  })();
  seed.close();

  const port = await freePort();
  const child = startProcess("node", ["server.mjs"], appEnv(port, dbFile, "on"));
  await waitForPort(port);
  const rss = watchRss(child.pid!);
  const t0 = Date.now();
  try {
    const url = `http://127.0.0.1:${port}/webhooks/subscription_billing_cycles`;
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < deliveries) {
          const i = next++;
          const body = skipBody(100000 + (i % contracts), Math.floor(i / contracts) + 1);
          const id = randomUUID();
          const res = await fetch(url, { method: "POST", body, headers: webhookHeaders({ topic: "subscription_billing_cycles/skip", shop: SHOP, body, secret: SECRET, webhookId: id, eventId: id, triggeredAt: new Date().toISOString() }) });
          if (res.status !== 200) throw new Error(`delivery ${i} answered ${res.status}`);
        }
      }),
    );
    const ackSeconds = (Date.now() - t0) / 1000;
    const db = new Database(dbFile, { readonly: true });
    const count = db.prepare("SELECT COUNT(*) AS n FROM SubscriberEvent");
    while ((count.get() as { n: number }).n < deliveries) await new Promise((r) => setTimeout(r, 50));
    const processSeconds = (Date.now() - t0) / 1000;
    db.close();
    return { deliveries, ackSeconds, processSeconds, perSecond: deliveries / processSeconds, peakRssMb: rss.stop() };
  } finally {
    await stopProcess(child);
  }
}

async function main() {
  if (!existsSync("build/server/index.js")) execFileSync("npm", ["run", "build"], { stdio: "inherit" });
  console.log(`Intake benchmark: ${connections} connections, ${duration} s each, loopback, ${new Date().toISOString()}`);
  const rows = [await floor(), await lifeline()];
  console.log("\n| server | acks/s | p50 ms | p99 ms | non-2xx | errors | peak RSS MB |\n|---|---|---|---|---|---|---|");
  for (const r of rows) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${r.peakRssMb.toFixed(0)} |`);
  console.log(`\nLifeline / floor: ${((rows[1].rps / rows[0].rps) * 100).toFixed(0)}%`);
  const e2e = await processing();
  console.log(
    `\nEnd to end: ${e2e.deliveries} skip deliveries posted (16 at a time) in ${e2e.ackSeconds.toFixed(1)} s; all processed onto timelines after ${e2e.processSeconds.toFixed(1)} s = ${e2e.perSecond.toFixed(0)} deliveries/s; server peak RSS ${e2e.peakRssMb.toFixed(0)} MB`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
