// Source intake benchmark: acknowledgements per second and ack latency on loopback for each
// subscription-app source (Recharge charge/paid, Seal subscription/updated, Flow
// billing_succeeded) through Lifeline's production server, each beside a bare floor server
// given the same bodies, with Shopify's own webhook path as the reference; then, per source,
// the end-to-end rate: N deliveries posted, kept, and processed onto timelines by the worker.
// Every request is a distinct delivery (a new charge id, billing attempt or action run), on a
// simulated store whose subscribers are already known. Prints figures; asserts nothing.
//
//   npm run bench:source-intake -- [--duration 10] [--connections 32] [--deliveries 5000] [--sources recharge,seal,flow]
import { existsSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import Database from "better-sqlite3";
import { freePort, startProcess, stopProcess, waitForPort, watchRss } from "./lib/server-process";
import { migrate } from "./lib/migrate";
import { seedStore } from "./lib/seed-store";
import { benchDir } from "./lib/temp-dir";
import { load as loadRun, type Delivery, type Figures } from "./lib/load";
import { hmacOf, webhookHeaders } from "./lib/sign";
import { seal } from "../app/crypto/secret-box.server";
import { buildStore } from "../simulator";
import { rechargeSignatureHeaders, rechargeWebhooks } from "../simulator/recharge/webhooks";
import { sealDeliveriesFor } from "../simulator/seal/subscriptions";
import { sealSignature } from "../simulator/seal/server";
import { flowActionRequestsFor, signFlowRequest, type FlowActionBody } from "../simulator/flow";

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith("--") && args.set(a.slice(2), all[i + 1]));
const duration = Number(args.get("duration") ?? 10);
const connections = Number(args.get("connections") ?? 32);
const deliveries = Number(args.get("deliveries") ?? 5000);
const only = new Set((args.get("sources") ?? "recharge,seal,flow").split(","));

const SECRET = "bench-secret";
const ENCRYPTION_KEY = "ab".repeat(32);
const SHOP = "bench.myshopify.com";
const RECHARGE_SECRET = "bench-recharge-client-secret";
const SEAL_SECRET = "bench-seal-api-secret";
const STORE = { seed: 11, subscribers: 300, months: 12, end: new Date("2026-11-01T00:00:00Z"), shopDomain: SHOP };
const work = benchDir("lifeline-bench-sources-");
const appEnv = (port: number, db: string, worker: "on" | "off") => ({
  NODE_ENV: "production",
  PORT: String(port),
  DATABASE_URL: `file:${db}`,
  SHOPIFY_API_KEY: "bench-key",
  SHOPIFY_API_SECRET: SECRET,
  SHOPIFY_APP_URL: "https://lifeline.bench",
  SCOPES: "read_own_subscription_contracts",
  ENCRYPTION_KEY,
  LIFELINE_WORKER: worker,
  LOG_LEVEL: "warn",
});

interface SourceCase {
  id: string;
  label: string;
  path: string;
  /** The i-th distinct delivery (i counts up across the whole run, so no two are the same). */
  delivery(i: number): Delivery;
}

// Templates from the simulated store: real bodies as each vendor sends them, made distinct per request.
const store = buildStore(STORE);
const charges = rechargeWebhooks(store).filter((w) => w.topic === "charge/paid");
const sealUpdates = store.subscribers.flatMap(sealDeliveriesFor).filter((d) => d.topic === "subscription/updated");
const flowRuns = flowActionRequestsFor(store).filter((r) => r.body.properties.event === "billing_succeeded");

const EVERY_SOURCE: SourceCase[] = [
  {
    id: "recharge",
    label: "recharge charge/paid",
    path: `/api/sources/recharge/${SHOP}?topic=charge/paid`,
    delivery(i) {
      const t = charges[i % charges.length].body as { charge: Record<string, unknown> };
      const body = JSON.stringify({ charge: { ...t.charge, id: 900_000_000_000 + i } });
      return { body, headers: { "content-type": "application/json", ...rechargeSignatureHeaders(body, RECHARGE_SECRET, new Date()) } };
    },
  },
  {
    id: "seal",
    label: "seal subscription/updated",
    path: `/api/sources/seal/${SHOP}`,
    delivery(i) {
      const t = sealUpdates[i % sealUpdates.length];
      const attempts = (t.body.billing_attempts as Record<string, unknown>[]) ?? [];
      const at = new Date(t.at.getTime() - 60_000).toISOString().replace(/\.\d{3}Z$/, "+00:00");
      const attempt = { id: 95_000_000 + i, date: at, status: "succeeded", order_id: String(5_500_000_000_000 + i), error_code: "", error_message: "" };
      const body = JSON.stringify({ ...t.body, billing_attempts: [...attempts, attempt] });
      return { body, headers: { "content-type": "application/json; charset=utf-8", "X-Seal-Topic": t.topic, "X-Seal-Hmac-Sha256": sealSignature(body, SEAL_SECRET) } };
    },
  },
  {
    id: "flow",
    label: "flow billing_succeeded",
    path: "/api/flow/record-event",
    delivery(i) {
      const t = flowRuns[i % flowRuns.length].body;
      // A later charge of the same contract: a new run and a new time, so a new event.
      const occurredAt = new Date(Date.parse(t.properties.occurred_at!) + (i + 1) * 1000).toISOString();
      const run: FlowActionBody = { ...t, action_run_id: randomUUID(), properties: { ...t.properties, occurred_at: occurredAt } };
      const body = JSON.stringify(run);
      return { body, headers: signFlowRequest(body, SECRET) };
    },
  },
];
const SOURCES = EVERY_SOURCE.filter((s) => only.has(s.id));

let sequence = 0;

/** The floor server checks Shopify's header: the same body, signed its way. */
function floorDelivery(source: SourceCase, i: number): Delivery {
  const { body } = source.delivery(i);
  const headers = { "content-type": "application/json", "x-shopify-hmac-sha256": hmacOf(body, SECRET), "x-shopify-shop-domain": SHOP, "x-shopify-event-id": randomUUID() };
  return { body, headers };
}

function shopifySkip(): Delivery {
  const body = JSON.stringify({
    billing_attempt_expected_date: "2026-11-01T00:00:00-04:00",
    contract_edit: null,
    cycle_end_at: "2026-11-01T00:00:00-04:00",
    cycle_index: 1,
    cycle_start_at: "2026-10-01T00:00:00-04:00",
    edited: true,
    skipped: true,
    subscription_contract_id: 42,
  });
  const id = randomUUID();
  return { body, headers: webhookHeaders({ topic: "subscription_billing_cycles/skip", shop: SHOP, body, secret: SECRET, webhookId: id, eventId: id, triggeredAt: new Date().toISOString() }) };
}

/** A migrated database with the simulated store's subscribers, the shop's offline session and its Recharge and Seal connections. */
function seedDatabase(file: string): void {
  migrate(`file:${file}`);
  seedStore({ file, shop: SHOP, subscribers: STORE.subscribers, months: STORE.months, seed: STORE.seed, end: STORE.end });
  const db = new Database(file);
  const now = new Date().toISOString().replace("Z", "+00:00");
  db.prepare(`INSERT INTO "Session" ("id", "shop", "state", "isOnline", "accessToken", "scope") VALUES (?, ?, '', 0, 'shpat_bench', 'read_own_subscription_contracts')`).run(`offline_${SHOP}`, SHOP);
  const connect = db.prepare(`INSERT INTO "SourceConnection" ("shop", "source", "encryptedCredentials", "connectedAt", "updatedAt") VALUES (?, ?, ?, ?, ?)`);
  // Sealed as saveSourceCredentials seals them: bound to "<shop>:<source>".
  connect.run(SHOP, "recharge", seal(JSON.stringify({ accessToken: "sk_bench", clientSecret: RECHARGE_SECRET }), `${SHOP}:recharge`, ENCRYPTION_KEY), now, now);
  connect.run(SHOP, "seal", seal(JSON.stringify({ apiToken: "seal_bench", apiSecret: SEAL_SECRET }), `${SHOP}:seal`, ENCRYPTION_KEY), now, now);
  db.close();
}

const load = (name: string, port: number, pathName: string, pid: number, next: () => Delivery) => loadRun(name, { port, pathName, pid, connections, duration, next });

async function floor(source: SourceCase): Promise<Figures> {
  const port = await freePort();
  const child = startProcess("node", ["--import", "tsx", "scripts/bench-floor-server.ts"], { PORT: String(port), FLOOR_DB: path.join(work, `floor-${source.id}.db`), SHOPIFY_API_SECRET: SECRET });
  await waitForPort(port);
  try {
    return await load(`floor, ${source.id} bodies`, port, "/webhooks", child.pid!, () => floorDelivery(source, sequence++));
  } finally {
    await stopProcess(child);
  }
}

/**
 * One production server for every acknowledgement run (worker off: the inbox only grows).
 * Each source's floor runs just before it (the production server idle meanwhile), so the
 * two see the same machine even when the load from elsewhere changes during the run.
 */
async function acknowledgements(): Promise<{ shopify: Figures; rows: { floor: Figures; lifeline: Figures }[] }> {
  const db = path.join(work, "ack.db");
  seedDatabase(db);
  const port = await freePort();
  const child = startProcess("node", ["server.mjs"], appEnv(port, db, "off"));
  await waitForPort(port);
  try {
    const shopify = await load("lifeline, shopify skip (POST /webhooks/..., fast path)", port, "/webhooks/subscription_billing_cycles", child.pid!, shopifySkip);
    const rows = [];
    for (const s of SOURCES) {
      const bare = await floor(s);
      const name = `lifeline, ${s.label} (POST ${s.path.split("?")[0].replace(SHOP, "<shop>")})`;
      rows.push({ floor: bare, lifeline: await load(name, port, s.path, child.pid!, () => s.delivery(sequence++)) });
    }
    return { shopify, rows };
  } finally {
    await stopProcess(child);
  }
}

interface EndToEnd {
  source: string;
  ackSeconds: number;
  processSeconds: number;
  perSecond: number;
  events: number;
  dead: number;
  enrich: number;
  peakRssMb: number;
}

/** N deliveries of one source posted 16 at a time to a server running its worker, timed until every one is processed. */
async function processing(source: SourceCase): Promise<EndToEnd> {
  const file = path.join(work, `e2e-${source.id}.db`);
  seedDatabase(file);
  const eventsBefore = (new Database(file, { readonly: true }).prepare(`SELECT COUNT(*) AS n FROM "SubscriberEvent"`).get() as { n: number }).n;
  const port = await freePort();
  const child = startProcess("node", ["server.mjs"], appEnv(port, file, "on"));
  await waitForPort(port);
  const rss = watchRss(child.pid!);
  const t0 = Date.now();
  try {
    let posted = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (posted < deliveries) {
          posted++;
          const d = source.delivery(sequence++);
          const res = await fetch(`http://127.0.0.1:${port}${source.path}`, { method: "POST", body: d.body, headers: d.headers });
          if (res.status !== 200) throw new Error(`${source.id} delivery answered ${res.status}: ${await res.text()}`);
          await res.arrayBuffer();
        }
      }),
    );
    const ackSeconds = (Date.now() - t0) / 1000;
    const db = new Database(file, { readonly: true });
    const settled = db.prepare(`SELECT COUNT(*) AS n FROM "Job" WHERE "queue" = 'webhook' AND "status" IN ('done', 'dead')`);
    while ((settled.get() as { n: number }).n < deliveries) await new Promise((r) => setTimeout(r, 50));
    const processSeconds = (Date.now() - t0) / 1000;
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const result = {
      source: source.label,
      ackSeconds,
      processSeconds,
      perSecond: deliveries / processSeconds,
      events: count(`SELECT COUNT(*) AS n FROM "SubscriberEvent"`) - eventsBefore,
      dead: count(`SELECT COUNT(*) AS n FROM "Job" WHERE "queue" = 'webhook' AND "status" = 'dead'`),
      enrich: count(`SELECT COUNT(*) AS n FROM "Job" WHERE "queue" = 'enrich'`),
      peakRssMb: rss.stop(),
    };
    db.close();
    return result;
  } finally {
    await stopProcess(child);
  }
}

async function main() {
  if (!existsSync("build/server/index.js")) execFileSync("npm", ["run", "build"], { stdio: "inherit" });
  console.log(`Source intake benchmark: ${connections} connections, ${duration} s each, loopback, ${new Date().toISOString()}`);
  const { shopify, rows } = await acknowledgements();
  console.log("\n| server | acks/s | p50 ms | p99 ms | non-2xx | errors | peak RSS MB | of floor |\n|---|---|---|---|---|---|---|---|");
  const line = (r: Figures, of: Figures | undefined) =>
    console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${r.peakRssMb.toFixed(0)} | ${of ? `${((r.rps / of.rps) * 100).toFixed(0)}%` : ""} |`);
  line(shopify, undefined);
  for (const r of rows) {
    line(r.floor, undefined);
    line(r.lifeline, r.floor);
  }
  const ends: EndToEnd[] = [];
  for (const s of SOURCES) ends.push(await processing(s));
  console.log(`\nEnd to end: ${deliveries} deliveries per source posted 16 at a time; timed until the worker has processed every one\n`);
  console.log("| source | posted in s | processed after s | deliveries/s | new timeline events | dead letters | enrich jobs | peak RSS MB |\n|---|---|---|---|---|---|---|---|");
  for (const e of ends) {
    console.log(`| ${e.source} | ${e.ackSeconds.toFixed(1)} | ${e.processSeconds.toFixed(1)} | ${e.perSecond.toFixed(0)} | ${e.events} | ${e.dead} | ${e.enrich} | ${e.peakRssMb.toFixed(0)} |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
