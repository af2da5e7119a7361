// The weekly at-risk list in a real browser, on the production server and a seeded store:
// what the merchant sees, dismissing someone through the page, and the CSV download.
import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
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

/** Writes to the app's database while it runs, as another process would (WAL lets both). */
function write(sql: string, ...args: unknown[]): void {
  const db = new Database(app.dbFile);
  try {
    db.pragma("busy_timeout = 5000");
    db.prepare(sql).run(...args);
  } finally {
    db.close();
  }
}

const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

/** The subscriber id a row's name links to (two subscribers may share a name). */
async function subscriberIdOf(page: Page, name: string): Promise<string> {
  const href = await page.locator(".Polaris-IndexTable__TableRow", { hasText: name }).first().locator('a[href^="/app/subscribers/"]').first().getAttribute("href");
  return decodeURIComponent(href!.split("/").pop()!.split("?")[0]);
}

/** An open task for the subscriber, opened and due `hoursAgo` ago. */
function openTaskFor(subscriberId: string, id: string, hoursAgo: number): void {
  const s = { id: subscriberId };
  const at = iso(Date.now() - hoursAgo * 3_600_000);
  write(
    `INSERT INTO Task (id, shop, subscriberId, title, suggestedAction, reasons, owner, priority, dueAt, status, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, 'Call them', '[]', 'Store owner', 'high', ?, 'open', ?, ?)`,
    id,
    app.shop,
    s.id,
    `Follow up ${id}`,
    at,
    at,
    at,
  );
}

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
    const seen = app.problems().length;
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
    expect(app.problems().slice(seen)).toEqual([]);
    await page.close();
  });

  it("dismisses a subscriber with two open tasks: both close and the row leaves the list", async () => {
    const seen = app.problems().length;
    const before = await app.open("/app/at-risk");
    const [first] = await visibleRows(before);
    const firstId = await subscriberIdOf(before, first.name);
    await before.close();
    openTaskFor(firstId, "task_two_a", 30);
    openTaskFor(firstId, "task_two_b", 10);
    const page = await app.open("/app/at-risk");
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
       WHERE s.shop = ? AND s.id = ? AND t.closedAt IS NOT NULL`,
      app.shop,
      firstId,
    );
    expect(closed.length).toBeGreaterThanOrEqual(2);
    expect(closed).toContainEqual({ closeReason: "false_positive", note: "Paid by bank transfer" });
    for (const t of closed) expect(t.closeReason).toBe("false_positive");

    await page.getByRole("tab", { name: /Dismissed \(1\)/ }).click();
    await page.locator(".Polaris-IndexTable__TableRow", { hasText: first.name }).waitFor();
    await app.screenshot(page, "at-risk-dismissed-tab");
    expect(app.problems().slice(seen)).toEqual([]);
    await page.close();
  });

  it("marks a subscriber contacted: the row says \"Contacted\" and not \"Overdue\", and no task is made", async () => {
    const seen = app.problems().length;
    const first = await app.open("/app/at-risk");
    const rows = await visibleRows(first);
    const pick = rows[1];
    const pickId = await subscriberIdOf(first, pick.name);
    await first.close();
    openTaskFor(pickId, "task_overdue_contacted", 48);
    const page = await app.open("/app/at-risk");
    const row = page.locator(".Polaris-IndexTable__TableRow", { hasText: pick.name });
    await row.getByText("Overdue", { exact: true }).waitFor();
    const [{ tasks }] = app.query<{ tasks: number }>(`SELECT COUNT(*) AS tasks FROM Task t JOIN Subscriber s ON s.id = t.subscriberId WHERE s.shop = ? AND s.id = ?`, app.shop, pickId);

    await page.getByRole("button", { name: `Mark ${pick.name} as contacted`, exact: true }).click();
    await page.locator(".demo-toast", { hasText: "Marked as contacted" }).waitFor();
    await row.getByText(/^Contacted /).waitFor();
    expect(await row.getByText("Overdue", { exact: true }).count()).toBe(0);
    await app.screenshot(page, "at-risk-contacted");
    const [after] = app.query<{ tasks: number; contacted: string | null }>(
      `SELECT (SELECT COUNT(*) FROM Task t WHERE t.subscriberId = s.id) AS tasks, s.contactedAt AS contacted FROM Subscriber s WHERE s.shop = ? AND s.id = ?`,
      app.shop,
      pickId,
    );
    expect(after.tasks).toBe(tasks);
    expect(after.contacted).not.toBeNull();
    expect(app.problems().slice(seen)).toEqual([]);
    await page.close();
  });

  it("the reason's error goes as soon as a reason is chosen", async () => {
    const seen = app.problems().length;
    const page = await app.open("/app/at-risk");
    const [first] = await visibleRows(page);
    await page.getByRole("button", { name: `Dismiss ${first.name}`, exact: true }).click();
    const form = page.getByRole("form", { name: `Dismiss ${first.name}` });
    await form.getByRole("button", { name: "Dismiss for this week" }).click();
    const error = form.getByText("Choose why you are taking them off the list.");
    await error.first().waitFor();
    await form.getByLabel("Why take them off this week's list?").selectOption("resolved");
    await error.first().waitFor({ state: "detached" });
    // The refusal is the server's 400 (and the browser's note of it), nothing else.
    for (const p of app.problems().slice(seen)) expect(p).toMatch(/400/);
    await page.close();
  });

  it("snoozes with an Undo in the toast that puts the subscriber back", async () => {
    const seen = app.problems().length;
    const page = await app.open("/app/at-risk");
    const [first] = await visibleRows(page);
    await page.getByRole("button", { name: `Snooze ${first.name} for 7 days`, exact: true }).click();
    await page.locator(".Polaris-IndexTable__TableRow", { hasText: first.name }).waitFor({ state: "detached" });
    const toast = page.locator(".demo-toast", { hasText: "Snoozed for 7 days" });
    await toast.getByRole("button", { name: "Undo" }).click();
    await page.locator(".demo-toast", { hasText: "Snooze undone" }).waitFor();
    await page.locator(".Polaris-IndexTable__TableRow", { hasText: first.name }).waitFor();
    expect(app.problems().slice(seen)).toEqual([]);
    await page.close();
  });

  it("keeps each row's actions on one line and offers past weeks", async () => {
    const seen = app.problems().length;
    const page = await app.open("/app/at-risk");
    const [first] = await visibleRows(page);
    const boxes = await Promise.all(
      [`Mark ${first.name} as contacted`, `Snooze ${first.name} for 7 days`, `Dismiss ${first.name}`].map((name) => page.getByRole("button", { name, exact: true }).boundingBox()),
    );
    const tops = boxes.map((b) => Math.round(b!.y));
    expect(new Set(tops).size).toBe(1);
    const weeks = await page.getByLabel("Week").locator("option").count();
    expect(weeks).toBeGreaterThan(4);
    await page.getByLabel("Week").selectOption({ index: 2 });
    await page.getByRole("heading", { name: /^At-risk: week of / }).waitFor();
    await app.screenshot(page, "at-risk-past-week");
    expect(app.problems().slice(seen)).toEqual([]);
    await page.close();
  });

  it("condenses on a 390 px phone: name, monthly value and Contacted visible, nothing scrolls sideways", async () => {
    const seen = app.problems().length;
    const page = await app.open("/app/at-risk");
    await page.setViewportSize({ width: 390, height: 844 });
    const row = page.locator(".Polaris-IndexTable__CondensedList > li").first();
    const name = row.locator('a[href^="/app/subscribers/"]').first();
    await name.waitFor();
    const value = row.getByText(/^\D{0,4}[\d,]+\.\d{2}$/).first();
    const contacted = row.getByRole("button", { name: /^Mark .* as contacted$/ });
    for (const el of [name, value, contacted]) {
      await el.waitFor();
      const box = (await el.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await app.screenshot(page, "at-risk-mobile-390");
    expect(app.problems().slice(seen)).toEqual([]);
    await page.close();
  });

  it("downloads the whole list as CSV, a header and one line per subscriber", async () => {
    const seen = app.problems().length;
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
    expect(app.problems().slice(seen)).toEqual([]);
    await page.close();
  });
});
