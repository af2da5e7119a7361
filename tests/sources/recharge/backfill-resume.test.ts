// The Recharge import survives its worker being killed: the worker runs as its own process
// (scripts/worker.ts, as `npm run worker` does) on this test file's SQLite database, is sent
// SIGKILL once the saved progress shows pages done, and a new worker process finishes the job
// once the dead one's lease has run out. Nothing is doubled (the counts equal a clean import's
// of the same account), the new process resumes at the saved cursor (the local Recharge
// server's log shows no page read twice but the one in flight), and the 429s a fresh process
// earns while Recharge's bucket is still full from the dead one are each retried.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, expect, test, vi } from "vitest";
import { config } from "~/config.server";
import { connectSource } from "~/sources/connect.server";
import { sourceConnectionStatus } from "~/models/source-connection.server";
import { createRechargePacer } from "~/sources/recharge/rate-limit";
import { buildRechargeDataSet } from "../../../simulator/recharge/dataset";
import type { RechargeRequest } from "../../../simulator/recharge/server";
import { prisma, workers } from "../../support/app";

const KILLED = "recharge-killed.myshopify.com";
const CLEAN = "recharge-clean.myshopify.com";
const TOKEN = "sk_resume_token";
const CLEAN_TOKEN = "sk_clean_token";
const SECRET = "rc-resume-secret";
const ROOT = path.resolve(__dirname, "../../..");

const { server } = await vi.hoisted(async () => {
  const { startRechargeServer } = await import("../../../simulator/recharge/server");
  // The killed import's token has Recharge's default limit; the clean one, for comparison, none.
  const server = await startRechargeServer({ tokens: { sk_resume_token: {}, sk_clean_token: { limit: false } }, clientSecret: "rc-resume-secret" });
  process.env.RECHARGE_API_BASE_URL = server.baseUrl;
  return { server };
});
const processes: ChildProcess[] = [];
afterAll(async () => {
  for (const w of processes) if (w.exitCode === null && w.signalCode === null) w.kill("SIGKILL");
  await server.stop();
});

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    cwd: ROOT,
    env: { ...process.env, RECHARGE_API_BASE_URL: server.baseUrl, LOG_LEVEL: "error" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  processes.push(child);
  return child;
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));

/** Polls until `check` holds; the cap only turns a broken pipeline into a failure instead of a hang. */
async function until(what: string, check: () => Promise<boolean>, capMs: number): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > capMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function counts(shop: string) {
  const events = await prisma.subscriberEvent.groupBy({ by: ["type"], where: { shop }, _count: { _all: true }, orderBy: { type: "asc" } });
  return {
    subscribers: await prisma.subscriber.count({ where: { shop } }),
    contracts: await prisma.contract.count({ where: { shop } }),
    events: Object.fromEntries(events.map((e) => [e.type, e._count._all])),
  };
}

const progressOf = async (shop: string) => (await sourceConnectionStatus(shop, "recharge")).backfillProgress as { stage: string; cursor: string | null; pages: number; webhooksAt?: string };
const pageKey = (r: RechargeRequest) => `${r.path} ${JSON.stringify(r.query)}`;
const isPageRead = (r: RechargeRequest) => r.method === "GET" && r.path !== "/webhooks" && r.query.limit === "250";

test("a worker killed mid-import is replaced, and the import resumes at its saved cursor with nothing doubled", async () => {
  if (config().RECHARGE_API_BASE_URL !== server.baseUrl) throw new Error("the app read its configuration before the Recharge server started");
  server.setData(buildRechargeDataSet({ subscriptions: 10_000, customers: 9_000 }));
  const connected = await connectSource(KILLED, "recharge", { accessToken: TOKEN, clientSecret: SECRET });
  expect(connected.ok).toBe(true);

  // The first worker process: killed without warning once 20 pages are saved.
  const first = startWorker();
  await until("20 pages saved", async () => (await progressOf(KILLED)).pages >= 20, 120_000);
  first.kill("SIGKILL");
  await exited(first);
  const killedAt = server.requests.length;
  const saved = await progressOf(KILLED);
  expect(saved.stage).not.toBe("done");
  const job = await prisma.job.findFirstOrThrow({ where: { shop: KILLED, queue: "source" } });
  expect(job.status).toBe("running"); // left behind by the dead worker

  // Its lease runs out (backdated here rather than waited for); a new worker process takes the job.
  await prisma.job.update({ where: { id: job.id }, data: { lockedAt: new Date(Date.now() - 10 * 60_000) } });
  const second = startWorker();
  await until("the import done", async () => (await sourceConnectionStatus(KILLED, "recharge")).backfillStatus === "done", 240_000);
  second.kill("SIGTERM");
  await exited(second);

  // The same account imported cleanly, through the same job on this process's sources worker
  // (its token has no limit at the server, nor has this process's pacer; scoring is not compared).
  globalThis.lifelineRechargePacer = createRechargePacer({ limit: { size: 1_000_000, leakPerSecond: 1_000_000 } });
  expect((await connectSource(CLEAN, "recharge", { accessToken: CLEAN_TOKEN, clientSecret: SECRET })).ok).toBe(true);
  await workers.sources.drain();
  expect((await sourceConnectionStatus(CLEAN, "recharge")).backfillStatus).toBe("done");

  // Nothing doubled: the same subscribers, contracts and events as the clean import, and the same progress.
  const clean = await counts(CLEAN);
  expect(clean.contracts).toBe(10_000);
  expect(await counts(KILLED)).toEqual(clean);
  const { webhooksAt: _a, ...killedProgress } = await progressOf(KILLED);
  const { webhooksAt: _b, ...cleanProgress } = await progressOf(CLEAN);
  expect(killedProgress).toEqual(cleanProgress);

  // The killed import's traffic: webhooks registered once, no page read twice but the one in flight at the kill.
  const traffic = server.requests.filter((r) => r.token === TOKEN);
  expect(traffic.filter((r) => r.method === "POST" && r.path === "/webhooks" && r.status === 201)).toHaveLength((await sourceConnectionStatus(KILLED, "recharge")).webhooksRegistered);
  const reads = traffic.filter((r) => isPageRead(r) && r.status === 200);
  const times = new Map<string, number>();
  for (const r of reads) times.set(pageKey(r), (times.get(pageKey(r)) ?? 0) + 1);
  const twice = [...times].filter(([, n]) => n > 1).map(([key]) => key);
  // At most the page after the saved cursor, and the customers read with it.
  expect(twice.filter((k) => !k.startsWith("/customers")).length).toBeLessThanOrEqual(1);
  expect(twice.filter((k) => k.startsWith("/customers")).length).toBeLessThanOrEqual(1);
  for (const key of twice.filter((k) => !k.startsWith("/customers"))) expect(key).toContain(JSON.stringify(saved.cursor));
  // The new process's first page is the one after the saved cursor.
  const resumed = server.requests.slice(killedAt).find((r) => r.token === TOKEN && isPageRead(r) && r.path !== "/customers" && r.status === 200);
  expect(resumed?.query.cursor).toBe(saved.cursor ?? undefined);

  // Within the limit: the bucket never went past 40, and every 429 (the fresh process's copy of
  // the bucket starts empty while Recharge's is still full) was sent again and answered.
  expect(server.bucketPeak(TOKEN)).toBeLessThanOrEqual(40);
  traffic.forEach((r, i) => {
    if (r.status === 429) expect(traffic.slice(i + 1).some((later) => pageKey(later) === pageKey(r) && later.status < 300)).toBe(true);
  });
}, 420_000);
