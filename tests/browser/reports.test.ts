// The reports that must add up, in a real browser on a seeded store: the Plays table fits
// its card on a laptop and condenses on a phone, and the tenure shares add up to 100%.
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

async function openTab(width: number, tab: string): Promise<Page> {
  const page = await app.open("/app/reports");
  await page.setViewportSize({ width, height: 900 });
  await page.getByRole("heading", { name: "Reports", level: 1 }).waitFor();
  await page.getByRole("tab", { name: tab, exact: true }).click();
  await page.getByRole("tabpanel").locator("h2").first().waitFor();
  await page.waitForLoadState("networkidle");
  return page;
}

/** How far the thing at `selector` reaches past its card, how many scrollbars it has inside, and whether the page scrolls sideways. */
const overflow = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const card = el?.querySelector(".Polaris-ShadowBevel") ?? el;
    if (!el || !card) return null;
    // A scrollbar, not text clipped on purpose (a visually hidden label): overflow auto or scroll.
    const scrollers = [el, ...el.querySelectorAll("*")].filter((n) => n.scrollWidth > n.clientWidth + 1 && ["auto", "scroll"].includes(getComputedStyle(n).overflowX));
    return { past: Math.max(0, el.getBoundingClientRect().right - card.getBoundingClientRect().right), scrollers: scrollers.length, page: document.documentElement.scrollWidth - window.innerWidth };
  }, selector);

describe("reports that add up, in a browser", () => {
  it("fits the Plays table inside its card at 1280 px, every column on screen", async () => {
    const fired = app.query<{ n: number }>(`SELECT COUNT(DISTINCT triggerKey) AS n FROM Firing WHERE shop = ?`, app.shop)[0].n;
    expect(fired).toBeGreaterThan(0);
    const page = await openTab(1280, "Plays");
    const table = page.getByRole("tabpanel").locator("table").last();
    await table.waitFor();
    expect(await table.locator("tbody tr").count()).toBe(fired);
    expect(await overflow(page, "[role=tabpanel]")).toEqual({ past: 0, scrollers: 0, page: 0 });
    await app.screenshot(page, "reports-plays-1280");
    expect(app.problems()).toEqual([]);
    await page.close();
  });

  it("condenses the Plays table on a phone: each trigger's figures under its name, nothing off screen", async () => {
    const page = await openTab(390, "Plays");
    const panel = page.getByRole("tabpanel");
    await panel.locator(".Polaris-IndexTable").waitFor();
    // Condensed, the table is a list: no header row, each figure named.
    expect(await panel.locator("thead").count()).toBe(0);
    await panel.getByText("Acted on").first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    await app.screenshot(page, "reports-plays-390");
    expect(app.problems()).toEqual([]);
    await page.close();
  });

  it("gives tenure shares that add up to 100%, on the cards and in the table", async () => {
    const page = await openTab(1280, "Churn by tenure");
    const panel = page.getByRole("tabpanel");
    const cards = await panel.locator("text=/^\\d+%$/").allInnerTexts();
    const stages = cards.slice(0, 3).map((t) => Number(t.replace("%", "")));
    expect(stages.reduce((a, b) => a + b, 0)).toBe(100);
    const shares = await panel.locator(".Polaris-DataTable__TableRow td:nth-child(4)").allInnerTexts();
    expect(shares.length).toBe(12);
    expect(shares.reduce((n, t) => n + (t === "–" ? 0 : Number(t.replace("%", ""))), 0)).toBe(100);
    await app.screenshot(page, "reports-tenure");
    expect(app.problems()).toEqual([]);
    await page.close();
  });
});
