// Health benchmark: a full rescore of a large store, the cost of one incremental update,
// and how well the default score predicts the demo store's own cancellations.
// Prints figures; asserts nothing.
//
//   npx tsx scripts/bench-health.ts [--subscribers 100000] [--months 12]

import path from "node:path";
import { migrate } from "./lib/migrate";
import { benchDir, useBenchApp } from "./lib/temp-dir";
import { seedStore } from "./lib/seed-store";

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith("--") && args.set(a.slice(2), all[i + 1]));
const size = Number(args.get("subscribers") ?? 100_000);
const months = Number(args.get("months") ?? 12);
const SHOP = "bench-health.myshopify.com";
const DEMO = "lifeline-demo.myshopify.com";
const end = new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z");

const dir = benchDir("lifeline-health-");
const file = path.join(dir, "health.db");
useBenchApp(`file:${file}`);

const mb = () => process.memoryUsage().rss / 1024 / 1024;

async function main() {
  migrate(`file:${file}`);
  let t0 = Date.now();
  const seeded = seedStore({ file, shop: SHOP, subscribers: size, months, seed: 42, end });
  const demo = seedStore({ file, shop: DEMO, subscribers: 2000, months: 12, seed: 42, end });
  console.log(`Seeded ${seeded.subscribers.toLocaleString()} subscribers with ${seeded.events.toLocaleString()} timeline events (${months} months) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const { default: prisma, tuneDatabase } = await import("../app/db.server");
  const { startRescore, scoreDirtySubscribers } = await import("../app/rescore/index.server");
  const { rescoreBatch } = await import("../app/rescore/index.server");
  const { shopScoring } = await import("../app/health/settings.server");
  const { validateShopScore } = await import("../app/health/validate-shop.server");
  await tuneDatabase();

  // Full rescore: every subscriber of the large store, as after a config change.
  let peak = mb();
  const sampler = setInterval(() => (peak = Math.max(peak, mb())), 50);
  t0 = Date.now();
  await startRescore(SHOP, "benchmark", end);
  let scored = 0;
  for (;;) {
    const n = await scoreDirtySubscribers(end, 2000);
    if (n === 0) break;
    scored += n;
  }
  const fullSeconds = (Date.now() - t0) / 1000;
  clearInterval(sampler);
  const firings = await prisma.firing.count({ where: { shop: SHOP } });
  const historyRows = await prisma.healthHistory.count({ where: { shop: SHOP } });
  console.log(`\nFirst rescore of an imported store (walks each subscriber's whole history): ${scored.toLocaleString()} subscribers in ${fullSeconds.toFixed(1)} s (${Math.round(scored / fullSeconds).toLocaleString()}/s), peak RSS ${peak.toFixed(0)} MB; ${historyRows.toLocaleString()} history rows (weekly snapshots and band changes) and ${firings.toLocaleString()} firings (live window only) written`);

  // The daily decay pass (or a rescore after a settings change): every current subscriber, a day later.
  const nextDay = new Date(end.getTime() + 86_400_000);
  peak = mb();
  const sampler2 = setInterval(() => (peak = Math.max(peak, mb())), 50);
  t0 = Date.now();
  await startRescore(SHOP, "benchmark, a day later", nextDay);
  let rescored = 0;
  for (;;) {
    const n = await scoreDirtySubscribers(nextDay, 2000);
    if (n === 0) break;
    rescored += n;
  }
  const dailySeconds = (Date.now() - t0) / 1000;
  clearInterval(sampler2);
  console.log(`Full rescore a day later (the daily decay pass): ${rescored.toLocaleString()} subscribers in ${dailySeconds.toFixed(1)} s (${Math.round(rescored / dailySeconds).toLocaleString()}/s), peak RSS ${peak.toFixed(0)} MB`);

  // One incremental update: the path a webhook takes after its events are written.
  const scoring = await shopScoring(SHOP);
  const sample = await prisma.subscriber.findMany({ where: { shop: SHOP, status: "active" }, select: { id: true }, take: 300, skip: 1000 });
  const times: number[] = [];
  for (const { id } of sample) {
    const s = performance.now();
    await rescoreBatch(SHOP, [id], new Date(nextDay.getTime() + 3_600_000), scoring);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
  console.log(`Incremental update (one subscriber: read, walk from the last look to now, write score + history): median ${q(0.5)} ms, p95 ${q(0.95)} ms over ${times.length}`);

  // The demo store (2,000 subscribers, seed 42): does the default score see its cancels coming?
  await startRescore(DEMO, "benchmark", end);
  // (the demo store's history is walked in full here too)
  while ((await scoreDirtySubscribers(end, 2000)) > 0);
  for (const horizon of [30, 60] as const) {
    const v = await validateShopScore(DEMO, end, { horizonDays: horizon });
    if (v.backtest.status !== "ok") {
      console.log(`Demo store, ${horizon}-day horizon: ${v.backtest.message}`);
      continue;
    }
    const b = v.backtest;
    console.log(
      `Demo store, next ${horizon} days: AUC ${b.auc.toFixed(3)}; top 10% at-risk list catches ${(b.atK.recall * 100).toFixed(0)}% of cancels (precision ${(b.atK.precision * 100).toFixed(0)}%, lift ${b.lift.toFixed(1)}x); ${b.observations.length.toLocaleString()} subscriber-weeks, ${b.cancels} cancels`,
    );
    if (horizon === 30 && v.weights.status === "ok") {
      console.log(`  suggested weights would rank them at AUC ${v.weights.aucSuggested.toFixed(3)} (current ${v.weights.aucCurrent.toFixed(3)})`);
    }
  }
  await prisma.$disconnect();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
