// The Recharge history import at scale: 10,000 subscriptions and 15,000 past charges read from
// the local Recharge server at Recharge's real rate limit (a bucket of 40 per token draining
// 2 a second), through the real "source" job: connected with connectSource (the token checked
// against the server), then the sources worker drained (scoring the imported history is not
// what this file shows). It finishes without a 429, imports every
// subscriber matched by Shopify customer id, skips what Recharge would never send, and dates
// history by the charges' own times.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { config } from "~/config.server";
import { connectSource } from "~/sources/connect.server";
import { sourceConnectionStatus } from "~/models/source-connection.server";
import { buildRechargeDataSet } from "../../../simulator/recharge/dataset";
import type { RechargeRequest } from "../../../simulator/recharge/server";
import { prisma, workers } from "../../support/app";
import { rechargeFixture } from "./support";

const SHOP = "recharge-backfill.myshopify.com";
const TOKEN = "sk_backfill_token";
const SUBSCRIPTIONS = 10_000;
const CUSTOMERS = 9_000;
const data = buildRechargeDataSet({ subscriptions: SUBSCRIPTIONS, customers: CUSTOMERS, malformed: { subscriptions: 2, charges: 1 } });
const chargesOf = (status: string) => data.charges.filter((c) => c.status === status && Array.isArray(c.line_items));

const { server } = await vi.hoisted(async () => {
  const { startRechargeServer } = await import("../../../simulator/recharge/server");
  // Recharge's default limit for the token: 40, draining 2/s.
  const server = await startRechargeServer({ tokens: { sk_backfill_token: {} }, clientSecret: "rc-backfill-secret" });
  process.env.RECHARGE_API_BASE_URL = server.baseUrl;
  return { server };
});
afterAll(() => server.stop());

const keys = (o: object) => Object.keys(o).sort();

describe("the local account", () => {
  test("its objects have exactly the fields of Recharge's, object by object", () => {
    const [subscription] = data.subscriptions;
    expect(keys(data.customers[0])).toEqual(keys(rechargeFixture("customer")));
    expect(keys(subscription)).toEqual(keys(rechargeFixture("subscription")));
    expect(keys(chargesOf("success")[0])).toEqual(keys(rechargeFixture("charge-success")));
    expect(keys(chargesOf("queued")[0])).toEqual(keys(rechargeFixture("charge-queued")));
    expect(keys(chargesOf("error")[0])).toEqual(keys(rechargeFixture("charge-error-max-retries")));
    expect(keys((chargesOf("success")[0].line_items as object[])[0])).toEqual(keys(rechargeFixture("charge-success").line_items[0]));
  });
});

describe("importing 10,000 subscriptions and their charges", () => {
  let requests: RechargeRequest[] = [];
  beforeAll(async () => {
    if (config().RECHARGE_API_BASE_URL !== server.baseUrl) throw new Error("the app read its configuration before the Recharge server started");
    server.setData(data);
    const connected = await connectSource(SHOP, "recharge", { accessToken: TOKEN, clientSecret: "rc-backfill-secret" });
    if (!connected.ok) throw new Error(connected.error);
    await workers.sources.drain();
    requests = [...server.requests];
  }, 300_000);

  test("completes within Recharge's rate limit: no 429, and the bucket never went past 40", async () => {
    expect((await sourceConnectionStatus(SHOP, "recharge")).backfillStatus).toBe("done");
    expect(server.throttled()).toEqual([]);
    expect(server.bucketPeak(TOKEN)).toBeLessThanOrEqual(40);
    // The pacing spends the bucket (its headroom is 2), rather than crawling below the limit.
    expect(server.bucketPeak(TOKEN)).toBeGreaterThanOrEqual(36);
  });

  test("reads each page once, 250 at a time, sending nothing but the cursor and limit after the first page", () => {
    const lists = requests.filter((r) => r.method === "GET" && r.query.limit === "250" && r.path !== "/webhooks");
    const seen = new Set(lists.map((r) => `${r.path} ${JSON.stringify(r.query)}`));
    expect(seen.size).toBe(lists.length);
    for (const r of lists.filter((r) => r.query.cursor)) expect(keys(r.query)).toEqual(["cursor", "limit"]);
    const pages = (n: number) => Math.ceil(n / 250);
    expect(lists.filter((r) => r.path === "/subscriptions")).toHaveLength(pages(SUBSCRIPTIONS + 2));
    // One customers request per page of subscriptions, naming that page's customers.
    expect(lists.filter((r) => r.path === "/customers" && r.query.ids)).toHaveLength(pages(SUBSCRIPTIONS + 2));
    const chargePages = ["success", "error", "skipped"].map((s) => pages(data.charges.filter((c) => c.status === s).length));
    expect(lists.filter((r) => r.path === "/charges")).toHaveLength(chargePages.reduce((a, b) => a + b, 0));
    // Queued charges are the future, not history: no request asks for them.
    expect(lists.some((r) => r.query.status === "queued")).toBe(false);
  });

  test("every subscription becomes a contract of a subscriber matched by Shopify customer id", async () => {
    expect(await prisma.contract.count({ where: { shop: SHOP } })).toBe(SUBSCRIPTIONS);
    expect(await prisma.subscriber.count({ where: { shop: SHOP } })).toBe(CUSTOMERS);
    expect(await prisma.subscriber.count({ where: { shop: SHOP, customerId: { startsWith: "recharge:" } } })).toBe(0);
    expect(await prisma.subscriber.count({ where: { shop: SHOP, email: null } })).toBe(0);
    expect(await prisma.subscriberEvent.count({ where: { shop: SHOP, type: "contract.created" } })).toBe(SUBSCRIPTIONS);
    const cancelled = data.subscriptions.filter((s) => s.status === "cancelled" && s.created_at).length;
    expect(await prisma.subscriberEvent.count({ where: { shop: SHOP, type: "contract.cancelled" } })).toBe(cancelled);
  });

  test("objects Recharge would never send are counted and skipped; the progress says what was read", async () => {
    const { backfillProgress } = await sourceConnectionStatus(SHOP, "recharge");
    // Customers are read with each page of subscriptions: one whose subscriptions straddle two pages is read twice.
    const customersRead = (backfillProgress.counts as { customers: number }).customers;
    expect(customersRead).toBeGreaterThanOrEqual(CUSTOMERS);
    expect(customersRead).toBeLessThanOrEqual(CUSTOMERS + Math.ceil(SUBSCRIPTIONS / 250));
    expect(backfillProgress).toMatchObject({
      stage: "done",
      cursor: null,
      counts: {
        subscriptions: SUBSCRIPTIONS,
        paidCharges: chargesOf("success").length,
        failedCharges: chargesOf("error").length,
        skippedCharges: chargesOf("skipped").length,
        malformed: 3,
      },
    });
  });

  test("history is dated by the charges' own times, never by the import's", async () => {
    const events = await prisma.subscriberEvent.findMany({ where: { shop: SHOP, type: { in: ["billing.succeeded", "billing.failed", "cycle.skipped"] } }, select: { sourceKey: true, occurredAt: true } });
    const at = new Map(events.map((e) => [e.sourceKey, e.occurredAt.getTime()]));
    const paid = chargesOf("success");
    expect(paid.length).toBeGreaterThan(12_000);
    for (const c of paid) expect(at.get(`recharge:charge:${c.id}:paid`)).toBe(Date.parse(String(c.processed_at)));
    for (const c of chargesOf("error")) expect(at.get(`recharge:charge:${c.id}:failed:${new Date(String(c.last_charge_attempt)).toISOString()}`)).toBe(Date.parse(String(c.last_charge_attempt)));
    for (const c of chargesOf("skipped")) expect(at.get(`recharge:charge:${c.id}:skipped`)).toBe(Date.parse(String(c.updated_at)));
    const latest = await prisma.subscriberEvent.aggregate({ where: { shop: SHOP }, _max: { occurredAt: true } });
    expect(latest._max.occurredAt!.getTime()).toBeLessThan(Date.parse("2026-06-01T00:00:00Z"));
  });
});
