// The task inbox in a real browser, on the production server and a seeded store: overdue
// tasks first, closing one with a reason through its popover, and the error when no reason is chosen.
import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { BROWSER_APP_TIMEOUT, INSTALL, startBrowserApp, type BrowserApp } from "./harness";

let app: BrowserApp;
const HOUR = 3_600_000;
const iso = (d: Date | number) => new Date(d).toISOString().replace("Z", "+00:00");

/**
 * A seeded store's first score is its baseline and fires nothing, so the inbox is filled here:
 * tasks due at different times around now (three overdue), each with its firing, as the engine writes them.
 */
const FIXTURES = [
  { triggerKey: "payment-failed-hard", title: "Payment failed (card must be updated)", dueInHours: 20, priority: "urgent" },
  { triggerKey: "first-cycle-ticket", title: "Support ticket in the first cycle", dueInHours: -30, priority: "high" },
  { triggerKey: "entered-at-risk", title: "Crossed into at risk", dueInHours: 3, priority: "normal" },
  { triggerKey: "cancelled-winback", title: "Cancelled: win back", dueInHours: -2, priority: "normal" },
  { triggerKey: "entered-at-risk", title: "Crossed into at risk", dueInHours: 40, priority: "normal" },
  { triggerKey: "payment-failed-hard", title: "Payment failed (card must be updated)", dueInHours: -50, priority: "urgent" },
];

beforeAll(async () => {
  app = await startBrowserApp({
    subscribers: 200,
    prepare: (db, now) => {
      const shop = "lifeline-demo.myshopify.com";
      const subscribers = db
        .prepare(`SELECT id FROM Subscriber WHERE shop = ? AND status = 'active' AND displayName IS NOT NULL ORDER BY id DESC LIMIT ?`)
        .all(shop, FIXTURES.length) as { id: string }[];
      const firing = db.prepare(
        `INSERT INTO Firing (id, shop, triggerKey, subscriberId, firedAt, holdout, reasons, snapshot, outcomeDueAt) VALUES (?, ?, ?, ?, ?, 0, ?, '{}', ?)`,
      );
      const task = db.prepare(
        `INSERT INTO Task (id, shop, firingId, subscriberId, title, suggestedAction, reasons, owner, priority, dueAt, status, createdAt, updatedAt)
         VALUES (?, ?, ?, ?, ?, 'Call them and ask how the last box went.', ?, 'Store owner', ?, ?, 'open', ?, ?)`,
      );
      FIXTURES.forEach((f, i) => {
        const firedAt = now.getTime() - 72 * HOUR + i * 1000;
        const reasons = JSON.stringify([`Skipped ${i + 2} deliveries in a row`]);
        firing.run(`firing_browser_${i}`, shop, f.triggerKey, subscribers[i].id, iso(firedAt), reasons, iso(now.getTime() + 30 * 24 * HOUR));
        task.run(`task_browser_${i}`, shop, `firing_browser_${i}`, subscribers[i].id, f.title, reasons, f.priority, iso(now.getTime() + f.dueInHours * HOUR), iso(firedAt), iso(firedAt));
      });
    },
  });
}, BROWSER_APP_TIMEOUT);

afterAll(async () => {
  await app?.stop();
});

interface ShownTask {
  name: string;
  overdue: boolean;
}

async function visibleTasks(page: Page): Promise<ShownTask[]> {
  const rows = page.locator(".Polaris-IndexTable__TableRow");
  const out: ShownTask[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    out.push({
      name: (await row.locator('a[href^="/app/subscribers/"]').first().innerText()).trim(),
      overdue: (await row.getByText("Overdue", { exact: true }).count()) > 0,
    });
  }
  return out;
}

/** The first overdue task whose subscriber has no other open task, so the name picks one row. */
async function firstOverdueAlone(page: Page): Promise<string> {
  const shown = await visibleTasks(page);
  const counts = new Map<string, number>();
  for (const t of shown) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  const pick = shown.find((t) => t.overdue && counts.get(t.name) === 1);
  if (!pick) throw new Error(`no overdue task with a subscriber of their own among ${JSON.stringify(shown)}`);
  return pick.name;
}

describe("the task inbox in a browser", () => {
  it("lists open tasks with the overdue ones first", async () => {
    const page = await app.open("/app/tasks");
    await page.getByRole("heading", { name: "Tasks", level: 1 }).waitFor();
    const shown = await visibleTasks(page);
    await app.screenshot(page, "tasks");

    const [{ open, overdue }] = app.query<{ open: number; overdue: number }>(
      `SELECT COUNT(*) AS open, SUM(CASE WHEN dueAt < ? THEN 1 ELSE 0 END) AS overdue FROM Task WHERE shop = ? AND status = 'open'`,
      iso(Date.now()),
      app.shop,
    );
    expect(overdue).toBeGreaterThanOrEqual(3);
    expect(shown).toHaveLength(open);
    expect(shown.filter((t) => t.overdue)).toHaveLength(overdue);
    // Every overdue row comes before every row that is not.
    const firstOnTime = shown.findIndex((t) => !t.overdue);
    expect(shown.slice(firstOnTime).some((t) => t.overdue)).toBe(false);
    await page.getByRole("tab", { name: `Open (${open})` }).waitFor();
    await page.getByText(`${overdue} overdue`, { exact: true }).waitFor();
    expect(app.problems()).toEqual([]);
    await page.close();
  });

  it("asks for a reason when a task is closed without one", async () => {
    const page = await app.open("/app/tasks");
    const name = await firstOverdueAlone(page);
    const before = app.problems().length;
    await page.getByRole("button", { name: `Close the task for ${name}`, exact: true }).click();
    const form = page.getByRole("form", { name: `Close the task for ${name}` });
    await form.getByRole("button", { name: "Close task" }).click();

    await form.getByText("Choose why you are closing this task.").first().waitFor();
    expect(await form.getByLabel("Why is this task done?").getAttribute("aria-invalid")).toBe("true");
    await app.screenshot(page, "tasks-close-no-reason", { fullPage: false });
    const [{ status }] = app.query<{ status: string }>(
      `SELECT t.status FROM Task t JOIN Subscriber s ON s.id = t.subscriberId WHERE s.shop = ? AND s.displayName = ? AND t.id LIKE 'task_browser_%'`,
      app.shop,
      name,
    );
    expect(status).toBe("open");
    // The refusal is the server's 400 (and the browser's note of it), nothing else.
    const fresh = app.problems().slice(before);
    expect(fresh.length).toBeGreaterThan(0);
    for (const p of fresh) expect(p).toMatch(/400/);
    await page.close();
  });

  it("closes a task with a reason: it leaves Open and is listed under Done with that reason", async () => {
    const page = await app.open("/app/tasks");
    const before = app.problems().length;
    const name = await firstOverdueAlone(page);
    await page.getByRole("button", { name: `Close the task for ${name}`, exact: true }).click();
    const form = page.getByRole("form", { name: `Close the task for ${name}` });
    await form.getByLabel("Why is this task done?").selectOption("could_not_reach");
    await form.getByLabel("Note (optional)").fill("Voicemail twice");
    await app.screenshot(page, "tasks-close-popover", { fullPage: false });
    await form.getByRole("button", { name: "Close task" }).click();

    await page.locator(".Polaris-IndexTable__TableRow", { hasText: name }).waitFor({ state: "detached" });
    // The confirmation shows though the row that asked has gone.
    await page.locator(".demo-toast", { hasText: "Task closed: Could not reach them" }).waitFor();
    const closed = app.query<{ status: string; closeReason: string; note: string; closed: number }>(
      `SELECT t.status, t.closeReason, t.note, t.closedAt IS NOT NULL AS closed FROM Task t JOIN Subscriber s ON s.id = t.subscriberId
       WHERE s.shop = ? AND s.displayName = ? AND t.id LIKE 'task_browser_%'`,
      app.shop,
      name,
    );
    expect(closed).toEqual([{ status: "done", closeReason: "could_not_reach", note: "Voicemail twice", closed: 1 }]);

    await page.getByRole("tab", { name: /^Done \(\d+\)/ }).click();
    const row = page.locator(".Polaris-IndexTable__TableRow", { hasText: name });
    await row.waitFor();
    await row.getByText("Could not reach them", { exact: true }).waitFor();
    await row.getByText("Voicemail twice", { exact: true }).waitFor();
    await app.screenshot(page, "tasks-done-tab");
    expect(app.problems().slice(before)).toEqual([]);
    await page.close();
  });

  it("closes several selected tasks at once with one reason, with the page's count", async () => {
    const page = await app.open("/app/tasks");
    const before = app.problems().length;
    const [{ open }] = app.query<{ open: number }>(`SELECT COUNT(*) AS open FROM Task WHERE shop = ? AND status = 'open'`, app.shop);
    await page.getByText(`1-${open} of ${open}`, { exact: true }).waitFor();
    const rows = page.locator(".Polaris-IndexTable__TableRow");
    const names = [];
    for (const i of [0, 1]) {
      names.push((await rows.nth(i).locator('a[href^="/app/subscribers/"]').first().innerText()).trim());
      await rows.nth(i).locator(".Polaris-IndexTable__TableCell--first").click();
    }
    await page.getByRole("button", { name: "Close tasks" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Why are these tasks done?").selectOption("resolved");
    await app.screenshot(page, "tasks-bulk-close", { fullPage: false });
    await dialog.getByRole("button", { name: "Close 2 tasks" }).click();
    await page.locator(".demo-toast", { hasText: "2 tasks closed: Handled: nothing more to do" }).waitFor();
    await page.getByText(`1-${open - 2} of ${open - 2}`, { exact: true }).waitFor();
    const [{ closed }] = app.query<{ closed: number }>(`SELECT COUNT(*) AS closed FROM Task WHERE shop = ? AND status = 'done' AND closeReason = 'resolved'`, app.shop);
    expect(closed).toBe(2);
    expect(app.problems().slice(before)).toEqual([]);
    await page.close();
  });
});

/** Shopify's cancellation webhook for one contract, signed with the app's secret, posted to the app's real route. */
async function postCancellation(target: BrowserApp, contractId: string, customerId: string): Promise<number> {
  const body = JSON.stringify({
    admin_graphql_api_id: `gid://shopify/SubscriptionContract/${contractId}`,
    admin_graphql_api_customer_id: `gid://shopify/Customer/${customerId}`,
    id: Number(contractId),
    customer_id: Number(customerId),
    status: "cancelled",
    revision_id: String(Date.now()),
    currency_code: "USD",
    billing_policy: { interval: "month", interval_count: 1 },
    delivery_policy: { interval: "month", interval_count: 1 },
  });
  const response = await fetch(`${target.url}/webhooks/subscription_contracts`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": "subscription_contracts/cancel",
      "x-shopify-hmac-sha256": createHmac("sha256", INSTALL.apiSecret).update(body, "utf8").digest("base64"),
      "x-shopify-shop-domain": target.shop,
      "x-shopify-api-version": "2025-10",
      "x-shopify-webhook-id": randomUUID(),
      "x-shopify-event-id": randomUUID(),
      "x-shopify-triggered-at": new Date().toISOString(),
    },
  });
  return response.status;
}

describe("tasks that close themselves, with the worker running", () => {
  let live: BrowserApp;
  const TASK = "task_cancelled_browser";

  beforeAll(async () => {
    live = await startBrowserApp({
      subscribers: 120,
      worker: true,
      prepare: (db, now) => {
        const shop = "lifeline-demo.myshopify.com";
        const [subscriber] = db
          .prepare(`SELECT s.id FROM Subscriber s JOIN Contract c ON c.subscriberId = s.id WHERE s.shop = ? AND s.status = 'active' AND c.status = 'active' AND s.displayName IS NOT NULL
                   AND (SELECT COUNT(*) FROM Contract x WHERE x.subscriberId = s.id) = 1 ORDER BY s.id LIMIT 1`)
          .all(shop) as { id: string }[];
        const firedAt = iso(now.getTime() - 24 * HOUR);
        db.prepare(`INSERT INTO Firing (id, shop, triggerKey, subscriberId, firedAt, holdout, reasons, snapshot, outcomeDueAt) VALUES ('firing_cancelled_browser', ?, 'first-cycle-ticket', ?, ?, 0, '[]', '{}', ?)`).run(
          shop,
          subscriber.id,
          firedAt,
          iso(now.getTime() + 30 * 24 * HOUR),
        );
        db.prepare(
          `INSERT INTO Task (id, shop, firingId, subscriberId, title, suggestedAction, reasons, owner, priority, dueAt, status, createdAt, updatedAt)
           VALUES (?, ?, 'firing_cancelled_browser', ?, 'Support ticket in the first cycle', 'Reply personally.', '[]', 'Store owner', 'urgent', ?, 'open', ?, ?)`,
        ).run(TASK, shop, subscriber.id, iso(now.getTime() - 20 * HOUR), firedAt, firedAt);
      },
    });
  }, BROWSER_APP_TIMEOUT);

  afterAll(async () => {
    await live?.stop();
  });

  it("a subscriber who cancels has their open task closed, with reason cancelled, and the inbox says so", async () => {
    const [who] = live.query<{ name: string; contractId: string; customerId: string }>(
      `SELECT s.displayName AS name, c.contractId, s.customerId FROM Task t JOIN Subscriber s ON s.id = t.subscriberId JOIN Contract c ON c.subscriberId = s.id WHERE t.id = ? AND c.status = 'active'`,
      TASK,
    );
    const page = await live.open("/app/tasks");
    await page.locator(".Polaris-IndexTable__TableRow", { hasText: who.name }).first().waitFor();

    expect(await postCancellation(live, who.contractId, who.customerId)).toBe(200);
    await expect
      .poll(() => live.query<{ status: string; closeReason: string | null }>(`SELECT status, closeReason FROM Task WHERE id = ?`, TASK)[0], { timeout: 90_000, interval: 500 })
      .toEqual({ status: "done", closeReason: "cancelled" });

    const done = await live.open("/app/tasks");
    await done.getByRole("tab", { name: /^Done \(\d+\)/ }).click();
    const row = done.locator(".Polaris-IndexTable__TableRow", { hasText: who.name }).filter({ hasText: "Closed itself: they cancelled" });
    await row.first().waitFor();
    await done.waitForLoadState("networkidle");
    await live.screenshot(done, "tasks-closed-itself");
    await page.close();
    await done.close();
  });
});
