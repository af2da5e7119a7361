// The remaining admin pages in a real browser, on the production server and a seeded store:
// each renders, hydrates and loads without an error, and is captured to be looked at.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_APP_TIMEOUT, startBrowserApp, type BrowserApp } from "./harness";

let app: BrowserApp;

beforeAll(async () => {
  app = await startBrowserApp({ subscribers: 200 });
}, BROWSER_APP_TIMEOUT);

afterAll(async () => {
  await app?.stop();
});

/** Words that mean a value went missing on its way to the page. */
async function expectNoBrokenValues(text: string) {
  expect(text).not.toMatch(/\bNaN\b|\bundefined\b|\bnull\b|\[object Object\]|Infinity/);
}

describe("the other admin pages in a browser", () => {
  it("lists subscribers, and opens the first one's page", async () => {
    const page = await app.open("/app/subscribers");
    await page.getByRole("heading", { name: "Subscribers", level: 1 }).waitFor();
    const rows = page.locator(".Polaris-IndexTable__TableRow");
    expect(await rows.count()).toBeGreaterThan(10);
    await expectNoBrokenValues(await page.locator("main, body").first().innerText());
    await app.screenshot(page, "subscribers");
    expect(app.problems()).toEqual([]);

    const first = rows.first().locator("a[data-primary-link]");
    const name = (await first.innerText()).trim();
    await first.click();
    await page.waitForURL(/\/app\/subscribers\/[^/]+$/);
    await page.getByRole("heading", { name, level: 1 }).waitFor();
    await page.waitForLoadState("networkidle");
    const id = new URL(page.url()).pathname.split("/").pop();
    const [stored] = app.query<{ displayName: string }>(`SELECT displayName FROM Subscriber WHERE id = ? AND shop = ?`, id, app.shop);
    expect(stored.displayName).toBe(name);
    await expectNoBrokenValues(await page.locator("body").innerText());
    await app.screenshot(page, "subscriber-detail");
    expect(app.problems()).toEqual([]);
    await page.close();
  });

  it("shows every reports tab, score accuracy once it has loaded", async () => {
    const page = await app.open("/app/reports");
    await page.getByRole("heading", { name: "Reports", level: 1 }).waitFor();
    const tabs = ["Churn by tenure", "Retention by signup month", "Health over time", "Revenue", "Plays", "Score accuracy"];
    for (const [i, name] of tabs.entries()) {
      await page.getByRole("tab", { name, exact: true }).click();
      const panel = page.getByRole("tabpanel");
      await panel.locator("h2").first().waitFor();
      if (name === "Score accuracy") {
        await panel.getByText("Replaying your store's history…").waitFor({ state: "detached", timeout: 60_000 });
      }
      await page.waitForLoadState("networkidle");
      const text = await panel.innerText();
      expect(text.trim().length).toBeGreaterThan(40);
      await expectNoBrokenValues(text);
      await app.screenshot(page, `reports-${i + 1}-${name.toLowerCase().replace(/[^a-z]+/g, "-")}`);
      expect(app.problems()).toEqual([]);
    }
    await page.close();
  });
});
