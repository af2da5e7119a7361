// The task inbox in a real browser, on the production server and a seeded store: overdue
// tasks first, closing one with a reason through its popover, and the error when no reason is chosen.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { BROWSER_APP_TIMEOUT, startBrowserApp, type BrowserApp } from "./harness";

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
    const cells = rows.nth(i).locator("td");
    out.push({
      name: (await cells.nth(1).locator("a").first().innerText()).trim(),
      overdue: (await cells.nth(0).getByText("Overdue", { exact: true }).count()) > 0,
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
});
