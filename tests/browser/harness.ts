/**
 * Browser tests against the real production server: a simulated store seeded into its
 * own SQLite file, scored, and opened in Debian's Chromium through the app's local demo
 * mode (which stands in for the Shopify admin and App Bridge). One app per test file:
 *
 *   let app: BrowserApp;
 *   beforeAll(async () => { app = await startBrowserApp({ subscribers: 200 }); }, BROWSER_APP_TIMEOUT);
 *   afterAll(() => app?.stop());
 *   it("...", async () => { const page = await app.open("/app/at-risk"); await app.screenshot(page, "at-risk"); });
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { ensureBuild, startAppServer, type AppServer } from "../../scripts/demo/app-server";
import { createDemoDatabase } from "../../scripts/demo/database";
import { freePort } from "../../scripts/lib/server-process";
import { seedStore } from "../../scripts/lib/seed-store";
import { startKlaviyoServer, type KlaviyoServer } from "../../simulator/klaviyo-server";
import { DEMO_SHOP } from "../../app/demo/constants";
import { addTrouble } from "./support/trouble";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SCREENSHOTS = path.join(ROOT, "test-artifacts/screenshots");
/** For beforeAll: a build, a seeded and scored store, a server and a browser. */
export const BROWSER_APP_TIMEOUT = 240_000;
/** A normal Chrome: the app answers a HeadlessChrome user agent with 410 (isbot). */
export const CHROME_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Made-up credentials, only ever sent to the local servers. */
export const INSTALL = {
  apiKey: "lifeline-browser-api-key",
  apiSecret: "lifeline-browser-api-secret",
  accessToken: "shpat_lifeline_browser_offline_token",
  scopes: "read_own_subscription_contracts,read_customers,read_customer_payment_methods",
  encryptionKey: "b0b0".repeat(16),
  klaviyoKey: "pk_lifeline_browser",
};

export interface BrowserAppOptions {
  /** The simulated store (the demo shop). Defaults: 200 subscribers, 8 months, seed 11. */
  subscribers?: number;
  months?: number;
  seed?: number;
  /** Run the app's worker (plays delivered to the local Klaviyo server, daily rescores). Default off: the data holds still. */
  worker?: boolean;
  /** Store the merchant's Klaviyo connection, as after connecting in settings. Default true. */
  klaviyoConnected?: boolean;
  /** Active subscribers given a recent run of trouble before scoring, so this week's list is never empty. Default 12. */
  troubled?: number;
  /** Changes to the seeded database before scoring and before the server starts (a new install's state, say). */
  prepare?: (db: Database.Database, now: Date) => void;
}

export interface BrowserApp {
  url: string;
  shop: string;
  dbFile: string;
  klaviyo: KlaviyoServer;
  browser: Browser;
  context: BrowserContext;
  /** Opens an admin page (`/app/...`) signed in through demo mode, hydrated and idle. */
  open(appPath: string): Promise<Page>;
  /**
   * A full-page screenshot at test-artifacts/screenshots/<name>.png; returns the path.
   * `fullPage: false` keeps to the viewport: a full-page capture resizes the window, which closes open popovers.
   */
  screenshot(page: Page, name: string, options?: { fullPage?: boolean }): Promise<string>;
  /** Reads the app's database (read-only). */
  query<T = Record<string, unknown>>(sql: string, ...args: unknown[]): T[];
  /** Page errors, console errors, failed requests and 4xx/5xx answers from the app so far: a test can require none. */
  problems(): string[];
  /** Requests to anywhere but the app, answered with an empty 204. */
  externalRequests(): string[];
  /** The server's last output lines. */
  serverOutput(): string;
  stop(): Promise<void>;
}

export async function startBrowserApp(options: BrowserAppOptions = {}): Promise<BrowserApp> {
  const work = mkdtempSync(path.join(tmpdir(), "lifeline-browser-"));
  const dbFile = path.join(work, "app.db");
  const now = new Date();
  let klaviyo: KlaviyoServer | undefined;
  let server: AppServer | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    const [b, s, k] = [browser, server, klaviyo];
    browser = server = klaviyo = undefined;
    await b?.close().catch(() => {});
    await s?.stop();
    await k?.stop().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  };

  try {
    const appRoot = snapshotBuild(work);
    seedDatabase(dbFile, now, options);
    klaviyo = await startKlaviyoServer();
    const port = await freePort();
    server = await startAppServer({
      root: appRoot,
      port,
      preload: [path.join(ROOT, "scripts/demo/exit-with-parent.mjs")],
      env: {
        ...appEnv(dbFile),
        SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
        LIFELINE_WORKER: options.worker ? "on" : "off",
        LIFELINE_DEMO: "1",
        KLAVIYO_API_BASE_URL: klaviyo.baseUrl,
        DEMO_PARENT_PID: String(process.pid),
      },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ userAgent: CHROME_USER_AGENT, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const appServer = server;
    // Steps fail with the locator they waited for, well before the test's own timeout.
    context.setDefaultTimeout(10_000);
    const problems: string[] = [];
    const external: string[] = [];
    // Offline: anything not from the app (fonts from Shopify's CDN, say) is answered empty and noted.
    await context.route(
      (url) => url.origin !== appServer.url,
      (route) => {
        external.push(route.request().url());
        return route.fulfill({ status: 204, body: "" });
      },
    );
    context.on("page", (page) => watchPage(page, appServer.url, problems));

    return {
      url: appServer.url,
      shop: DEMO_SHOP,
      dbFile,
      klaviyo,
      browser,
      context,
      async open(appPath) {
        const page = await context.newPage();
        const response = await page.goto(`${appServer.url}/demo?to=${encodeURIComponent(appPath)}`);
        if (!response || response.status() !== 200) {
          throw new Error(`${appPath} answered ${response?.status()}:\n${await response?.text()}\n--- server ---\n${appServer.output()}`);
        }
        await waitForHydration(page);
        return page;
      },
      async screenshot(page, name, shot = {}) {
        mkdirSync(SCREENSHOTS, { recursive: true });
        const file = path.join(SCREENSHOTS, `${name}.png`);
        await page.screenshot({ path: file, fullPage: shot.fullPage ?? true });
        return file;
      },
      query<T>(sql: string, ...args: unknown[]) {
        const db = new Database(dbFile, { readonly: true });
        try {
          return db.prepare(sql).all(...args) as T[];
        } finally {
          db.close();
        }
      },
      problems: () => [...problems],
      externalRequests: () => [...external],
      serverOutput: () => appServer.output(),
      stop,
    };
  } catch (error) {
    const output = server?.output();
    await stop();
    if (output && error instanceof Error) error.message += `\n--- app server output ---\n${output}`;
    throw error;
  }
}

/** Remix has hydrated once React has claimed the document's body, and the page has stopped loading. */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber")));
}

function watchPage(page: Page, appOrigin: string, problems: string[]): void {
  page.on("pageerror", (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const at = message.location().url;
    problems.push(`console error${at ? ` from ${at}` : ""}: ${message.text()}`);
  });
  page.on("requestfailed", (request) => problems.push(`${request.url()} failed: ${request.failure()?.errorText}`));
  page.on("response", (response) => {
    if (response.status() >= 400 && response.url().startsWith(appOrigin)) problems.push(`${response.status()} from ${response.url()}`);
  });
}

/** The server's environment: this process's, minus what a test runner sets, plus the app's configuration. */
function appEnv(dbFile: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VITEST|TEST$|NODE_OPTIONS$|DATABASE_URL$|SHOPIFY_|SCOPES$|ENCRYPTION_KEY$|KLAVIYO_|LIFELINE_|PORT$|DEMO_)/.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    NODE_ENV: "production",
    DATABASE_URL: `file:${dbFile}`,
    SHOPIFY_API_KEY: INSTALL.apiKey,
    SHOPIFY_API_SECRET: INSTALL.apiSecret,
    SHOPIFY_APP_URL: "http://127.0.0.1",
    SCOPES: INSTALL.scopes,
    ENCRYPTION_KEY: INSTALL.encryptionKey,
  };
}

/**
 * The demo shop installed (offline session, shop row, optionally Klaviyo), its simulated
 * subscribers seeded as the webhook pipeline would leave them (plus a few in trouble),
 * then everyone scored in a child process, which also runs the playbook: firings,
 * tasks and plays exist afterwards, as after the worker's first pass.
 */
function seedDatabase(dbFile: string, now: Date, options: BrowserAppOptions): void {
  createDemoDatabase(dbFile, {
    shop: DEMO_SHOP,
    accessToken: INSTALL.accessToken,
    scopes: INSTALL.scopes,
    installedAt: new Date(now.getTime() - (options.months ?? 8) * 31 * 86_400_000),
    klaviyo: { apiKey: INSTALL.klaviyoKey, encryptionKey: INSTALL.encryptionKey, accountName: "Simulated Store" },
  });
  seedStore({ file: dbFile, shop: DEMO_SHOP, subscribers: options.subscribers ?? 200, months: options.months ?? 8, seed: options.seed ?? 11, end: now });
  const db = new Database(dbFile);
  try {
    addTrouble(db, DEMO_SHOP, options.troubled ?? 12, now);
    if (options.klaviyoConnected === false) db.prepare("DELETE FROM KlaviyoConnection WHERE shop = ?").run(DEMO_SHOP);
    options.prepare?.(db, now);
  } finally {
    db.close();
  }
  const scored = spawnSync("npx", ["tsx", path.join(ROOT, "tests/browser/support/score-shop.ts"), DEMO_SHOP, now.toISOString()], {
    cwd: ROOT,
    env: { ...appEnv(dbFile), NODE_ENV: "test", LIFELINE_WORKER: "off" } as NodeJS.ProcessEnv,
    encoding: "utf8",
  });
  if (scored.status !== 0) throw new Error(`scoring the seeded store failed (exit ${scored.status}):\n${scored.stdout}\n${scored.stderr}`);
}

/**
 * Builds the app if app/ changed, then copies the build into this test's own folder and
 * serves it from there, so a rebuild by someone else mid-test cannot pull the page's
 * assets from under it. A lock keeps test files running in parallel from building at once.
 */
function snapshotBuild(work: string): string {
  const appRoot = path.join(work, "app-root");
  withBuildLock(() => {
    buildWithRetries();
    mkdirSync(appRoot);
    cpSync(path.join(ROOT, "build"), path.join(appRoot, "build"), { recursive: true });
  });
  for (const file of ["server.mjs", "package.json"]) cpSync(path.join(ROOT, file), path.join(appRoot, file));
  if (existsSync(path.join(ROOT, "public"))) symlinkSync(path.join(ROOT, "public"), path.join(appRoot, "public"));
  symlinkSync(path.join(ROOT, "node_modules"), path.join(appRoot, "node_modules"));
  return appRoot;
}

/**
 * Several people edit app/ at once, and a build started while someone's page is half
 * written fails on a module that is not there yet: try again a few times before failing.
 */
function buildWithRetries(): void {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      ensureBuild(ROOT, { ...appEnv(""), NODE_ENV: "production" });
      return;
    } catch (error) {
      if (Date.now() > deadline || !/Could not resolve|is not exported by|ENOENT/.test(String(error))) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 15_000);
    }
  }
}

function withBuildLock(fn: () => void): void {
  const lock = path.join(tmpdir(), `lifeline-build-${Buffer.from(ROOT).toString("hex").slice(-24)}.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than 3 minutes belongs to a build that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new Error(`waited 3 minutes for another build to finish (${lock})`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    writeFileSync(path.join(lock, "pid"), String(process.pid));
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
