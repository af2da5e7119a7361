// `npm run demo`: a realistic simulated subscription store, run through the real app.
// Builds the store, installs the app for it on a fresh database, starts the production
// server with local stand-ins for Shopify's Admin API and Klaviyo, sends the store's
// whole webhook history, and prints what the app made of it.
//
//   npm run demo -- [--subscribers 2000] [--months 12] [--seed 42] [--concurrency 16]
//                   [--port 3000] [--keep-running]
import path from "node:path";
import { realpathSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { buildStore, helpdeskDeliveries } from "../simulator/index";
import { startKlaviyoServer, type KlaviyoServer } from "../simulator/klaviyo-server";
import { freePort } from "./lib/server-process";
import { startAdminApiServer, type AdminApiServer } from "./demo/admin-api-server";
import { ensureBuild, hasDemoMode, startAppServer, type AppServer } from "./demo/app-server";
import { createDemoDatabase, watchQueue, type QueueWatch } from "./demo/database";
import { CHROME_USER_AGENT, postDeliveries, type NotAcknowledged } from "./demo/post-deliveries";
import { readSummary, type DemoSummary } from "./demo/summary";
import { formatSummary, seconds } from "./demo/summary-text";

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
  summaryText: string;
  dbFile: string;
  appUrl: string;
  posted: number;
  /** Of those, the helpdesk's tickets (the rest are Shopify's webhooks). */
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
  let app: AppServer | undefined;
  let watch: QueueWatch | undefined;
  const stopAll = async () => {
    running.delete(stopAll);
    watch?.close();
    const servers = [app, admin, klaviyo];
    watch = app = admin = klaviyo = undefined;
    for (const server of servers) await server?.stop();
  };
  running.add(stopAll);

  try {
    klaviyo = await startKlaviyoServer();
    admin = await startAdminApiServer(store, { accessToken: DEMO.accessToken, asOf: store.start });
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
        SHOPIFY_APP_URL: `http://localhost:${port}`,
        SCOPES: DEMO.scopes,
        ENCRYPTION_KEY: DEMO.encryptionKey,
        LIFELINE_WORKER: "on",
        // The app's local stand-in for the Shopify admin, for browsing the pages afterwards.
        LIFELINE_DEMO: "1",
        KLAVIYO_API_BASE_URL: klaviyo.baseUrl,
        DEMO_ADMIN_API_URL: admin.url,
        DEMO_SHOP_DOMAIN: DEMO.shop,
        DEMO_PARENT_PID: String(process.pid),
      },
    });
    phase("app start");

    // The store's helpdesk sends its tickets alongside Shopify's webhooks, in time order.
    const tickets = helpdeskDeliveries(store.subscribers);
    const deliveries = [...store.deliveries, ...tickets].sort((a, b) => Date.parse(a.sendAt) - Date.parse(b.sendAt));
    log(`Sending ${store.deliveries.length} webhooks and ${tickets.length} helpdesk tickets to ${app.url}, one simulated week at a time...`);
    watch = watchQueue(dbFile);
    const queue = watch;
    const appServer = app;
    const adminApi = admin;
    const sent = await postDeliveries({
      appUrl: app.url,
      shop: DEMO.shop,
      secret: DEMO.apiSecret,
      helpdeskSecret: DEMO.helpdeskSecret,
      deliveries,
      start: store.start,
      concurrency,
      advanceClock: (at) => adminApi.setAsOf(at),
      waitUntilProcessed: () => until(() => queue.webhooksInHand() === 0, 300_000, "the app to process a week of webhooks", appServer),
      onWeek: (week, weeks, posted) => {
        if (week % 10 === 0 || week === weeks) log(`  week ${week}/${weeks}: ${posted} sent (${seconds((Date.now() - t0) / 1000)})`);
      },
    });
    phase("webhooks");

    await settle(queue);
    phase("final processing");

    const klaviyoEvents: Record<string, number> = {};
    for (const e of klaviyo.events) klaviyoEvents[e.metric] = (klaviyoEvents[e.metric] ?? 0) + 1;
    const summary = readSummary(dbFile, {
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
      notes: [
        `Webhooks: ${sent.posted} in ${seconds(webhookSeconds)} = ${(sent.posted / webhookSeconds).toFixed(0)}/s end to end ` +
          `(${seconds(sent.sendingMs / 1000)} sending, ${seconds(sent.waitingMs / 1000)} waiting for the app to finish each week's work).`,
      ],
    });
    log("");
    log(summaryText);
    return {
      ...summary,
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

/**
 * Waits for the app to finish what the webhooks started: every webhook job (retries
 * included), the scoring that follows them, other due jobs, and the plays outbox. Plays
 * that stop moving are waiting for a later time and are reported as pending.
 */
async function settle(queue: QueueWatch): Promise<void> {
  await until(() => queue.webhooksUnfinished() === 0, 90_000, null);
  await until(() => queue.scoringPending() === 0 && queue.dueOrRunning() === 0, 60_000, null);
  let last = -1;
  let movedAt = Date.now();
  await until(
    () => {
      const pending = queue.playsPending();
      if (pending !== last) [last, movedAt] = [pending, Date.now()];
      return pending === 0 || Date.now() - movedAt > 5000;
    },
    60_000,
    null,
  );
}

/** Polls `done` until it holds. On timeout, throws when `what` names the wait, else returns. */
async function until(done: () => boolean, timeoutMs: number, what: string | null, app?: AppServer): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) {
      if (what === null) return;
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${app ? `\n${app.output()}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 25));
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
    if (/^(VITEST|TEST$|NODE_OPTIONS$|DATABASE_URL$|SHOPIFY_|SCOPES$|ENCRYPTION_KEY$|KLAVIYO_|LIFELINE_|PORT$)/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

function parseOptions(argv: string[]): DemoOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      subscribers: { type: "string" },
      months: { type: "string" },
      seed: { type: "string" },
      concurrency: { type: "string" },
      port: { type: "string" },
      "keep-running": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "npm run demo -- [--subscribers 2000] [--months 12] [--seed 42] [--concurrency 16] [--port N] [--keep-running]",
    );
    process.exit(0);
  }
  const int = (name: string, value: string | undefined, min: number) => {
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new Error(`--${name} must be a whole number of at least ${min} (got "${value}")`);
    return parsed;
  };
  return {
    subscribers: int("subscribers", values.subscribers, 1),
    months: int("months", values.months, 1),
    seed: int("seed", values.seed, 0),
    concurrency: int("concurrency", values.concurrency, 1),
    port: int("port", values.port, 1),
    keepRunning: values["keep-running"] ?? false,
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
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
