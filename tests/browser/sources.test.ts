// The subscription-app set-up in a real browser, on the production server with its worker and a
// seeded demo store that has never heard from its subscription app: the home page says so and
// asks which app the store uses; Settings connects Recharge (the local Recharge server checks
// the token, takes the webhooks and serves the history); the status line follows the import
// and the first webhook; the credentials never come back to the browser; disconnecting asks first.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page, Response } from "playwright-core";
import { BROWSER_APP_TIMEOUT, startBrowserApp, waitForHydration, type BrowserApp } from "./harness";
import { startRechargeServer, type RechargeServer } from "../../simulator/recharge/server";
import { buildRechargeDataSet } from "../../simulator/recharge/dataset";

const TOKEN = `rc_browser_${randomBytes(12).toString("hex")}`;
const CLIENT_SECRET = `rc_secret_${randomBytes(12).toString("hex")}`;
const SUBSCRIPTIONS = 30;
const PHONE = { width: 390, height: 844 };

let app: BrowserApp;
let recharge: RechargeServer;
const data = buildRechargeDataSet({ subscriptions: SUBSCRIPTIONS, end: new Date() });
// Every body the browser receives from the app, read as text.
const bodies: Promise<{ url: string; text: string }>[] = [];

beforeAll(async () => {
  recharge = await startRechargeServer({ tokens: { [TOKEN]: {} }, clientSecret: CLIENT_SECRET, data });
  // The app server inherits this: its Recharge client talks to the local server.
  process.env.RECHARGE_API_BASE_URL = recharge.baseUrl;
  app = await startBrowserApp({ subscribers: 120, worker: true });
  app.context.on("response", (response: Response) => {
    if (!response.url().startsWith(app.url)) return;
    bodies.push(response.body().then((b) => ({ url: response.url(), text: b.toString("utf8") }), () => ({ url: response.url(), text: "" })));
  });
}, BROWSER_APP_TIMEOUT);

afterAll(async () => {
  await app?.stop();
  await recharge?.stop();
});

async function shoot(page: Page, name: string): Promise<void> {
  await app.screenshot(page, name);
  await page.setViewportSize(PHONE);
  await page.waitForLoadState("networkidle");
  await app.screenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

// The one 4xx the app answers on purpose here, the refused token, and the browser's console line about it.
const unexpected = () => app.problems().filter((p) => !(p.includes("/app/settings") && / 400 |status of 400/.test(` ${p}`)));
const postTo = (page: Page, path: string) => page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes(path));

describe("the subscription app, set up in a browser", () => {
  it("home says plainly that no events arrived, and asks which subscription app the store uses", async () => {
    const page = await app.open("/app");
    await page.getByRole("heading", { name: "Lifeline", level: 1 }).waitFor();
    await page.getByText("No subscription events have reached Lifeline in the last 24 hours").waitFor();
    await page.getByText("None has arrived yet.", { exact: false }).waitFor();
    await page.getByRole("heading", { name: "Tell Lifeline which subscription app your store uses" }).waitFor();
    await shoot(page, "sources-home-first-run");

    await page.getByLabel("Subscription app").selectOption("recharge");
    await Promise.all([postTo(page, "/app/settings"), page.getByRole("button", { name: "Save", exact: true }).click()]);
    await page.getByText("Your store uses Recharge.", { exact: true }).waitFor();
    await page.getByRole("heading", { name: "Connect Recharge in Settings" }).waitFor();
    expect(await page.getByRole("link", { name: "Connect Recharge" }).getAttribute("href")).toMatch(/^\/app\/settings#subscription-app/);
    expect(app.query(`SELECT subscriptionApp FROM Shop WHERE shop = ?`, app.shop)).toEqual([{ subscriptionApp: "recharge" }]);
    expect(app.problems()).toEqual([]);
    await page.close();
  });

  it("refuses a token Recharge does not know, inline, and stores nothing", async () => {
    const page = await app.open("/app/settings");
    const card = page.getByRole("region", { name: "Recharge connection" });
    await card.getByText("Not connected", { exact: true }).waitFor();
    await card.getByLabel("API access token").fill("rc_not_a_real_token_0000");
    await card.getByLabel("API client secret").fill(CLIENT_SECRET);
    const [answer] = await Promise.all([postTo(page, "/app/settings"), card.getByRole("button", { name: "Connect Recharge" }).click()]);
    expect(answer.status()).toBe(400);
    await card.getByText("Not connected to Recharge").waitFor();
    expect(app.query(`SELECT source FROM SourceConnection`)).toEqual([]);
    // Beside it, Shopify Flow for the apps Lifeline has no direct connector for: nothing to connect, the templates' steps.
    const flow = page.getByRole("region", { name: "Shopify Flow" });
    await flow.getByText("No events yet", { exact: true }).waitFor();
    await flow.getByText('Choose Templates and search for "Lifeline".').waitFor();
    await app.screenshot(page, "sources-settings-refused", { fullPage: false });
    expect(unexpected()).toEqual([]);
    await page.close();
  });

  it("connects Recharge through the form: stored sealed, the import and the webhooks on the status line, then the first event", async () => {
    const page = await app.open("/app/settings");
    const card = page.getByRole("region", { name: "Recharge connection" });
    await card.getByLabel("API access token").fill(TOKEN);
    await card.getByLabel("API client secret").fill(CLIENT_SECRET);
    const [answer] = await Promise.all([postTo(page, "/app/settings"), card.getByRole("button", { name: "Connect Recharge" }).click()]);
    expect(answer.status()).toBe(200);
    await card.getByText("Connected", { exact: true }).waitFor();
    await card.getByText(/^Connected [A-Z][a-z]{2} \d+, \d{4}/).waitFor();
    expect(await card.getByLabel("API access token").count()).toBe(0);
    await card.getByText("saved, encrypted").first().waitFor();

    // The worker registers the webhooks at Recharge and imports the history; the page follows.
    await card.getByText(`Imported ${SUBSCRIPTIONS} subscriptions`, { exact: false }).waitFor({ timeout: 60_000 });
    await card.getByText("13 webhooks registered at Recharge.").waitFor();
    expect(recharge.webhooks().length).toBe(13);
    const [row] = app.query<{ encryptedCredentials: string; backfillStatus: string }>(`SELECT encryptedCredentials, backfillStatus FROM SourceConnection WHERE source = 'recharge'`);
    expect(row.backfillStatus).toBe("done");
    for (const secret of [TOKEN, CLIENT_SECRET]) expect(row.encryptedCredentials).not.toContain(secret);
    await card.getByText("No events received yet.").waitFor();

    // Recharge sends its first webhook: signed, received, shown on the status line.
    const cancelled = { ...data.subscriptions[0], status: "cancelled", cancelled_at: new Date().toISOString(), cancellation_reason: "Too expensive" };
    expect(await recharge.send("subscription/cancelled", cancelled)).toEqual([200]);
    await page.reload();
    await waitForHydration(page);
    await page.getByRole("region", { name: "Recharge connection" }).getByText(/Last event received [A-Z][a-z]{2} \d+/).waitFor();
    const [{ n }] = app.query<{ n: number }>(`SELECT COUNT(*) AS n FROM WebhookDelivery WHERE topic = 'recharge:subscription/cancelled'`);
    expect(n).toBe(1);

    await page.getByRole("region", { name: "Recharge connection" }).scrollIntoViewIfNeeded();
    await shoot(page, "sources-settings-connected");
    const values = await page.locator("input, textarea, select").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    for (const v of values) for (const secret of [TOKEN, CLIENT_SECRET]) expect(v).not.toContain(secret);
    expect(unexpected()).toEqual([]);
    await page.close();
  });

  it("home shows Recharge connected with its import, and no warning once an event arrived", async () => {
    const page = await app.open("/app");
    await page.getByRole("heading", { name: "Connect Recharge in Settings" }).waitFor();
    await page.getByText(`Connected. Imported ${SUBSCRIPTIONS} subscriptions`, { exact: false }).waitFor();
    expect(await page.getByText("No subscription events have reached Lifeline in the last 24 hours").count()).toBe(0);
    await shoot(page, "sources-home-connected");
    await page.close();
  });

  it("tests the connection, and disconnects only after confirming", async () => {
    const page = await app.open("/app/settings");
    const card = page.getByRole("region", { name: "Recharge connection" });
    await Promise.all([postTo(page, "/app/settings"), card.getByRole("button", { name: "Test connection" }).click()]);
    await card.getByText("Connected to Recharge: the token can read subscriptions, charges and customers.").waitFor();

    await card.getByRole("button", { name: "Disconnect" }).click();
    const dialog = page.getByRole("dialog", { name: "Disconnect Recharge?" });
    await dialog.waitFor();
    await app.screenshot(page, "sources-settings-disconnect", { fullPage: false });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(app.query(`SELECT source FROM SourceConnection`)).toHaveLength(1);

    await card.getByRole("button", { name: "Disconnect" }).click();
    await Promise.all([postTo(page, "/app/settings"), dialog.getByRole("button", { name: "Disconnect" }).click()]);
    await card.getByText("Not connected", { exact: true }).waitFor();
    expect(app.query(`SELECT source FROM SourceConnection`)).toEqual([]);
    expect(recharge.webhooks()).toEqual([]);
    expect(unexpected()).toEqual([]);
    await page.close();
  });

  it("never sent the credentials back to the browser", async () => {
    const received = await Promise.all(bodies);
    expect(received.filter((r) => r.url.includes("/app/settings")).length).toBeGreaterThanOrEqual(4);
    expect(received.filter((r) => r.text.includes(TOKEN) || r.text.includes(CLIENT_SECRET)).map((r) => r.url)).toEqual([]);
  });
});
