// `npm run demo` at a small size: a simulated store's whole webhook history through the
// real production server, then the printed summary checked against the database it
// was read from, and the app's cancellations against the simulator's ground truth.
// Then the same store told through Recharge (connected in Settings part-way, history
// imported, webhooks after) and through Shopify Flow, with no Shopify subscription webhook.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDemo, stopDemoProcesses, type DemoResult } from "../../scripts/demo";
import type { RechargeReport } from "../../scripts/demo/summary-source";
import { RECHARGE_TOPICS } from "../../app/sources/recharge/topics";

const SHOP = "lifeline-demo.myshopify.com";
const work = mkdtempSync(path.join(tmpdir(), "lifeline-demo-test-"));
const dbFile = path.join(work, "demo.db");
let result: DemoResult;

function queryIn<T>(file: string, sql: string, ...args: unknown[]): T {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).get(...args) as T;
  } finally {
    db.close();
  }
}

const query = <T>(sql: string, ...args: unknown[]): T => queryIn<T>(dbFile, sql, ...args);

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

/** What a store fed by its subscription app must show: every delivery in, no Shopify subscription webhook, everyone scored. */
function sourceRunChecks(run: () => DemoResult, file: string, sourcePrefix: string) {
  it("has every delivery acknowledged with 200, its source's own among them", () => {
    const r = run();
    expect(r.notAcknowledged).toEqual([]);
    expect(r.acknowledged).toBe(r.posted);
    expect(r.sourceReport!.deliveries).toBeGreaterThan(300);
    expect(r.sourceReport!.acknowledged).toBe(r.sourceReport!.deliveries);
    expect(r.dead).toBe(0);
  });

  it("takes no Shopify subscription webhook: the inbox holds only the source's deliveries and the helpdesk's tickets", () => {
    const shopify = queryIn<{ n: number }>(
      file,
      "SELECT COUNT(*) AS n FROM WebhookDelivery WHERE shop = ? AND (topic LIKE 'subscription%' OR topic LIKE 'customer_payment_methods/%')",
      SHOP,
    ).n;
    expect(shopify).toBe(0);
    const topics = Object.keys(run().eventsByTopic);
    expect(topics.filter((t) => !t.startsWith(sourcePrefix) && t !== "helpdesk/ticket_created")).toEqual([]);
    expect(queryIn<{ n: number }>(file, "SELECT COUNT(*) AS n FROM WebhookDelivery WHERE shop = ? AND topic LIKE ?", SHOP, `${sourcePrefix}%`).n).toBe(
      run().sourceReport!.deliveries,
    );
  });

  it("has every subscriber of the store, each under their Shopify customer id, and a band for each one still subscribed", () => {
    const counts = queryIn<{ total: number; placeholders: number; unscored: number }>(
      file,
      `SELECT COUNT(*) AS total, SUM(s.customerId NOT GLOB '[0-9]*') AS placeholders,
              SUM(s.status != 'cancelled' AND h.band IS NULL) AS unscored
       FROM Subscriber s LEFT JOIN HealthScore h ON h.subscriberId = s.id WHERE s.shop = ?`,
      SHOP,
    );
    expect(counts).toEqual({ total: 150, placeholders: 0, unscored: 0 });
    expect(run().subscribers.total).toBe(150);
    const bands = Object.values(run().bands).reduce((a, b) => a + b, 0);
    expect(bands).toBe(run().subscribers.total - run().subscribers.cancelled);
    expect(run().bands.healthy).toBeGreaterThan(bands / 2);
  });
}

describe("npm run demo -- --source recharge, 150 subscribers over 4 months", () => {
  const file = path.join(work, "recharge.db");
  let recharge: DemoResult;
  const report = () => recharge.sourceReport as RechargeReport;
  beforeAll(async () => {
    recharge = await runDemo({ subscribers: 150, months: 4, seed: 7, dbFile: file, source: "recharge", log: () => {} });
  }, 120_000);

  sourceRunChecks(() => recharge, file, "recharge:");

  it("is connected through Settings, with the app's webhooks registered at the local Recharge server, one per topic at the shop's address", () => {
    expect(report().id).toBe("recharge");
    expect(report().settingsMessage).toContain("Connected to Recharge");
    expect(report().webhooks.map((w) => w.topic).sort()).toEqual([...RECHARGE_TOPICS].sort());
    for (const w of report().webhooks) expect(w.address).toBe(`${recharge.appUrl}/api/sources/recharge/${SHOP}?topic=${encodeURIComponent(w.topic)}`);
    expect(report().webhooksKept).toBe(RECHARGE_TOPICS.length);
  });

  it("imports the history before the connection within Recharge's rate limit, and takes the webhooks after it", () => {
    const row = queryIn<{ backfillStatus: string }>(file, "SELECT backfillStatus FROM SourceConnection WHERE shop = ? AND source = 'recharge'", SHOP);
    expect(row.backfillStatus).toBe("done");
    expect(report().import.status).toBe("done");
    expect(report().import.counts.subscriptions).toBeGreaterThan(20);
    expect(report().import.counts.paidCharges).toBeGreaterThan(0);
    expect(report().api.throttled).toBe(0);
    expect(report().api.bucketPeak).toBeLessThanOrEqual(report().api.bucketSize);
    // Imported contracts are the ones created before the connection; later ones arrived by webhook.
    const created = queryIn<{ n: number }>(file, "SELECT COUNT(*) AS n FROM WebhookDelivery WHERE shop = ? AND topic = 'recharge:subscription/created'", SHOP).n;
    expect(created).toBeGreaterThan(0);
    const contracts = queryIn<{ n: number }>(file, "SELECT COUNT(*) AS n FROM Contract WHERE shop = ?", SHOP).n;
    expect(contracts).toBe(report().import.counts.subscriptions + created);
  });

  it("prints which source fed the store, its import and its API traffic", () => {
    const text = recharge.summaryText;
    expect(text).toContain("SUBSCRIPTION EVENTS: RECHARGE");
    expect(text).toContain("Shopify sent no subscription webhooks");
    expect(text).toContain(`History import: done`);
    expect(text).toContain(`${report().api.requests} requests`);
    expect(text).toContain(`${report().deliveries.toLocaleString("en-US")} signed (both schemes)`);
  });
});

describe("npm run demo -- --source flow, 150 subscribers over 4 months", () => {
  const file = path.join(work, "flow.db");
  let flow: DemoResult;
  beforeAll(async () => {
    flow = await runDemo({ subscribers: 150, months: 4, seed: 7, dbFile: file, source: "flow", log: () => {} });
  }, 120_000);

  sourceRunChecks(() => flow, file, "flow:");

  it("names the subscribers from Shopify's customer record, which Flow's requests do not carry", () => {
    expect(flow.adminApiCalls.CustomerIdentity).toBeGreaterThan(0);
    const unnamed = queryIn<{ n: number }>(file, "SELECT COUNT(*) AS n FROM Subscriber WHERE shop = ? AND email IS NULL", SHOP).n;
    expect(unnamed).toBe(0);
  });

  it("prints which source fed the store and how many requests it posted", () => {
    expect(flow.summaryText).toContain("SUBSCRIPTION EVENTS: SHOPIFY FLOW");
    expect(flow.summaryText).toContain(`${flow.sourceReport!.deliveries.toLocaleString("en-US")} action requests posted to /api/flow/record-event`);
  });
});
