// Flow runs arrive in any order (Flow resends failures for up to a day; two workflows run
// independently): the timeline and the contract end as on the Shopify path
// (tests/webhooks/ordering.test.ts), whatever the order.
import { beforeEach, expect, test } from "vitest";
import { drain, prisma } from "../../support/app";
import { installShop } from "../../support/shop";
import { mockAdminOperation, resetAdminApi } from "../../support/admin-api";
import type { FlowActionBody } from "../../../simulator/flow";
import { run, send } from "./support";

let shop = "";
let n = 0;
beforeEach(async () => {
  shop = `flow-order-${++n}.myshopify.com`;
  resetAdminApi();
  mockAdminOperation("CustomerIdentity", () => ({ customer: null }));
  await installShop(shop);
});

const PRICES: Record<string, string> = { "501": "30.00", "502": "20.00" };
const CUSTOMERS: Record<string, string> = { "501": "77", "502": "78" };

/** A run about contract `id`; the contract runs carry its price, as the templates map it. */
function about(id: string, event: string, at: string, extra: Record<string, string> = {}): FlowActionBody {
  const priced: Record<string, string> = ["created", "activated", "resumed", "paused"].includes(event) ? { amount: PRICES[id], currency: "USD", billing_interval: "MONTH" } : {};
  return run(shop, { customer_id: CUSTOMERS[id], contract_id: `gid://shopify/SubscriptionContract/${id}`, event, occurred_at: at, ...priced, ...extra });
}

function history(): FlowActionBody[] {
  return [
    about("501", "created", "2026-03-01T10:00:00Z"),
    about("502", "created", "2026-03-02T10:00:00Z"),
    about("501", "skipped", "2026-04-01T10:00:00Z", { cycle_index: "2" }),
    about("501", "skipped", "2026-05-01T10:00:00Z", { cycle_index: "3" }),
    about("501", "unskipped", "2026-05-02T10:00:00Z", { cycle_index: "3" }),
    about("502", "billing_failed", "2026-04-02T10:00:00Z", { error_code: "insufficient_funds" }),
    about("502", "billing_succeeded", "2026-04-05T10:00:00Z"),
    about("501", "paused", "2026-06-01T10:00:00Z"),
    about("501", "activated", "2026-07-01T10:00:00Z"),
    about("502", "cancelled", "2026-07-15T10:00:00Z"),
  ];
}

async function finalState() {
  const subs = await prisma.subscriber.findMany({ where: { shop }, orderBy: { customerId: "asc" }, select: { customerId: true, status: true, monthlyValue: true } });
  const cons = await prisma.contract.findMany({ where: { shop }, orderBy: { contractId: "asc" }, select: { contractId: true, status: true } });
  const events = await prisma.subscriberEvent.findMany({ where: { shop }, select: { type: true, occurredAt: true, contractId: true, data: true } });
  const timeline = events.map((e) => `${e.occurredAt.toISOString()} ${e.contractId} ${e.type} ${e.data}`).sort();
  return { subs, cons, timeline };
}

const types = async () => (await prisma.subscriberEvent.findMany({ where: { shop }, orderBy: { occurredAt: "asc" } })).map((e) => e.type);

test("a late pause never overwrites a newer cancel, yet lands on the timeline at its true time", async () => {
  await send(about("501", "created", "2026-03-01T10:00:00Z"));
  await send(about("501", "cancelled", "2026-07-01T10:00:00Z"));
  await drain();
  expect((await send(about("501", "paused", "2026-06-01T10:00:00Z"))).status).toBe(200);
  await drain();
  expect((await prisma.contract.findFirstOrThrow({ where: { shop, contractId: "501" } })).status).toBe("cancelled");
  expect((await prisma.subscriber.findFirstOrThrow({ where: { shop, customerId: "77" } })).status).toBe("cancelled");
  expect(await types()).toEqual(["contract.created", "contract.paused", "contract.cancelled"]);
});

test("a cancel that arrives a day late still ends the contract, after the billing that came before it", async () => {
  await send(about("501", "created", "2026-03-01T10:00:00Z"));
  await send(about("501", "billing_succeeded", "2026-04-01T10:00:00Z"));
  await drain();
  await send(about("501", "cancelled", "2026-03-20T10:00:00Z"));
  await drain();
  expect(await types()).toEqual(["contract.created", "contract.cancelled", "billing.succeeded"]);
  // Status follows the timeline's status events by their time (the rescore), as on the Shopify path.
  expect((await prisma.contract.findFirstOrThrow({ where: { shop, contractId: "501" } })).status).toBe("cancelled");
  expect((await prisma.subscriber.findFirstOrThrow({ where: { shop, customerId: "77" } })).status).toBe("cancelled");
});

test("an activation after a pause is a resume, even when the pause arrives after it", async () => {
  await send(about("501", "created", "2026-03-01T10:00:00Z"));
  await send(about("501", "activated", "2026-07-01T10:00:00Z"));
  await drain();
  await send(about("501", "paused", "2026-06-01T10:00:00Z"));
  await drain();
  expect(await types()).toEqual(["contract.created", "contract.paused", "contract.resumed"]);
  expect((await prisma.contract.findFirstOrThrow({ where: { shop, contractId: "501" } })).status).toBe("active");
});

test("the same runs shuffled end in the same state as in order", async () => {
  for (const r of history()) await send(r);
  await drain();
  const inOrder = await finalState();

  shop = `flow-order-shuffled-${n}.myshopify.com`;
  await installShop(shop);
  const shuffled = history();
  // A fixed permutation that puts cancels, resumes and skips before what preceded them.
  for (const i of [9, 3, 8, 6, 0, 4, 7, 2, 5, 1]) {
    expect((await send(shuffled[i])).status).toBe(200);
    await drain(); // one at a time: the worst case for ordering
  }
  const outOfOrder = await finalState();
  expect(outOfOrder).toEqual(inOrder);
  expect(inOrder.cons.map((c) => [c.contractId, c.status])).toEqual([["501", "active"], ["502", "cancelled"]]);
  expect(inOrder.timeline.filter((t) => t.includes("contract.resumed"))).toHaveLength(1);
  expect(inOrder.subs.map((s) => [s.customerId, s.status, s.monthlyValue])).toEqual([["77", "active", 30], ["78", "cancelled", 0]]);
});

test("a late creation cannot move the contract back, but its price fills a value no later run had given", async () => {
  // The skip names no price; the creation, arriving after it, is the first to say what the plan is worth.
  await send(about("501", "skipped", "2026-04-01T10:00:00Z", { cycle_index: "2" }));
  await drain();
  expect((await prisma.contract.findFirstOrThrow({ where: { shop, contractId: "501" } })).monthlyValue).toBeNull();
  await send(about("501", "created", "2026-03-01T10:00:00Z"));
  await drain();
  const contract = await prisma.contract.findFirstOrThrow({ where: { shop, contractId: "501" } });
  expect(contract.monthlyValue).toBe(30);
  expect(contract.statusAt?.toISOString()).toBe("2026-04-01T10:00:00.000Z");
  expect((await prisma.subscriber.findFirstOrThrow({ where: { shop } })).monthlyValue).toBe(30);
});
