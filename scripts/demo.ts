// `npm run demo`: a realistic simulated subscription store, run through the real app.
// Builds the store, installs the app for it on a fresh database, starts the production
// server with local stand-ins for Shopify's Admin API and Klaviyo, sends the store's
// whole webhook history, and prints what the app made of it.
// `--source recharge` or `--source flow` tells the same store through that source instead
// of Shopify's subscription webhooks (scripts/demo/feed-recharge.ts, feed-flow.ts).
//
//   npm run demo -- [--subscribers 2000] [--months 12] [--seed 42] [--concurrency 16]
//                   [--source shopify|recharge|flow] [--port 3000] [--keep-running]
import path from "node:path";
import { realpathSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildStore, helpdeskDeliveries } from "../simulator/index";
import { startKlaviyoServer, type KlaviyoServer } from "../simulator/klaviyo-server";
import type { RechargeServer } from "../simulator/recharge/server";
import { freePort } from "./lib/server-process";
import { startAdminApiServer, type AdminApiServer } from "./demo/admin-api-server";
import { ensureBuild, hasDemoMode, startAppServer, type AppServer } from "./demo/app-server";
import { createDemoDatabase, watchQueue, type QueueWatch } from "./demo/database";
import type { FeedContext } from "./demo/feed";
import { feedThroughFlow } from "./demo/feed-flow";
import { feedThroughRecharge, startDemoRecharge } from "./demo/feed-recharge";
import { CHROME_USER_AGENT, postDeliveries, type NotAcknowledged, type PostResult } from "./demo/post-deliveries";
import { readSummary, type DemoSummary } from "./demo/summary";
import { parseDemoArgs } from "./demo/cli-options";
import { SOURCE_NAMES, type DemoSource, type SourceReport } from "./demo/summary-source";
import { formatSummary, seconds } from "./demo/summary-text";
import { settle, until } from "./demo/wait";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The demo install's credentials: made up, and only ever sent to local servers. */
const DEMO = {
  shop: "lifeline-demo.myshopify.com",
  apiKey: "lifeline-demo-api-key",
  apiSecret: "lifeline-demo-api-secret",
  accessToken: "shpat_lifeline_demo_offline_token",
  scopes: "read_own_subscription_contracts,read_customers,read_customer_payment_methods",
  encryptionKey: "de5e".repeat(16),
  klaviyoKey: "pk_lifeline_demo",
  helpdeskSecret: "lifeline-demo-helpdesk-secret",
};

export interface DemoOptions {
  subscribers?: number;
  months?: number;
  seed?: number;
  /** Webhooks in flight at once. */
  concurrency?: number;
  /** Where the store's subscription events come from; default Shopify's own webhooks. */
  source?: DemoSource;
  /** Leave the app server up after the summary; stop it with the result's `stop()`. */
  keepRunning?: boolean;
  /** The app server's port; a free one when omitted. */
  port?: number;
  /** Default prisma/demo.db; deleted and recreated. */
  dbFile?: string;
  /** The store's last day; default today at 00:00 UTC. */
  end?: Date;
  /** Progress and the summary go here; default console.log. */
  log?: (line: string) => void;
}

export interface DemoResult extends DemoSummary {
  source: DemoSource;
  /** What the source did (Recharge's connection, import and webhooks; Flow's requests); none for Shopify's webhooks. */
  sourceReport: SourceReport | null;
  summaryText: string;
  dbFile: string;
  appUrl: string;
  posted: number;
  /** Of those, the helpdesk's tickets (the rest are the source's deliveries). */
  ticketsPosted: number;
  acknowledged: number;
  notAcknowledged: NotAcknowledged[];
  distinctEventIds: number;
  /** Deliveries the store sent a second time (same event id). */
  resent: number;
  adminApiCalls: Record<string, number>;
  /** Whether the app's local demo mode (/demo) answered. */
  demoMode: boolean;
  seconds: number;
  phases: [string, number][];
  /** Stops the servers (already stopped unless keepRunning). */
  stop: () => Promise<void>;
}

const running = new Set<() => Promise<void>>();

/** Stops every server a demo in this process started and has not stopped yet. */
export async function stopDemoProcesses(): Promise<void> {
  for (const stop of [...running]) await stop().catch(() => {});
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const t0 = Date.now();
  const log = options.log ?? ((line: string) => console.log(line));
  const subscribers = options.subscribers ?? 2000;
  const months = options.months ?? 12;
  const seed = options.seed ?? 42;
  const concurrency = options.concurrency ?? 16;
  const source = options.source ?? "shopify";
  const dbFile = path.resolve(options.dbFile ?? path.join(ROOT, "prisma/demo.db"));
  const end = options.end ?? todayUtc();
  const phases: [string, number][] = [];
  let mark = Date.now();
  const phase = (name: string) => {
    phases.push([name, (Date.now() - mark) / 1000]);
    mark = Date.now();
  };

  const childEnv = cleanEnv();
  if (ensureBuild(ROOT, { ...childEnv, NODE_ENV: "production" })) log("Built the app (app/ had changed since the last build).");
  phase("build check");

  log(`Simulating ${subscribers} subscribers over ${months} months (seed ${seed})...`);
  const store = buildStore({ seed, subscribers, months, end, shopDomain: DEMO.shop });
  phase("store simulation");

  createDemoDatabase(dbFile, {
    shop: DEMO.shop,
    accessToken: DEMO.accessToken,
    scopes: DEMO.scopes,
    installedAt: store.start,
    klaviyo: { apiKey: DEMO.klaviyoKey, encryptionKey: DEMO.encryptionKey, accountName: "Simulated Store" },
    helpdeskSecret: DEMO.helpdeskSecret,
  });
  phase("database");

  let klaviyo: KlaviyoServer | undefined;
  let admin: AdminApiServer | undefined;
  let recharge: RechargeServer | undefined;
  let app: AppServer | undefined;
  let watch: QueueWatch | undefined;
  const stopAll = async () => {
    running.delete(stopAll);
    watch?.close();
    const servers = [app, admin, klaviyo, recharge];
    watch = app = admin = klaviyo = recharge = undefined;
    for (const server of servers) await server?.stop();
  };
  running.add(stopAll);

  try {
    klaviyo = await startKlaviyoServer();
    admin = await startAdminApiServer(store, { accessToken: DEMO.accessToken, asOf: store.start });
    if (source === "recharge") recharge = await startDemoRecharge();
    const port = options.port ?? (await freePort());
    app = await startAppServer({
      root: ROOT,
      port,
      preload: [path.join(ROOT, "scripts/demo/route-admin-api.mjs"), path.join(ROOT, "scripts/demo/exit-with-parent.mjs")],
      env: {
        ...childEnv,
        NODE_ENV: "production",
        DATABASE_URL: `file:${dbFile}`,
        SHOPIFY_API_KEY: DEMO.apiKey,
        SHOPIFY_API_SECRET: DEMO.apiSecret,
        // Recharge posts to the addresses the app registers, made from this: a literal address spares each of its
        // connections a name lookup (several times slower through localhost here).
        SHOPIFY_APP_URL: source === "recharge" ? `http://127.0.0.1:${port}` : `http://localhost:${port}`,
        SCOPES: DEMO.scopes,
        ENCRYPTION_KEY: DEMO.encryptionKey,
        LIFELINE_WORKER: "on",
        // The app's local stand-in for the Shopify admin, for browsing the pages afterwards.
        LIFELINE_DEMO: "1",
        KLAVIYO_API_BASE_URL: klaviyo.baseUrl,
        DEMO_ADMIN_API_URL: admin.url,
        DEMO_SHOP_DOMAIN: DEMO.shop,
        DEMO_PARENT_PID: String(process.pid),
        ...(recharge ? { RECHARGE_API_BASE_URL: recharge.baseUrl } : {}),
      },
    });
    phase("app start");

    // The store's helpdesk sends its tickets alongside the subscription events, in time order.
    const tickets = helpdeskDeliveries(store.subscribers);
    watch = watchQueue(dbFile);
    const queue = watch;
    const appServer = app;
    const adminApi = admin;
    const signing = { appUrl: app.url, shop: DEMO.shop, secret: DEMO.apiSecret, helpdeskSecret: DEMO.helpdeskSecret };
    const waitForWeek = () => until(() => queue.webhooksInHand() === 0, 300_000, "the app to process a week of webhooks", appServer);
    const onWeek = (week: number, weeks: number, posted: number) => {
      if (week % 10 === 0 || week === weeks) log(`  week ${week}/${weeks}: ${posted} sent (${seconds((Date.now() - t0) / 1000)})`);
    };
    let sent: PostResult;
    let sourceReport: SourceReport | null = null;
    if (source === "shopify") {
      const deliveries = [...store.deliveries, ...tickets].sort((a, b) => Date.parse(a.sendAt) - Date.parse(b.sendAt));
      log(`Sending ${store.deliveries.length} webhooks and ${tickets.length} helpdesk tickets to ${app.url}, one simulated week at a time...`);
      sent = await postDeliveries({
        ...signing,
        deliveries,
        start: store.start,
        concurrency,
        advanceClock: (at) => adminApi.setAsOf(at),
        waitUntilProcessed: waitForWeek,
        onWeek,
      });
    } else {
      // Shopify sends none of its subscription webhooks: the source tells the store's history.
      const ctx: FeedContext = {
        store,
        signing,
        tickets,
        concurrency,
        admin: adminApi,
        queue,
        waitFor: (done, timeoutMs, what) => until(done, timeoutMs, what, appServer),
        waitForWeek,
        onWeek,
        log,
        phase,
      };
      const fed = source === "recharge" ? await feedThroughRecharge(recharge!, ctx) : await feedThroughFlow(ctx);
      sent = fed.sent;
      sourceReport = fed.report;
    }
    phase(source === "shopify" ? "webhooks" : `${SOURCE_NAMES[source]} deliveries`);

    await settle(queue);
    phase("final processing");

    const klaviyoEvents: Record<string, number> = {};
    for (const e of klaviyo.events) klaviyoEvents[e.metric] = (klaviyoEvents[e.metric] ?? 0) + 1;
    const summary = await readSummary(dbFile, {
      shop: DEMO.shop,
      now: new Date(),
      acknowledged: sent.acknowledged,
      klaviyoEvents,
      simulatorCancelled: store.truth.filter((t) => t.cancelledAt != null).length,
    });
    const demoMode = await hasDemoMode(app.url, CHROME_USER_AGENT);
    phase("summary");
    if (!options.keepRunning) await stopAll();
    const webhookSeconds = (sent.sendingMs + sent.waitingMs) / 1000;

    const total = (Date.now() - t0) / 1000;
    const summaryText = formatSummary(summary, {
      shop: DEMO.shop,
      subscribers,
      months,
      seed,
      start: store.start,
      end: store.end,
      posted: sent.posted,
      acknowledged: sent.acknowledged,
      notAcknowledged: sent.notAcknowledged,
      appUrl: `http://127.0.0.1:${port}`,
      demoMode,
      dbFile: path.relative(process.cwd(), dbFile) || dbFile,
      keepRunning: Boolean(options.keepRunning),
      phases,
      totalSeconds: total,
      ...(sourceReport ? { source: sourceReport } : {}),
      notes: [
        `${source === "shopify" ? "Webhooks" : "Deliveries"}: ${sent.posted} in ${seconds(webhookSeconds)} = ${(sent.posted / webhookSeconds).toFixed(0)}/s end to end ` +
          `(${seconds(sent.sendingMs / 1000)} sending, ${seconds(sent.waitingMs / 1000)} waiting for the app to finish each week's work).`,
      ],
    });
    log("");
    log(summaryText);
    return {
      ...summary,
      source,
      sourceReport,
      summaryText,
      dbFile,
      appUrl: `http://127.0.0.1:${port}`,
      posted: sent.posted,
      ticketsPosted: tickets.length,
      acknowledged: sent.acknowledged,
      notAcknowledged: sent.notAcknowledged,
      distinctEventIds: sent.distinctEventIds,
      resent: sent.resent,
      adminApiCalls: Object.fromEntries(adminApi.calls),
      demoMode,
      seconds: total,
      phases,
      stop: stopAll,
    };
  } catch (error) {
    const output = app?.output();
    await stopAll();
    if (output && error instanceof Error) error.message += `\n--- app server output (last lines) ---\n${output}`;
    throw error;
  }
}

function todayUtc(): Date {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/** This process's environment, minus what would change how the app runs (a test runner's, say). */
function cleanEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VITEST|TEST$|NODE_OPTIONS$|DATABASE_URL$|SHOPIFY_|SCOPES$|ENCRYPTION_KEY$|KLAVIYO_|RECHARGE_|LIFELINE_|PORT$)/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

async function main(): Promise<void> {
  const options = parseDemoArgs(process.argv.slice(2));
  const interrupted = () => {
    void stopDemoProcesses().then(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  const result = await runDemo(options);
  if (!options.keepRunning) return;
  process.removeListener("SIGINT", interrupted);
  process.removeListener("SIGTERM", interrupted);
  const stop = () => void result.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await new Promise(() => {}); // until Ctrl-C
}

function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main().catch(async (error) => {
    console.error(error instanceof Error ? error.message : error);
    await stopDemoProcesses();
    process.exit(1);
  });
}
