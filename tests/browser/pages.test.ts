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
        // The score check the worker stored after scoring: read, with when it was computed.
        await panel.getByText(/Computed .+ from 2\d\d subscribers\./).waitFor();
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

  it("gives every app page a document title and the admin's title bar", async () => {
    const [subscriber] = app.query<{ id: string; displayName: string }>(`SELECT id, displayName FROM Subscriber WHERE shop = ? AND displayName IS NOT NULL LIMIT 1`, app.shop);
    const pages: [string, string][] = [
      ["/app", "Home"],
      ["/app/at-risk", "At-risk this week"],
      ["/app/subscribers", "Subscribers"],
      [`/app/subscribers/${subscriber.id}`, subscriber.displayName],
      ["/app/tasks", "Tasks"],
      ["/app/playbook", "Playbook"],
      ["/app/playbook/skip-streak", "Two skips in a row"],
      ["/app/reports", "Reports"],
      ["/app/settings", "Settings"],
    ];
    for (const [path, name] of pages) {
      const page = await app.open(path);
      const titleBar = page.locator("ui-title-bar");
      await titleBar.waitFor();
      expect(await titleBar.getAttribute("title")).toBe(name);
      expect(await page.title()).toBe(`${name} · Lifeline`);
      expect(await titleBar.isVisible()).toBe(true);
      if (path === "/app") await app.screenshot(page, "title-bar-home", { fullPage: false });
      await page.close();
    }
    expect(app.problems()).toEqual([]);
  }, 180_000);

  it("shows the save bar when a setting changes, and its Save keeps the change", async () => {
    const page = await app.open("/app/settings");
    const saveBar = page.getByRole("region", { name: "Save bar" });
    expect(await saveBar.count()).toBe(0);
    const sendTo = page.getByLabel("Send to");
    await sendTo.fill("owner-from-save-bar@example.com");
    await saveBar.waitFor();
    await app.screenshot(page, "settings-save-bar", { fullPage: false });
    await saveBar.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Weekly digest" }).waitFor();
    await saveBar.waitFor({ state: "detached" });
    const [stored] = app.query<{ digestEmail: string }>(`SELECT digestEmail FROM ShopSettings WHERE shop = ?`, app.shop);
    expect(stored.digestEmail).toBe("owner-from-save-bar@example.com");
    await page.close();

    const again = await app.open("/app/settings");
    expect(await again.getByLabel("Send to").inputValue()).toBe("owner-from-save-bar@example.com");
    // Discard puts a changed field back as stored.
    await again.getByLabel("Send to").fill("someone-else@example.com");
    const bar = again.getByRole("region", { name: "Save bar" });
    await bar.getByRole("button", { name: "Discard" }).click();
    await bar.waitFor({ state: "detached" });
    expect(await again.getByLabel("Send to").inputValue()).toBe("owner-from-save-bar@example.com");
    expect(app.problems()).toEqual([]);
    await again.close();
  });

  it("answers / with the landing page and /auth/login with the login form", async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.url}/`);
    await page.getByRole("heading", { name: "Lifeline", level: 1 }).waitFor();
    await page.getByLabel("Shop domain").waitFor();
    await app.screenshot(page, "landing");
    await page.goto(`${app.url}/auth/login`);
    await page.getByRole("heading", { name: "Log in to Lifeline" }).waitFor();
    expect(await page.title()).toBe("Log in · Lifeline");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("Enter your shop domain to log in.").waitFor();
    await app.screenshot(page, "login");
    expect(app.problems()).toEqual([]);
    await page.close();
  });
});
