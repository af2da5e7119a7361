import { beforeEach, expect, test } from "vitest";
import { post, drain, prisma, serveContracts } from "../support/app";
import { installShop } from "../support/shop";
import { fixture, type Delivery } from "../support/webhooks";
import { resetAdminApi } from "../support/admin-api";
import type { ContractSpec } from "../support/factories";

let shop = "";
let n = 0;
const contracts = new Map<string, ContractSpec>();
beforeEach(async () => {
  shop = `order-${++n}.myshopify.com`;
  resetAdminApi();
  contracts.clear();
  contracts.set("501", { id: "501", customerId: "77", lines: [{ title: "Coffee", price: 30 }] });
  contracts.set("502", { id: "502", customerId: "78", lines: [{ title: "Tea", price: 20 }] });
  serveContracts(contracts);
  await installShop(shop);
});

const base = fixture("subscription_contracts-create.json");
function contractEvent(topic: string, id: string, customer: string, revision: number, status: string, at: string): Delivery {
  return {
    topic: `subscription_contracts/${topic}`,
    shop,
    triggeredAt: at,
    body: { ...base, id: Number(id), admin_graphql_api_id: `gid://shopify/SubscriptionContract/${id}`, customer_id: Number(customer), revision_id: String(revision), status },
  };
}
function cycle(topic: "skip" | "unskip", id: string, index: number, at: string): Delivery {
  return { topic: `subscription_billing_cycles/${topic}`, shop, triggeredAt: at, body: { ...fixture("subscription_billing_cycles-skip.json"), subscription_contract_id: Number(id), cycle_index: index, skipped: topic === "skip" } };
}
function attempt(outcome: "success" | "failure", id: string, key: string, at: string, code: string | null = null): Delivery {
  return { topic: `subscription_billing_attempts/${outcome}`, shop, triggeredAt: at, body: { ...fixture("subscription_billing_attempts-failure.json"), subscription_contract_id: Number(id), idempotency_key: key, error_code: code } };
}

function history(): Delivery[] {
  return [
    contractEvent("create", "501", "77", 1, "active", "2026-03-01T10:00:00Z"),
    contractEvent("create", "502", "78", 1, "active", "2026-03-02T10:00:00Z"),
    cycle("skip", "501", 2, "2026-04-01T10:00:00Z"),
    cycle("skip", "501", 3, "2026-05-01T10:00:00Z"),
    cycle("unskip", "501", 3, "2026-05-02T10:00:00Z"),
    attempt("failure", "502", "k1", "2026-04-02T10:00:00Z", "insufficient_funds"),
    attempt("success", "502", "k2", "2026-04-05T10:00:00Z"),
    contractEvent("pause", "501", "77", 2, "paused", "2026-06-01T10:00:00Z"),
    contractEvent("activate", "501", "77", 3, "active", "2026-07-01T10:00:00Z"),
    contractEvent("cancel", "502", "78", 2, "cancelled", "2026-07-15T10:00:00Z"),
  ];
}

async function finalState() {
  const subs = await prisma.subscriber.findMany({ where: { shop }, orderBy: { customerId: "asc" }, select: { customerId: true, status: true, monthlyValue: true } });
  const cons = await prisma.contract.findMany({ where: { shop }, orderBy: { contractId: "asc" }, select: { contractId: true, status: true, statusRevision: true } });
  const events = await prisma.subscriberEvent.findMany({ where: { shop }, select: { type: true, occurredAt: true, contractId: true } });
  const timeline = events.map((e) => `${e.occurredAt.toISOString()} ${e.contractId} ${e.type}`).sort();
  return { subs, cons, timeline };
}

test("a late pause never overwrites a newer cancel, yet lands on the timeline at its true time", async () => {
  await post(contractEvent("create", "501", "77", 1, "active", "2026-03-01T10:00:00Z"));
  await post(contractEvent("cancel", "501", "77", 3, "cancelled", "2026-07-01T10:00:00Z"));
  await drain();
  await post(contractEvent("pause", "501", "77", 2, "paused", "2026-06-01T10:00:00Z"));
  await drain();
  const contract = await prisma.contract.findFirstOrThrow({ where: { shop, contractId: "501" } });
  expect(contract.status).toBe("cancelled");
  const types = (await prisma.subscriberEvent.findMany({ where: { shop }, orderBy: { occurredAt: "asc" } })).map((e) => e.type);
  expect(types).toEqual(["contract.created", "contract.paused", "contract.cancelled"]);
});

test("an activation after a pause is a resume, even when the pause arrives after it", async () => {
  await post(contractEvent("create", "501", "77", 1, "active", "2026-03-01T10:00:00Z"));
  await post(contractEvent("activate", "501", "77", 3, "active", "2026-07-01T10:00:00Z"));
  await drain();
  await post(contractEvent("pause", "501", "77", 2, "paused", "2026-06-01T10:00:00Z"));
  await drain();
  const types = (await prisma.subscriberEvent.findMany({ where: { shop }, orderBy: { occurredAt: "asc" } })).map((e) => e.type);
  expect(types).toEqual(["contract.created", "contract.paused", "contract.resumed"]);
  expect((await prisma.contract.findFirstOrThrow({ where: { shop, contractId: "501" } })).status).toBe("active");
});

test("the same deliveries shuffled end in the same state as in order", async () => {
  for (const d of history()) await post(d);
  await drain();
  const inOrder = await finalState();

  shop = `order-shuffled-${n}.myshopify.com`;
  await installShop(shop);
  const shuffled = history().map((d) => ({ ...d, shop }));
  // A fixed permutation that puts cancels, resumes and skips before what preceded them.
  const order = [9, 3, 8, 6, 0, 4, 7, 2, 5, 1];
  for (const i of order) {
    await post(shuffled[i]);
    await drain(); // one at a time: the worst case for ordering
  }
  const outOfOrder = await finalState();
  expect(outOfOrder).toEqual(inOrder);
  expect(inOrder.cons.map((c) => c.status)).toEqual(["active", "cancelled"]);
  expect(inOrder.timeline.some((t) => t.endsWith("contract.resumed"))).toBe(true);
});

test("a contract update that lowers the price is an edit with the value before and after", async () => {
  await post(contractEvent("create", "501", "77", 1, "active", "2026-03-01T10:00:00Z"));
  await drain();
  contracts.set("501", { id: "501", customerId: "77", lines: [{ title: "Coffee", price: 18 }] });
  await post(contractEvent("update", "501", "77", 2, "active", "2026-04-01T10:00:00Z"));
  await drain();
  const edit = await prisma.subscriberEvent.findFirstOrThrow({ where: { shop, type: "contract.edited" } });
  expect(JSON.parse(edit.data)).toEqual({ fromMonthlyValue: 30, toMonthlyValue: 18 });
  const subscriber = await prisma.subscriber.findFirstOrThrow({ where: { shop, customerId: "77" } });
  expect(subscriber.monthlyValue).toBe(18);
});

test("a weekly plan's monthly value counts its deliveries per month", async () => {
  contracts.set("501", { id: "501", customerId: "77", lines: [{ title: "Greens", price: 12, quantity: 2 }], deliveryInterval: "WEEK" });
  await post(contractEvent("create", "501", "77", 1, "active", "2026-03-01T10:00:00Z"));
  await drain();
  const subscriber = await prisma.subscriber.findFirstOrThrow({ where: { shop, customerId: "77" } });
  expect(subscriber.monthlyValue).toBe(104); // 24 a week x 52 / 12
  expect(subscriber.email).toBe("customer77@example.com");
});

test("a billing event for a contract not seen yet is attributed through the Admin API", async () => {
  await post(attempt("failure", "502", "k9", "2026-04-02T10:00:00Z", "EXPIRED_PAYMENT_METHOD"));
  await drain();
  const event = await prisma.subscriberEvent.findFirstOrThrow({ where: { shop }, include: { subscriber: true } });
  expect(event.subscriber.customerId).toBe("78");
  expect(JSON.parse(event.data)).toMatchObject({ failureClass: "hard_decline" });
});

test("a paused subscriber keeps the monthly value of the plan they paused: the revenue at risk", async () => {
  await post(contractEvent("create", "501", "77", 1, "active", "2026-03-01T10:00:00Z"));
  await post(contractEvent("pause", "501", "77", 2, "paused", "2026-06-01T10:00:00Z"));
  await drain();
  const subscriber = await prisma.subscriber.findFirstOrThrow({ where: { shop, customerId: "77" } });
  expect(subscriber.status).toBe("paused");
  expect(subscriber.monthlyValue).toBe(30);
});
