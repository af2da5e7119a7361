// Admin page benchmark: each page's loader (session-token check, queries, shaping) on a
// store of 100,000 subscribers with a year of history, called in-process as Remix calls
// it. Prints the median and p95 server time per page; asserts nothing.
//
//   npx tsx scripts/bench-pages.ts [--subscribers 100000] [--months 12] [--runs 20]
//     [--db FILE]    keep the seeded, scored store in FILE and reuse it on the next run
//     [--only TEXT]  time only the rows whose name contains TEXT

import { existsSync } from "node:fs";
import path from "node:path";
import { migrate } from "./lib/migrate";
import { benchDir, useBenchApp } from "./lib/temp-dir";
import { seedStore } from "./lib/seed-store";

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith("--") && args.set(a.slice(2), all[i + 1]));
const size = Number(args.get("subscribers") ?? 100_000);
const months = Number(args.get("months") ?? 12);
const runs = Number(args.get("runs") ?? 20);
const SHOP = "bench-pages.myshopify.com";
const end = new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z");

const kept = args.get("db");
const only = args.get("only");
const reuse = kept !== undefined && existsSync(kept);
const file = kept ?? path.join(benchDir("lifeline-pages-"), "pages.db");
useBenchApp(`file:${file}`, { NODE_ENV: "production" });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loader = (args: any) => unknown;

async function main() {
  let t0 = Date.now();
  if (!reuse) migrate(`file:${file}`);
  const seeded = reuse ? null : seedStore({ file, shop: SHOP, subscribers: size, months, seed: 42, end });
  if (seeded) console.log(`Seeded ${seeded.subscribers.toLocaleString()} subscribers, ${seeded.events.toLocaleString()} timeline events in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const { default: prisma, tuneDatabase } = await import("../app/db.server");
  const { sessionStorage } = await import("../app/shopify.server");
  const { Session } = await import("@shopify/shopify-api");
  const { mintSessionToken } = await import("../app/demo/session-token.server");
  const { startRescore, scoreDirtySubscribers } = await import("../app/rescore/index.server");
  await tuneDatabase();
  await sessionStorage.storeSession(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_bench", scope: process.env.SCOPES }));

  // Four weekly passes, so history, band changes and firings exist as on a live store.
  t0 = Date.now();
  for (let w = 3; w >= 0 && !reuse; w--) {
    const at = new Date(end.getTime() - w * 7 * 86_400_000);
    await startRescore(SHOP, `bench week -${w}`, at);
    while ((await scoreDirtySubscribers(at, 5000)) > 0);
  }
  const [firings, tasks] = await Promise.all([prisma.firing.count({ where: { shop: SHOP } }), prisma.task.count({ where: { shop: SHOP } })]);
  if (!reuse) console.log(`Scored four weekly passes in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${firings.toLocaleString()} firings, ${tasks.toLocaleString()} tasks`);

  const some = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP, status: "active", health: { isNot: null } }, select: { id: true, email: true } });
  const trigger = await prisma.trigger.findFirstOrThrow({ where: { shop: SHOP }, select: { key: true } });

  const pages: [string, string, () => Promise<{ loader: Loader }>, Record<string, string>?][] = [
    ["Home", "/app", () => import("../app/routes/app._index")],
    ["At-risk this week", "/app/at-risk", () => import("../app/routes/app.at-risk")],
    ["At-risk CSV", "/app/at-risk.csv", () => import("../app/routes/app.at-risk[.]csv")],
    ["Subscribers", "/app/subscribers", () => import("../app/routes/app.subscribers._index")],
    ["Subscribers, at risk, by value", "/app/subscribers?band=at_risk&sort=value", () => import("../app/routes/app.subscribers._index")],
    ["Subscribers, search", `/app/subscribers?view=all&q=${encodeURIComponent(some.email!.slice(0, 8))}`, () => import("../app/routes/app.subscribers._index")],
    ["Subscribers, at risk", "/app/subscribers?view=at_risk", () => import("../app/routes/app.subscribers._index")],
    ["Subscribers, cancelled", "/app/subscribers?view=cancelled", () => import("../app/routes/app.subscribers._index")],
    ["Subscribers, all, by change since last week", "/app/subscribers?view=all&sort=change", () => import("../app/routes/app.subscribers._index")],
    ["Subscribers, page 500", "/app/subscribers?page=500", () => import("../app/routes/app.subscribers._index")],
    ["Subscriber detail", `/app/subscribers/${some.id}`, () => import("../app/routes/app.subscribers.$id"), { id: some.id }],
    ["Tasks", "/app/tasks", () => import("../app/routes/app.tasks")],
    ["Playbook", "/app/playbook", () => import("../app/routes/app.playbook._index")],
    ["Trigger editor", `/app/playbook/${trigger.key}`, () => import("../app/routes/app.playbook.$key"), { key: trigger.key }],
    ["Reports", "/app/reports", () => import("../app/routes/app.reports")],
    ["Settings", "/app/settings", () => import("../app/routes/app.settings")],
  ];
  const request = (url: string, form?: Record<string, string>) => {
    const { token } = mintSessionToken({ shop: SHOP, apiKey: "bench-key", apiSecret: "bench-secret" });
    return new Request(new URL(url, "https://lifeline.bench"), {
      method: form ? "POST" : "GET",
      body: form ? new URLSearchParams(form) : undefined,
      headers: { Authorization: `Bearer ${token}`, "User-Agent": "Mozilla/5.0 Chrome/130.0.0.0 Safari/537.36" },
    });
  };
  const timeCalls = async (call: () => Promise<unknown>, n: number) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      const result = await call();
      if (result instanceof Response) await result.text();
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)], p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))] };
  };
  const time = (loader: Loader, url: string, params: Record<string, string>, n: number) => timeCalls(async () => loader({ request: request(url), params, context: {} }), n);
  const wanted = (name: string) => !only || name.toLowerCase().includes(only.toLowerCase());
  const row = (name: string, t: { median: number; p95: number }) =>
    console.log(`  ${name.padEnd(58)} ${t.median.toFixed(1).padStart(6)} ms ${t.p95.toFixed(1).padStart(6)} ms`);

  console.log(`\nLoader server time on ${size.toLocaleString()} subscribers (${runs} runs each, after one warm-up):`);
  console.log(`  ${"page".padEnd(58)} ${"median".padStart(9)} ${"p95".padStart(9)}`);
  for (const [name, url, load, params] of pages) {
    if (!wanted(name)) continue;
    const { loader } = await load();
    await time(loader, url, params ?? {}, 1);
    row(name, await time(loader, url, params ?? {}, runs));
  }

  // The panels that read the score check: first with nothing stored (the page says it is
  // being computed and queues the job), then once the job has stored it.
  const reports = await import("../app/routes/app.reports");
  const weights = await import("../app/routes/app.settings.weights");
  const { runScoreCheck } = await import("../app/health/score-check.server");
  const panels: [string, Loader, string][] = [
    ["Reports: score accuracy", reports.loader, "/app/reports?section=validation"],
    ["Settings: suggested weights", weights.loader, "/app/settings/weights"],
  ];
  if (panels.some(([name]) => wanted(name))) {
  await prisma.cacheEntry.deleteMany({ where: { shop: SHOP, key: { startsWith: "score-check:" } } });
  for (const [name, loader, url] of panels) row(`${name}, first view (nothing stored)`, await time(loader, url, {}, runs));
  t0 = Date.now();
  const check = await runScoreCheck(SHOP, new Date());
  console.log(`  (the score-check job, in the worker: ${((Date.now() - t0) / 1000).toFixed(1)} s for ${check.sample.subjects.toLocaleString()} of ${check.sample.of.toLocaleString()} subscribers)`);
  for (const [name, loader, url] of panels) row(`${name}, stored`, await time(loader, url, {}, runs));
  }

  // The trigger editor's dry run, as the page posts it: the form as loaded, intent "dry-run".
  const editor = await import("../app/routes/app.playbook.$key");
  const editorUrl = `/app/playbook/${trigger.key}`;
  const { values } = (await editor.loader({ request: request(editorUrl), params: { key: trigger.key }, context: {} })) as { values: Record<string, string> };
  const dryRun = () => editor.action({ request: request(editorUrl, { ...values, intent: "dry-run" }), params: { key: trigger.key }, context: {} });
  if (wanted("Trigger editor: dry run")) {
    await timeCalls(dryRun, 1);
    row("Trigger editor: dry run (90 days)", await timeCalls(dryRun, runs));
  }

  // Each at-risk row action through the route's action, on a different listed subscriber each time.
  const atRisk = await import("../app/routes/app.at-risk");
  const { CLOSE_REASONS } = await import("../app/playbook/tasks");
  const listed = await prisma.healthScore.findMany({ where: { shop: SHOP, live: true, band: { in: ["at_risk", "critical"] } }, orderBy: { score: "asc" }, take: 3 * (runs + 1), select: { subscriberId: true } });
  const rowActions: [string, Record<string, string>][] = [
    ["At-risk: Contacted", { intent: "contacted" }],
    ["At-risk: Snooze", { intent: "snooze" }],
    ["At-risk: Dismiss", { intent: "dismiss", reason: CLOSE_REASONS[0] }],
  ];
  let next = 0;
  for (const [name, form] of rowActions) {
    const act = () => atRisk.action({ request: request("/app/at-risk", { ...form, subscriberId: listed[next++ % listed.length].subscriberId }), params: {}, context: {} });
    if (!wanted(name)) continue;
    await timeCalls(act, 1);
    row(name, await timeCalls(act, runs));
  }
  await prisma.$disconnect();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
