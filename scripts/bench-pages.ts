// Admin page benchmark: each page's loader (session-token check, queries, shaping) on a
// store of 100,000 subscribers with a year of history, called in-process as Remix calls
// it. Prints the median and p95 server time per page; asserts nothing.
//
//   npx tsx scripts/bench-pages.ts [--subscribers 100000] [--months 12] [--runs 20]

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

const dir = benchDir("lifeline-pages-");
const file = path.join(dir, "pages.db");
useBenchApp(`file:${file}`, { NODE_ENV: "production" });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loader = (args: any) => unknown;

async function main() {
  migrate(`file:${file}`);
  let t0 = Date.now();
  const seeded = seedStore({ file, shop: SHOP, subscribers: size, months, seed: 42, end });
  console.log(`Seeded ${seeded.subscribers.toLocaleString()} subscribers, ${seeded.events.toLocaleString()} timeline events in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const { default: prisma, tuneDatabase } = await import("../app/db.server");
  const { sessionStorage } = await import("../app/shopify.server");
  const { Session } = await import("@shopify/shopify-api");
  const { mintSessionToken } = await import("../app/demo/session-token.server");
  const { startRescore, scoreDirtySubscribers } = await import("../app/rescore/index.server");
  await tuneDatabase();
  await sessionStorage.storeSession(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_bench", scope: process.env.SCOPES }));

  // Four weekly passes, so history, band changes and firings exist as on a live store.
  t0 = Date.now();
  for (let w = 3; w >= 0; w--) {
    const at = new Date(end.getTime() - w * 7 * 86_400_000);
    await startRescore(SHOP, `bench week -${w}`, at);
    while ((await scoreDirtySubscribers(at, 5000)) > 0);
  }
  const [firings, tasks] = await Promise.all([prisma.firing.count({ where: { shop: SHOP } }), prisma.task.count({ where: { shop: SHOP } })]);
  console.log(`Scored four weekly passes in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${firings.toLocaleString()} firings, ${tasks.toLocaleString()} tasks`);

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
  const heavy: [string, string, () => Promise<{ loader: Loader }>][] = [
    ["Reports: score accuracy (loaded after the page)", "/app/reports?section=validation", () => import("../app/routes/app.reports")],
  ];

  const request = (url: string) => {
    const { token } = mintSessionToken({ shop: SHOP, apiKey: "bench-key", apiSecret: "bench-secret" });
    return new Request(new URL(url, "https://lifeline.bench"), {
      headers: { Authorization: `Bearer ${token}`, "User-Agent": "Mozilla/5.0 Chrome/130.0.0.0 Safari/537.36" },
    });
  };
  const time = async (loader: Loader, url: string, params: Record<string, string>, n: number) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      const result = await loader({ request: request(url), params, context: {} });
      if (result instanceof Response) await result.text();
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)], p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))] };
  };

  console.log(`\nLoader server time on ${size.toLocaleString()} subscribers (${runs} runs each, after one warm-up):`);
  console.log(`  ${"page".padEnd(46)} ${"median".padStart(9)} ${"p95".padStart(9)}`);
  for (const [name, url, load, params] of pages) {
    const { loader } = await load();
    await time(loader, url, params ?? {}, 1);
    const t = await time(loader, url, params ?? {}, runs);
    console.log(`  ${name.padEnd(46)} ${t.median.toFixed(1).padStart(6)} ms ${t.p95.toFixed(1).padStart(6)} ms`);
  }
  for (const [name, url, load] of heavy) {
    const { loader } = await load();
    const t = await time(loader, url, {}, 3);
    console.log(`  ${name.padEnd(46)} ${t.median.toFixed(0).padStart(6)} ms ${t.p95.toFixed(0).padStart(6)} ms`);
  }
  await prisma.$disconnect();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
