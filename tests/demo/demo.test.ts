// `npm run demo` at a small size: a simulated store's whole webhook history through the
// real production server, then the printed summary checked against the database it
// was read from, and the app's cancellations against the simulator's ground truth.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDemo, stopDemoProcesses, type DemoResult } from "../../scripts/demo";

const SHOP = "lifeline-demo.myshopify.com";
const work = mkdtempSync(path.join(tmpdir(), "lifeline-demo-test-"));
const dbFile = path.join(work, "demo.db");
let result: DemoResult;

function query<T>(sql: string, ...args: unknown[]): T {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(sql).get(...args) as T;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  result = await runDemo({ subscribers: 150, months: 4, seed: 7, dbFile, log: () => {} });
}, 240_000);

afterAll(async () => {
  // Also after a failure or timeout above: no server outlives the test.
  await stopDemoProcesses();
  rmSync(work, { recursive: true, force: true });
});

describe("npm run demo, 150 subscribers over 4 months", () => {
  it("has every webhook the store sent acknowledged with 200", () => {
    expect(result.posted).toBeGreaterThan(500);
    expect(result.notAcknowledged).toEqual([]);
    expect(result.acknowledged).toBe(result.posted);
  });

  it("reports the subscribers and monthly revenue the database holds", () => {
    const counts = query<{ active: number; paused: number; cancelled: number; total: number }>(
      `SELECT SUM(status = 'active') AS active, SUM(status = 'paused') AS paused,
              SUM(status = 'cancelled') AS cancelled, COUNT(*) AS total FROM Subscriber WHERE shop = ?`,
      SHOP,
    );
    expect(result.subscribers).toMatchObject(counts);
    expect(counts.total).toBe(150);
    const usd = query<{ mrr: number }>(
      "SELECT SUM(monthlyValue) AS mrr FROM Subscriber WHERE shop = ? AND status = 'active' AND COALESCE(currency, 'USD') = 'USD'",
      SHOP,
    );
    expect(result.mrr.USD).toBeCloseTo(usd.mrr, 2);
    expect(result.mrr.USD).toBeGreaterThan(0);
  });

  it("counts each event once, and the store's repeats as duplicates ignored", () => {
    const inbox = query<{ n: number }>("SELECT COUNT(*) AS n FROM WebhookDelivery WHERE shop = ?", SHOP).n;
    expect(result.eventsIngested).toBe(inbox);
    expect(inbox).toBe(result.distinctEventIds);
    expect(result.resent).toBeGreaterThan(0);
    expect(result.duplicatesIgnored).toBe(result.posted - result.distinctEventIds);
  });

  it("brings the helpdesk's tickets onto the subscribers' timelines", () => {
    expect(result.ticketsPosted).toBeGreaterThan(0);
    const opened = query<{ n: number }>("SELECT COUNT(*) AS n FROM SubscriberEvent WHERE shop = ? AND type = 'ticket.opened'", SHOP).n;
    expect(opened).toBe(result.ticketsPosted);
  });

  it("reports the dead letters the database holds, and leaves no webhook unprocessed", () => {
    const dead = query<{ n: number }>("SELECT COUNT(*) AS n FROM Job WHERE shop = ? AND status = 'dead'", SHOP).n;
    expect(result.dead).toBe(dead);
    const unfinished = query<{ n: number }>("SELECT COUNT(*) AS n FROM Job WHERE queue = 'webhook' AND status IN ('pending', 'running')").n;
    expect(unfinished).toBe(0);
  });

  it("cancels about as many subscribers as the simulator did", () => {
    const { simulatorCancelled, appCancelled } = result.truth;
    expect(simulatorCancelled).toBeGreaterThan(0);
    expect(Math.abs(appCancelled - simulatorCancelled)).toBeLessThanOrEqual(Math.max(3, simulatorCancelled * 0.1));
  });

  it("prints the figures it returns, under a heading for each part", () => {
    const text = result.summaryText;
    for (const heading of ["SUBSCRIBERS", "WEBHOOKS", "DELIVERIES THAT FAILED", "GROUND TRUTH CHECK", "WHERE TO LOOK NEXT"]) {
      expect(text).toContain(heading);
    }
    expect(text).toMatch(new RegExp(`Cancelled\\s+${result.subscribers.cancelled}\\b`));
    expect(text).toContain(`Events ingested: ${result.eventsIngested.toLocaleString("en-US")}`);
    expect(text).toContain(`Duplicates ignored: ${result.duplicatesIgnored}`);
  });

  it("stops the app server once the summary is printed", async () => {
    await expect(fetch(`${result.appUrl}/webhooks/subscription_contracts`, { method: "POST" })).rejects.toThrow();
  });
});
