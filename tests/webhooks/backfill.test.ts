import { beforeEach, expect, test } from "vitest";
import { post, drain, prisma, serveContracts } from "../support/app";
import { installShop } from "../support/shop";
import { fixture } from "../support/webhooks";
import { adminCalls, failNextAdminCalls, mockAdminOperation, resetAdminApi, setAdminApiDown } from "../support/admin-api";
import { adminRequest, callRoute } from "../support/admin";
import { contractNode } from "../support/factories";
import { onInstalled } from "~/models/shop.server";
import { createWorkers } from "~/workers.server";
import { maxAttemptsFor } from "~/queue/backoff";
import { action, loader } from "~/routes/app._index";
import { RETRY_BACKFILL_INTENT, setupSteps } from "~/pages/home/SetupChecklist";

let shop = "";
let n = 0;
// 120 existing contracts: Shopify pages them 50 at a time.
const existing = Array.from({ length: 120 }, (_, i) =>
  contractNode({
    id: String(1000 + i),
    customerId: String(5000 + (i % 100)),
    status: i % 10 === 0 ? "CANCELLED" : "ACTIVE",
    createdAt: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(),
    updatedAt: new Date(Date.UTC(2025, 6, 1 + i)).toISOString(),
  }),
);

beforeEach(async () => {
  shop = `backfill-${++n}.myshopify.com`;
  resetAdminApi();
  await installShop(shop);
  mockAdminOperation("SubscriptionContractsBackfill", (vars) => {
    const start = vars.after ? Number(vars.after) : 0;
    const first = Number(vars.first);
    const nodes = existing.slice(start, start + first);
    const end = start + nodes.length;
    return { subscriptionContracts: { nodes, pageInfo: { hasNextPage: end < existing.length, endCursor: String(end) } } };
  });
});

test("an install imports every existing contract, paged, with its history start", async () => {
  await onInstalled(shop, new Date());
  await drain();
  expect(adminCalls.filter((c) => c.operationName === "SubscriptionContractsBackfill")).toHaveLength(3);
  expect(await prisma.contract.count({ where: { shop } })).toBe(120);
  expect(await prisma.subscriber.count({ where: { shop } })).toBe(100);
  expect(await prisma.subscriberEvent.count({ where: { shop, type: "contract.created" } })).toBe(120);
  expect(await prisma.subscriberEvent.count({ where: { shop, type: "contract.cancelled" } })).toBe(12);
  const row = await prisma.shop.findUniqueOrThrow({ where: { shop } });
  expect([row.backfillStatus, row.backfillCount]).toEqual(["done", 120]);
  const first = await prisma.subscriber.findFirstOrThrow({ where: { shop, customerId: "5000" } });
  expect(first.firstSubscribedAt?.toISOString()).toBe("2025-01-01T00:00:00.000Z");
});

test("a backfill interrupted by an Admin API failure resumes from the last saved page", async () => {
  await onInstalled(shop, new Date());
  let clock = new Date();
  const worker = createWorkers({ now: () => clock }).shopify;
  // The second page fails (both of the client's tries); the first page is already saved.
  let calls = 0;
  const real = existing;
  mockAdminOperation("SubscriptionContractsBackfill", (vars) => {
    calls += 1;
    if (calls === 2 || calls === 3) throw new Error("unreachable");
    const start = vars.after ? Number(vars.after) : 0;
    const nodes = real.slice(start, start + 50);
    return { subscriptionContracts: { nodes, pageInfo: { hasNextPage: start + 50 < real.length, endCursor: String(start + nodes.length) } } };
  });
  failNextAdminCalls(0);
  await worker.drain().catch(() => {});
  clock = new Date(clock.getTime() + 3_600_000);
  await worker.drain();
  expect(await prisma.contract.count({ where: { shop } })).toBe(120);
  const afters = adminCalls.filter((c) => c.operationName === "SubscriptionContractsBackfill").map((c) => c.variables.after ?? null);
  expect(afters[0]).toBeNull();
  expect(afters.at(-1)).toBe("100");
  expect(afters.filter((a) => a === null)).toHaveLength(1);
});

test("a contract seen by webhook and by backfill is created once", async () => {
  serveContracts(new Map([["1000", { id: "1000", customerId: "5000", createdAt: "2025-01-01T00:00:00Z" }]]));
  await post({ topic: "subscription_contracts/create", shop, body: { ...fixture("subscription_contracts-create.json"), id: 1000, customer_id: 5000 } });
  await drain();
  await onInstalled(shop, new Date());
  await drain();
  expect(await prisma.subscriberEvent.count({ where: { shop, contractId: "1000", type: "contract.created" } })).toBe(1);
});

test("a backfill whose job fails for good shows on the checklist as failed, with its reason", async () => {
  await onInstalled(shop, new Date());
  setAdminApiDown(true);
  let clock = new Date();
  const worker = createWorkers({ now: () => clock }).shopify;
  // Every attempt the queue allows, each after its retry delay.
  for (let attempt = 1; attempt <= maxAttemptsFor("backfill"); attempt++) {
    await worker.drain();
    clock = new Date(clock.getTime() + 2 * 3_600_000);
  }
  expect((await prisma.job.findFirstOrThrow({ where: { shop, queue: "backfill" } })).status).toBe("dead");
  const { body } = await callRoute(loader, adminRequest(shop, "/app"));
  expect(body.checklist.backfill).toEqual({ status: "failed", count: 0, reason: "Error: Attempted the maximum number of retries for HTTP request." });
  const step = setupSteps({ ...body.checklist, scoring: null }).find((s) => s.id === "backfill")!;
  expect([step.failed, step.action]).toEqual([true, { label: "Retry import", intent: RETRY_BACKFILL_INTENT }]);
  expect(step.detail).toContain("Attempted the maximum number of retries");
}, 60_000);

test("a failed backfill's Retry queues it again, and the import then completes", async () => {
  await onInstalled(shop, new Date());
  setAdminApiDown(true, 401); // a refusal is final at once
  await drain();
  const failed = await prisma.shop.findUniqueOrThrow({ where: { shop } });
  expect([failed.backfillStatus, failed.backfillError]).toEqual(["failed", `PermanentError: Admin API refused (401) for ${shop}`]);

  setAdminApiDown(false);
  const { status, body } = await callRoute(action, adminRequest(shop, "/app", { form: { intent: RETRY_BACKFILL_INTENT } }));
  expect([status, body.ok]).toEqual([200, true]);
  expect((await prisma.shop.findUniqueOrThrow({ where: { shop } })).backfillStatus).toBe("pending");
  await drain();
  const row = await prisma.shop.findUniqueOrThrow({ where: { shop } });
  expect([row.backfillStatus, row.backfillError, row.backfillCount]).toEqual(["done", null, 120]);
});

test("Retry does nothing when no backfill has failed", async () => {
  await onInstalled(shop, new Date());
  const { status } = await callRoute(action, adminRequest(shop, "/app", { form: { intent: RETRY_BACKFILL_INTENT } }));
  expect(status).toBe(409);
  expect((await prisma.shop.findUniqueOrThrow({ where: { shop } })).backfillStatus).toBe("pending");
});
