// The home page in a real browser: the figures a merchant reads first, the set-up
// checklist of a store that has not sent anything to Klaviyo yet, and replaying a failed delivery.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_APP_TIMEOUT, startBrowserApp, type BrowserApp } from "./harness";

let app: BrowserApp;
const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");

beforeAll(async () => {
  app = await startBrowserApp({
    subscribers: 200,
    prepare: (db, now) => {
      // A delivery that kept failing, as the worker leaves it.
      db.prepare(
        `INSERT INTO WebhookDelivery (shop, deliveryKey, topic, webhookId, apiVersion, receivedAt, body, error)
         VALUES (?, 'evt-home-1', 'subscription_billing_attempts/failure', 'wh-home-1', '2025-10', ?, '{}', 'payload failed validation')`,
      ).run("lifeline-demo.myshopify.com", iso(now));
      db.prepare(
        `INSERT INTO Job (queue, key, shop, status, attempts, lastError, runAt, createdAt, updatedAt)
         VALUES ('webhook', ?, ?, 'dead', 5, 'payload failed validation: admin_graphql_api_id is missing', ?, ?, ?)`,
      ).run("lifeline-demo.myshopify.com:evt-home-1", "lifeline-demo.myshopify.com", iso(now), iso(now), iso(now));
    },
  });
}, BROWSER_APP_TIMEOUT);

afterAll(async () => {
  await app?.stop();
});

describe("the home page in a browser", () => {
  it("shows revenue at risk, subscribers by band with their trend, and the set-up steps left", async () => {
    const page = await app.open("/app");
    await page.getByRole("heading", { name: "Lifeline", level: 1 }).waitFor();

    const [{ monthly }] = app.query<{ monthly: number }>(
      `SELECT ROUND(SUM(s.monthlyValue), 2) AS monthly FROM Subscriber s JOIN HealthScore h ON h.subscriberId = s.id
       WHERE s.shop = ? AND s.status <> 'cancelled' AND h.band IN ('at_risk', 'critical') AND COALESCE(s.currency, 'USD') = 'USD'`,
      app.shop,
    );
    const figure = page.getByRole("heading", { name: "Monthly revenue at risk" }).locator("xpath=following-sibling::p[1]");
    // The shop's currency first; any other currency beside it, never added in.
    const shown = Number((await figure.innerText()).split(" · ")[0].replace(/[^0-9.]/g, ""));
    expect(monthly).toBeGreaterThan(0);
    expect(shown).toBeCloseTo(monthly, 2);

    // Klaviyo is connected and the import is done; the subscription app is not chosen, nothing has been sent and the playbook is untouched.
    await page.getByRole("heading", { name: "Set up Lifeline" }).waitFor();
    await page.getByText("2 of 5 done").waitFor();
    expect(await page.getByRole("link", { name: "Send test events" }).getAttribute("href")).toMatch(/^\/app\/playbook/);
    expect(await page.getByRole("link", { name: "Connect Klaviyo" }).count()).toBe(0);

    const [{ critical }] = app.query<{ critical: number }>(
      `SELECT COUNT(*) AS critical FROM HealthScore h JOIN Subscriber s ON s.id = h.subscriberId
       WHERE s.shop = ? AND s.status <> 'cancelled' AND h.band = 'critical'`,
      app.shop,
    );
    await page.getByRole("button", { name: "Show the figures" }).click();
    const thisWeek = page.locator(".Polaris-DataTable__TableRow").first();
    expect((await thisWeek.locator("td").last().innerText()).trim()).toBe(String(critical));

    await app.screenshot(page, "home");
    expect(app.problems()).toEqual([]);
    await page.close();
  });

  it("replays a failed delivery and takes it off the list", async () => {
    const page = await app.open("/app");
    await page.getByRole("button", { name: "Replay subscription_billing_attempts/failure delivery" }).click();
    await page.getByRole("status").filter({ hasText: "Queued again." }).waitFor();
    await page.getByText("Every webhook was processed.").waitFor();
    const [job] = app.query<{ status: string }>("SELECT status FROM Job WHERE key = ?", "lifeline-demo.myshopify.com:evt-home-1");
    expect(job.status).toBe("pending");
    await app.screenshot(page, "home-after-replay");
    expect(app.problems()).toEqual([]);
    await page.close();
  });
});
