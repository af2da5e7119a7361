// The subscribers list and a subscriber's page in a real browser, on the production server
// and a seeded store: the saved views, search, and the grouped timeline.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Database from "better-sqlite3";
import type { Page } from "playwright-core";
import { BROWSER_APP_TIMEOUT, startBrowserApp, waitForHydration, type BrowserApp } from "./harness";

let app: BrowserApp;

/** Cancelled subscribers scored as they cancelled, as the pipeline leaves them: 0, critical, no longer live. */
function scoreTheCancelled(db: Database.Database, now: Date): void {
  const at = now.toISOString().replace("Z", "+00:00");
  db.prepare(
    `INSERT INTO HealthScore (subscriberId, shop, score, band, segmentKey, factors, signals, computedAt, bandSince, live)
     SELECT s.id, s.shop, 0, 'critical', 'established:low', '[{"signal":"cancelled","points":-100,"share":1,"text":"Cancelled"}]', '{}', ?, ?, 0
     FROM Subscriber s WHERE s.status = 'cancelled' AND NOT EXISTS (SELECT 1 FROM HealthScore h WHERE h.subscriberId = s.id)`,
  ).run(at, at);
}

beforeAll(async () => {
  app = await startBrowserApp({ subscribers: 200, prepare: scoreTheCancelled });
}, BROWSER_APP_TIMEOUT);

afterAll(async () => {
  await app?.stop();
});

const rows = (page: Page) => page.locator(".Polaris-IndexTable__TableRow");

/** Each row's health cell (second column) as shown. */
async function healthCells(page: Page): Promise<string[]> {
  const cells = rows(page).locator("td:nth-child(2)");
  return (await cells.allInnerTexts()).map((t) => t.trim());
}

async function openView(page: Page, name: string, view: string) {
  await page.getByRole("tab", { name, exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get("view") === view);
  await page.getByRole("tab", { name, exact: true, selected: true }).waitFor();
  await page.locator(".Polaris-IndexTable__TableRow").first().waitFor();
}

describe("the subscribers list in a browser", () => {
  it("opens on Active, and each saved view lists its own people, the cancelled as cancelled", async () => {
    const page = await app.open("/app/subscribers");
    await page.getByRole("tab", { name: "Active", exact: true, selected: true }).waitFor();
    await rows(page).first().waitFor();
    const active = await healthCells(page);
    expect(active.length).toBeGreaterThan(0);
    for (const cell of active) expect(cell).not.toMatch(/Cancelled/);
    expect((await rows(page).locator("td:nth-child(5)").allInnerTexts()).every((s) => s.trim() === "Active")).toBe(true);
    await app.screenshot(page, "subscribers-active");

    await openView(page, "Cancelled", "cancelled");
    const cancelled = await healthCells(page);
    expect(cancelled.length).toBeGreaterThan(0);
    for (const cell of cancelled) {
      expect(cell).toMatch(/^Cancelled/);
      expect(cell).not.toMatch(/Critical/);
    }
    await app.screenshot(page, "subscribers-cancelled");

    await openView(page, "At risk", "at_risk");
    for (const cell of await healthCells(page)) expect(cell).toMatch(/At risk|Critical/);
    await app.screenshot(page, "subscribers-at-risk");

    // The view is in the address: loading it again (a bookmark) opens the same tab.
    await page.reload();
    await waitForHydration(page);
    await page.getByRole("tab", { name: "At risk", exact: true, selected: true }).waitFor();
    expect(app.problems()).toEqual([]);
    await page.close();
  });

  it("shows a cancelled subscriber's page as cancelled, with when, not as a score", async () => {
    const [gone] = app.query<{ id: string; name: string }>(
      `SELECT s.id, s.displayName AS name FROM Subscriber s JOIN SubscriberEvent e ON e.subscriberId = s.id
       WHERE s.shop = ? AND s.status = 'cancelled' AND e.type = 'contract.cancelled' LIMIT 1`,
      app.shop,
    );
    const page = await app.open(`/app/subscribers/${gone.id}`);
    await page.getByRole("heading", { name: gone.name }).waitFor();
    await page.getByText(/^They cancelled on \w{3} \d{1,2}, \d{4}\.$/).waitFor();
    expect(await page.getByText("out of 100").count()).toBe(0);
    expect(await page.getByText("Not scheduled").count()).toBeGreaterThan(0);
    await app.screenshot(page, "subscriber-cancelled");
    expect(app.problems()).toEqual([]);
    await page.close();
  });

  it("searches by email and opens the subscriber, whose payments fold into one row that opens", async () => {
    const [someone] = app.query<{ id: string; email: string; name: string; payments: number }>(
      `SELECT s.id, s.email, s.displayName AS name, COUNT(e.id) AS payments FROM Subscriber s JOIN SubscriberEvent e ON e.subscriberId = s.id
       WHERE s.shop = ? AND s.status = 'active' AND s.email IS NOT NULL AND e.type = 'billing.succeeded'
       GROUP BY s.id ORDER BY payments DESC LIMIT 1`,
      app.shop,
    );
    expect(someone.payments).toBeGreaterThan(3);
    const page = await app.open("/app/subscribers");
    await rows(page).first().waitFor();
    await page.getByRole("button", { name: "Search and filter subscribers" }).click();
    await page.getByPlaceholder("Search by name or email").fill(someone.email);
    await page.waitForURL((url) => url.searchParams.get("q") === someone.email);
    await page.locator(".Polaris-IndexTable__TableRow", { hasText: someone.email }).waitFor();
    expect(await rows(page).count()).toBe(1);
    await app.screenshot(page, "subscribers-search");

    await page.getByRole("link", { name: someone.name }).click();
    await page.getByRole("heading", { name: someone.name }).waitFor();
    const run = page.getByText(/^\d+ payments went through, /).first();
    await run.waitFor();
    await app.screenshot(page, "subscriber-timeline-grouped");
    const folded = Number((await run.innerText()).match(/^\d+/)![0]);
    expect(folded).toBeGreaterThan(1);
    const single = page.getByText("Payment went through", { exact: true });
    const before = await single.count();
    await page.getByRole("button", { name: /^Show each: \d+ payments went through/ }).first().click();
    await page.getByRole("button", { name: /^Hide each: \d+ payments went through/ }).first().waitFor();
    expect(await single.count()).toBe(before + folded);
    await app.screenshot(page, "subscriber-timeline-opened");
    expect(app.problems()).toEqual([]);
    await page.close();
  });
});
