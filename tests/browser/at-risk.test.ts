// The weekly at-risk list in a real browser, on the production server and a seeded store:
// what the merchant sees, dismissing someone through the page, and the CSV download.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { BROWSER_APP_TIMEOUT, startBrowserApp, type BrowserApp } from "./harness";

let app: BrowserApp;

beforeAll(async () => {
  app = await startBrowserApp({ subscribers: 200 });
}, BROWSER_APP_TIMEOUT);

afterAll(async () => {
  await app?.stop();
});

/** The list's rows as the page shows them: name and the monthly value column, parsed from "$1,234.56". */
async function visibleRows(page: Page): Promise<{ name: string; monthly: number }[]> {
  const rows = page.locator(".Polaris-IndexTable__TableRow");
  const count = await rows.count();
  const out: { name: string; monthly: number }[] = [];
  for (let i = 0; i < count; i++) {
    const cells = rows.nth(i).locator("td");
    const name = (await cells.nth(1).locator("a").first().innerText()).trim();
    const money = (await cells.nth(3).innerText()).trim();
    out.push({ name, monthly: Number(money.replace(/[^0-9.]/g, "")) });
  }
  return out;
}

describe("the at-risk page in a browser", () => {
  it("lists this week's at-risk subscribers ranked by monthly revenue", async () => {
    const page = await app.open("/app/at-risk");
    await page.getByRole("heading", { name: "At-risk this week" }).waitFor();
    const rows = await visibleRows(page);
    await app.screenshot(page, "at-risk");

    const [{ n }] = app.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM HealthScore h JOIN Subscriber s ON s.id = h.subscriberId
       WHERE s.shop = ? AND h.band IN ('at_risk', 'critical') AND s.status IN ('active', 'paused')`,
      app.shop,
    );
    expect(n).toBeGreaterThan(1);
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) expect(row.monthly).toBeGreaterThan(0);
    const values = rows.map((r) => r.monthly);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(app.problems()).toEqual([]);
    await page.close();
  });

  it("dismisses a subscriber with a reason, taking them off the list", async () => {
    const page = await app.open("/app/at-risk");
    const [first] = await visibleRows(page);
    await page.getByRole("button", { name: `Dismiss ${first.name}`, exact: true }).click();
    const form = page.getByRole("form", { name: `Dismiss ${first.name}` });
    await form.getByLabel("Why take them off this week's list?").selectOption("false_positive");
    await form.getByLabel("Note (optional)").fill("Paid by bank transfer");
    await app.screenshot(page, "at-risk-dismiss-popover", { fullPage: false });
    await form.getByRole("button", { name: "Dismiss for this week" }).click();

    await page.locator(".Polaris-IndexTable__TableRow", { hasText: first.name }).waitFor({ state: "detached" });
    // The confirmation still shows, though the row that asked has gone.
    await page.locator(".demo-toast").first().waitFor();
    const closed = app.query<{ closeReason: string; note: string }>(
      `SELECT t.closeReason, t.note FROM Task t JOIN Subscriber s ON s.id = t.subscriberId
       WHERE s.shop = ? AND s.displayName = ? AND t.closedAt IS NOT NULL`,
      app.shop,
      first.name,
    );
    expect(closed).toEqual([{ closeReason: "false_positive", note: "Paid by bank transfer" }]);

    await page.getByRole("tab", { name: /Dismissed \(1\)/ }).click();
    await page.locator(".Polaris-IndexTable__TableRow", { hasText: first.name }).waitFor();
    await app.screenshot(page, "at-risk-dismissed-tab");
    expect(app.problems()).toEqual([]);
    await page.close();
  });

  it("downloads the whole list as CSV, a header and one line per subscriber", async () => {
    const page = await app.open("/app/at-risk");
    const summary = await page.getByText(/^\d[\d,]* subscribers?/).first().innerText();
    const total = Number(summary.replace(/,/g, "").match(/^\d+/)![0]);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export this list as CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^at-risk-lifeline-demo-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await download.path())!, "utf8");
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      "Rank,Name,Email,Customer ID,Score,Band,New this week,Monthly value,Currency,Reasons,Suggested play,Open task,Task due,Contacted,Shopify customer page",
    );
    expect(total).toBeGreaterThan(1);
    expect(lines.length - 1).toBe(total);
    expect(app.problems()).toEqual([]);
    await page.close();
  });
});
