// Plays benchmark: N firings scored through the playbook engine into the real outbox,
// then delivered by the real plays worker with the real klaviyo-api SDK to the local
// Klaviyo server, which enforces Klaviyo's Create Event limits (350/s burst, 3,500/min
// steady). Prints figures; asserts nothing.
//
//   npx tsx scripts/bench-plays.ts [--plays 10000] [--timeout 600]

import path from "node:path";
import { migrate } from "./lib/migrate";
import { benchDir, useBenchApp } from "./lib/temp-dir";
import { startKlaviyoServer } from "../simulator/klaviyo-server";

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith("--") && args.set(a.slice(2), all[i + 1]));
const N = Number(args.get("plays") ?? 10_000);
const timeoutS = Number(args.get("timeout") ?? 600);

const SHOP = "bench-plays.myshopify.com";
const KEY = "pk_bench_0123456789abcdef";
const STEADY_LIMIT = 3500;
const work = benchDir("lifeline-bench-plays-");
const dbUrl = `file:${path.join(work, "bench.db")}`;

// Configuration before any app module loads (the database client is created on import).
useBenchApp(dbUrl);
migrate(dbUrl);

const sim = await startKlaviyoServer(); // Klaviyo's default limits: 350/s burst, 3,500/min steady
process.env.KLAVIYO_API_BASE_URL = sim.baseUrl;

const { default: prisma, tuneDatabase } = await import("../app/db.server");
const { saveKlaviyoKey } = await import("../app/models/klaviyo-connection.server");
const { rescoreBatch } = await import("../app/rescore/index.server");
const { appendEvents } = await import("../app/models/timeline.server");
const { createWorkers } = await import("../app/workers.server");
const { isHoldout } = await import("../app/playbook/holdout");
type Event = import("../app/domain/timeline").TimelineEvent;
await tuneDatabase();

const DAY = 86_400_000;
const now = new Date();
const ago = (d: number) => new Date(now.getTime() - d * DAY);
const settled: Event[] = [
  { type: "contract.created", occurredAt: ago(400), contractId: "1", data: {} },
  { type: "billing.succeeded", occurredAt: ago(60), contractId: "1", data: {} },
  { type: "billing.succeeded", occurredAt: ago(30), contractId: "1", data: {} },
];
const skipped: Event[] = [
  ...settled,
  { type: "cycle.skipped", occurredAt: ago(3), contractId: "1", data: {} },
  { type: "cycle.skipped", occurredAt: ago(2), contractId: "1", data: {} },
];

// ---- Setup (not timed): subscribers, the Klaviyo connection, and N firings through the engine.
const setupStart = Date.now();
if (!(await saveKlaviyoKey(SHOP, KEY)).ok) throw new Error("could not connect the local Klaviyo");
const ids = Array.from({ length: N * 2 }, (_, i) => `bench-sub-${i}`);
await prisma.subscriber.createMany({
  data: ids.map((id) => ({ id, shop: SHOP, customerId: id, email: `${id}@example.com`, status: "active", firstSubscribedAt: ago(400) })),
});
// The skip-streak trigger holds out 10% of subscribers: score N treated ones (each owes
// one play) and a few held-out ones (recorded, owed nothing). Their skips are two and
// three days old, inside the live window: the rescore stage fires at the second skip.
const treated = ids.filter((id) => !isHoldout(SHOP, "skip-streak", id, 10)).slice(0, N);
const held = ids.filter((id) => isHoldout(SHOP, "skip-streak", id, 10)).slice(0, Math.ceil(N / 100));
const toScore = [...treated, ...held];
for (const subscriberId of toScore) {
  await appendEvents(prisma, SHOP, subscriberId, skipped.map((e, i) => ({ ...e, sourceKey: `${subscriberId}:${i}` })));
}
for (let i = 0; i < toScore.length; i += 250) await rescoreBatch(SHOP, toScore.slice(i, i + 250), now);
const queued = await prisma.playDelivery.count({ where: { shop: SHOP } });
const firings = await prisma.firing.count({ where: { shop: SHOP } });
const holdouts = await prisma.firing.count({ where: { shop: SHOP, holdout: true } });
const setupS = (Date.now() - setupStart) / 1000;
sim.reset(); // count only the plays' traffic

// ---- Delivery (timed): the plays worker as the server runs it.
const worker = createWorkers().plays;
const started = Date.now();
worker.start();
let sent = 0;
while (Date.now() - started < timeoutS * 1000) {
  await new Promise((r) => setTimeout(r, 1000));
  sent = await prisma.playDelivery.count({ where: { shop: SHOP, status: "sent" } });
  if (sent >= queued) break;
}
const elapsedMs = Date.now() - started;
await worker.stop();

// ---- Figures, from what the Klaviyo server received.
const accepted = sim.requests.filter((r) => r.path === "/api/events" && r.status === 202).map((r) => r.at).sort((a, b) => a - b);
const throttled = sim.requests.filter((r) => r.status === 429).length;
const expected = new Set((await prisma.playDelivery.findMany({ where: { shop: SHOP }, select: { uniqueId: true } })).map((p) => p.uniqueId));
const received = new Set(sim.events.map((e) => e.uniqueId));
const lost = [...expected].filter((u) => !received.has(u)).length;
const deliveredS = (accepted.at(-1)! - started) / 1000;
// Steady state: the run's last minute, once the burst and the first minute's allowance are spent.
const steadyEvents = accepted.filter((t) => t > accepted.at(-1)! - 60_000);
const steadyPerMin = deliveredS > 90 && steadyEvents.length > 1 ? ((steadyEvents.length - 1) / (steadyEvents.at(-1)! - steadyEvents[0])) * 60_000 : NaN;
const overallPerMin = (accepted.length / deliveredS) * 60;
const failed = await prisma.playDelivery.count({ where: { shop: SHOP, status: "failed" } });

const fmt = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`Plays benchmark: ${fmt(queued)} plays from ${fmt(firings)} firings (${fmt(holdouts)} held out, owed no play); setup ${fmt(setupS, 1)} s`);
console.log(`  delivered            ${fmt(accepted.length)} in ${fmt(deliveredS, 1)} s${sent < queued ? ` (stopped at the ${timeoutS} s timeout)` : ""}`);
console.log(`  plays per minute     ${fmt(overallPerMin)} overall (includes Klaviyo's initial burst allowance)`);
console.log(
  Number.isNaN(steadyPerMin)
    ? `  steady plays/minute  (run too short to leave the initial allowance; use more plays)`
    : `  steady plays/minute  ${fmt(steadyPerMin)} over the last minute = ${fmt((steadyPerMin / STEADY_LIMIT) * 100, 1)}% of the ${fmt(STEADY_LIMIT)}/min steady limit`,
);
console.log(`  first minute         ${fmt(accepted.filter((t) => t < started + 60_000).length)} events`);
console.log(`  429s seen            ${fmt(throttled)}`);
console.log(`  plays lost           ${fmt(lost)}   (failed: ${fmt(failed)})`);
console.log(`  duplicates           ${fmt(sim.duplicates.length)}   (second sends of a unique_id that Klaviyo would drop)`);

await sim.stop();
await prisma.$disconnect();
process.exit(0);
