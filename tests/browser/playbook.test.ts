// The playbook in a real browser, on the production server and a seeded store: the triggers
// list, a new trigger created in the editor after its preview (dry run), and switching one off.
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

const NEW_NAME = "Three skips in a row";

/** The list's trigger names, in the order shown. */
async function triggerNames(page: Page): Promise<string[]> {
  const rows = page.locator(".Polaris-IndexTable__TableRow");
  const names: string[] = [];
  for (let i = 0; i < (await rows.count()); i++) names.push((await rows.nth(i).locator("td").nth(1).locator("a").first().innerText()).trim());
  return names;
}

const storedTriggers = () =>
  app.query<{ key: string; name: string; enabled: number }>(
    `SELECT key, json_extract(definition, '$.name') AS name, enabled FROM "Trigger" WHERE shop = ? AND retiredAt IS NULL ORDER BY key`,
    app.shop,
  );

describe("the playbook in a browser", () => {
  it("lists every trigger with how many are on", async () => {
    const page = await app.open("/app/playbook");
    await page.getByRole("heading", { name: "Playbook", level: 1 }).waitFor();
    const names = await triggerNames(page);
    await app.screenshot(page, "playbook");

    const stored = storedTriggers();
    expect(stored.length).toBeGreaterThanOrEqual(9);
    expect([...names].sort()).toEqual(stored.map((t) => t.name).sort());
    const on = stored.filter((t) => t.enabled).length;
    await page.getByText(`${on} of ${stored.length} triggers on.`, { exact: false }).waitFor();
    expect(app.problems()).toEqual([]);
    await page.close();
  });

  it("creates a trigger after its preview, and lists it", async () => {
    const page = await app.open("/app/playbook");
    await page.getByRole("link", { name: "New trigger" }).first().click();
    await page.getByRole("heading", { name: "New trigger", level: 1 }).waitFor();
    const create = page.getByRole("button", { name: "Create trigger" });
    // Nothing new is saved before its dry run, and the page says so beside the preview.
    expect(await create.isDisabled()).toBe(true);
    const reason = page.getByText("Create trigger is off until you run the preview (dry run)", { exact: false });
    await reason.waitFor();

    await page.getByLabel("Name", { exact: true }).fill(NEW_NAME);
    await page.getByLabel("Condition").selectOption("consecutive_skips_at_least");
    await page.getByLabel("Skips in a row (at least)").fill("3");
    await page.getByLabel("Cooldown (days)").fill("21");
    await page.getByRole("button", { name: "Preview (dry run)", exact: true }).click();

    const summary = page.getByText(/^Would have fired /);
    await summary.waitFor();
    const [, total] = (await summary.innerText()).replace(/,/g, "").match(/fired (\d+) times?/)!;
    await page.getByRole("button", { name: "Show the figures" }).click();
    const weeks = page.locator(".Polaris-DataTable__TableRow");
    await weeks.first().waitFor();
    const perWeek: number[] = [];
    for (let i = 0; i < (await weeks.count()); i++) perWeek.push(Number((await weeks.nth(i).locator("td").last().innerText()).replace(/,/g, "")));
    expect(perWeek.length).toBeGreaterThanOrEqual(12);
    expect(perWeek.every(Number.isFinite)).toBe(true);
    expect(perWeek.reduce((a, b) => a + b, 0)).toBe(Number(total));
    await app.screenshot(page, "playbook-new-preview");

    expect(await create.isDisabled()).toBe(false);
    expect(await reason.count()).toBe(0);
    await create.click();
    await page.waitForURL(/\/app\/playbook$/);
    await page.locator(".Polaris-IndexTable__TableRow", { hasText: NEW_NAME }).waitFor();
    expect(await triggerNames(page)).toContain(NEW_NAME);
    const created = storedTriggers().filter((t) => t.name === NEW_NAME);
    expect(created).toHaveLength(1);
    const [{ definition }] = app.query<{ definition: string }>(`SELECT definition FROM "Trigger" WHERE key = ?`, created[0].key);
    expect(JSON.parse(definition)).toMatchObject({ name: NEW_NAME, condition: { type: "consecutive_skips_at_least", n: 3 }, cooldownDays: 21 });
    expect(app.problems()).toEqual([]);
    await page.close();
  });

  it("sends the Klaviyo metric of the chosen condition, unless one was picked by hand", async () => {
    const page = await app.open("/app/playbook/new");
    await page.getByRole("heading", { name: "New trigger", level: 1 }).waitFor();
    const metric = page.getByLabel("Klaviyo metric");
    expect(await metric.inputValue()).toBe("Lifeline: Skip Streak");

    await page.getByLabel("Condition").selectOption("payment_failed");
    await page.waitForFunction(() => (document.querySelector("select[name=metric]") as HTMLSelectElement | null)?.value === "Lifeline: Payment Failed");
    await page.getByLabel("Condition").selectOption("contract_cancelled");
    expect(await metric.inputValue()).toBe("Lifeline: Cancelled");
    await app.screenshot(page, "trigger-editor-new");

    // Picked by hand, the metric stays when the condition changes after.
    await metric.selectOption("Lifeline: At Risk");
    await page.getByLabel("Condition").selectOption("card_expires_before_next_billing");
    expect(await page.getByLabel("Condition").inputValue()).toBe("card_expires_before_next_billing");
    expect(await metric.inputValue()).toBe("Lifeline: At Risk");
    expect(app.problems()).toEqual([]);
    await page.close();
  });

  it("shows outcome figures only once outcomes exist, and the same held-out count as the reports", async () => {
    const page = await app.open("/app/playbook");
    await page.getByRole("heading", { name: "Playbook", level: 1 }).waitFor();
    const fired = app.query<{ triggerKey: string; n: number; held: number; decided: number }>(
      `SELECT triggerKey, COUNT(*) AS n, SUM(holdout) AS held, SUM(outcome IS NOT NULL) AS decided FROM Firing WHERE shop = ? GROUP BY triggerKey`,
      app.shop,
    );
    expect(fired.length).toBeGreaterThan(0);
    const names = new Map(app.query<{ key: string; name: string }>(`SELECT key, json_extract(definition, '$.name') AS name FROM "Trigger" WHERE shop = ?`, app.shop).map((t) => [t.key, t.name]));
    for (const f of fired) {
      const row = page.locator(".Polaris-IndexTable__TableRow", { has: page.getByRole("link", { name: names.get(f.triggerKey)!, exact: true }) });
      const text = await row.innerText();
      if (f.held > 0) expect(text).toContain(`${f.held} of ${f.n} held out`);
      // Nothing decided yet: when the first outcome comes, not a rate beside "No outcomes".
      if (f.decided === 0) expect(text).toMatch(/First outcome on [A-Z][a-z]{2} \d{1,2}, \d{4}/);
      expect(text).not.toMatch(/SLA/);
    }
    await app.screenshot(page, "playbook-figures");
    expect(app.problems()).toEqual([]);
    await page.close();
  });

  it("switches a trigger off, and it stays off after a reload", async () => {
    const page = await app.open("/app/playbook");
    const name = "Loyal and upgrading: ask for a referral";
    const box = page.getByRole("checkbox", { name: `${name} is on` });
    expect(await box.isChecked()).toBe(true);
    // The action, then the loaders Remix calls again after it: the reload below must not cut
    // that revalidation short (an aborted request counts as a problem).
    const revalidated = page.waitForResponse((r) => r.request().method() === "GET" && r.url().includes("/app/playbook.data"));
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/app/playbook")), box.click()]);
    await revalidated;
    await page.getByRole("checkbox", { name: `${name} is off` }).waitFor();

    expect(storedTriggers().find((t) => t.name === name)?.enabled).toBe(0);
    await page.reload();
    await page.getByRole("heading", { name: "Playbook", level: 1 }).waitFor();
    expect(await page.getByRole("checkbox", { name: `${name} is off` }).isChecked()).toBe(false);
    await app.screenshot(page, "playbook-switched-off");
    expect(app.problems()).toEqual([]);
    await page.close();
  });
});
