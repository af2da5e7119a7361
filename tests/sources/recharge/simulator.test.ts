// The simulator's Recharge view: bodies shaped exactly like Recharge's objects, and a
// store whose events come only from Recharge ends with the timelines the simulator says,
// apart from what Recharge cannot say (listed in simulator/recharge/webhooks.ts).
import { beforeAll, describe, expect, test } from "vitest";
import { drain, prisma } from "../../support/app";
import { installShop } from "../../support/shop";
import { saveSourceCredentials } from "~/models/source-connection.server";
import { deadLetters } from "~/models/inbox.server";
import * as route from "~/routes/api.sources.$source.$shop";
import { buildStore, type SimulatedSubscriber } from "../../../simulator";
import { rechargeSignatureHeaders, rechargeStateAt, rechargeWebhooks } from "../../../simulator/recharge/webhooks";
import { rechargeSubscriptionId } from "../../../simulator/recharge/objects";
import type { TimelineEvent } from "~/domain/timeline";
import { CLIENT_SECRET, rechargeFixture } from "./support";

const SHOP = "recharge-sim.myshopify.com";
const store = buildStore({ seed: 5, subscribers: 60, months: 10, end: new Date("2026-06-01T00:00:00Z"), shopDomain: SHOP, duplicateRate: 0, lateRate: 0 });
const hooks = rechargeWebhooks(store);

/** Keys, and the type of each non-null value, recursively through objects and the first element of arrays. */
function shape(value: unknown): unknown {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries.map(([k, v]) => [k, shape(v)]));
  }
  return typeof value;
}
/** Equal shapes, where a null on either side matches any type (a field can be empty in one and set in the other). */
function sameShape(actual: unknown, expected: unknown, path = "$"): string[] {
  if (actual === "null" || expected === "null") return [];
  if (typeof actual === "string" || typeof expected === "string") return actual === expected ? [] : [`${path}: ${String(actual)} vs ${String(expected)}`];
  if (Array.isArray(actual) && Array.isArray(expected)) return actual.length && expected.length ? sameShape(actual[0], expected[0], `${path}[0]`) : [];
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  const keys = (o: object) => Object.keys(o).join(",");
  if (keys(a) !== keys(e)) return [`${path}: keys ${keys(a)} vs ${keys(e)}`];
  return Object.keys(a).flatMap((k) => sameShape(a[k], e[k], `${path}.${k}`));
}

describe("bodies", () => {
  test("the stream speaks every topic the simulated lives need", () => {
    const topics = new Set(hooks.map((h) => h.topic));
    for (const t of ["subscription/created", "subscription/cancelled", "subscription/paused", "subscription/activated", "subscription/skipped", "charge/paid", "charge/failed", "charge/max_retries_reached", "customer/payment_method_updated"]) {
      expect(topics, t).toContain(t);
    }
  });

  test("subscriptions, customers and charges have exactly the fixture objects' keys and value types", () => {
    const subscription = shape(rechargeFixture("subscription"));
    const customer = shape(rechargeFixture("customer"));
    const success = shape(rechargeFixture("charge-success"));
    const failed = shape(rechargeFixture("charge-error-max-retries"));
    const problems: string[] = [];
    const state = rechargeStateAt(store, store.end);
    for (const s of state.subscriptions) problems.push(...sameShape(shape(s), subscription));
    for (const c of state.customers) problems.push(...sameShape(shape(c), customer));
    for (const c of state.charges) problems.push(...sameShape(shape(c), "charge_attempts" in c ? failed : success));
    for (const h of hooks) {
      const [resource] = h.topic.split("/");
      const expected = resource === "subscription" ? subscription : resource === "customer" ? customer : "charge_attempts" in (h.body.charge as object) ? failed : success;
      problems.push(...sameShape(shape(h.body[resource]), expected, h.topic));
      if (resource === "subscription") problems.push(...sameShape(shape(h.body.customer), customer, `${h.topic}.customer`));
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  test("the API's view at a moment holds what had happened by then", () => {
    const mid = new Date((store.start.getTime() + store.end.getTime()) / 2);
    const then = rechargeStateAt(store, mid);
    const now = rechargeStateAt(store, store.end);
    expect(then.subscriptions.length).toBeLessThan(now.subscriptions.length);
    expect(then.charges.every((c) => Date.parse(String(c.created_at)) <= mid.getTime())).toBe(true);
    expect(then.subscriptions.filter((s) => s.status === "cancelled").length).toBeLessThan(now.subscriptions.filter((s) => s.status === "cancelled").length);
  });
});

/** The simulator's timeline as Recharge can tell it. */
function expectedFromSimulator(sub: SimulatedSubscriber): string[] {
  const contractKey = (id: string | null) => {
    const c = sub.contracts.find((k) => String(k.id) === id);
    return c ? `recharge:${rechargeSubscriptionId(c)}` : null;
  };
  const lastFailure = new Map<string | null, Date>();
  const out: string[] = [];
  for (const e of sub.timeline) {
    if (e.type === "ticket.opened" || e.type === "billing.challenged" || e.type === "payment_method.revoked") continue;
    let at = e.occurredAt;
    if (e.type === "billing.failed") lastFailure.set(e.contractId, e.occurredAt);
    // Retries exhausted is dated by the last attempt, not by the contract's FAILED status hours later.
    if (e.type === "contract.failed") at = lastFailure.get(e.contractId) ?? at;
    const type = e.type === "payment_method.added" ? "payment_method.updated" : e.type;
    out.push(line(at, type === "payment_method.updated" ? null : contractKey(e.contractId), type, e));
  }
  return out.sort();
}

function line(at: Date, contractId: string | null, type: string, e: Pick<TimelineEvent, "data">): string {
  const seconds = new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString();
  const detail = type === "billing.failed" ? ` ${e.data.failureClass}` : type === "contract.edited" ? ` ${e.data.fromMonthlyValue}->${e.data.toMonthlyValue}` : "";
  return `${seconds} ${contractId} ${type}${detail}`;
}

describe("a store whose events come only from Recharge", () => {
  beforeAll(async () => {
    await installShop(SHOP);
    await saveSourceCredentials(SHOP, "recharge", { accessToken: "sk_test", clientSecret: CLIENT_SECRET }, new Date());
    for (const h of hooks) {
      const raw = JSON.stringify(h.body);
      const headers = { "content-type": "application/json", ...rechargeSignatureHeaders(raw, CLIENT_SECRET, new Date()) };
      const request = new Request(`https://lifeline.test/api/sources/recharge/${SHOP}?topic=${h.topic}`, { method: "POST", body: raw, headers });
      const response = await route.action({ request, params: { source: "recharge", shop: SHOP }, context: {} });
      if (response.status !== 200) throw new Error(`${h.topic}: ${response.status}`);
    }
    await drain();
  }, 120_000);

  test("every delivery was read", async () => {
    expect(await deadLetters(SHOP)).toEqual([]);
    expect(await prisma.webhookDelivery.count({ where: { shop: SHOP } })).toBe(hooks.length);
  });

  test("each subscriber's timeline has the simulator's events at the simulator's times", async () => {
    const rows = await prisma.subscriber.findMany({ where: { shop: SHOP }, include: { events: true } });
    const byCustomer = new Map(rows.map((r) => [r.customerId, r]));
    expect(rows).toHaveLength(store.subscribers.length);
    let compared = 0;
    for (const sub of store.subscribers) {
      const row = byCustomer.get(String(sub.customerId));
      expect(row, `subscriber ${sub.customerId}`).toBeDefined();
      const actual = row!.events.map((e) => line(e.occurredAt, e.contractId, e.type, { data: JSON.parse(e.data) })).sort();
      expect(actual, `subscriber ${sub.index}`).toEqual(expectedFromSimulator(sub));
      compared += actual.length;
    }
    expect(compared).toBeGreaterThan(300);
  });

  test("contracts end in the simulator's status, with Recharge's subscription as the contract", async () => {
    const contracts = await prisma.contract.findMany({ where: { shop: SHOP } });
    const byId = new Map(contracts.map((c) => [c.contractId, c]));
    for (const { contract } of store.contracts) {
      expect(byId.get(`recharge:${rechargeSubscriptionId(contract)}`)?.status, String(contract.id)).toBe(contract.status);
    }
  });
});
