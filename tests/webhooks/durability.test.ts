import { beforeEach, expect, test } from "vitest";
import { post, drain, prisma, workers } from "../support/app";
import { installShop } from "../support/shop";
import { fixture, signedRequest } from "../support/webhooks";
import { failNextAdminCalls, mockAdminOperation, resetAdminApi } from "../support/admin-api";
import { contractNode } from "../support/factories";
import { createPrismaJobQueue, replayDeadJob } from "~/queue/jobs.server";
import { processDeliveryJob } from "~/intake/process.server";
import { createWorkers } from "~/workers.server";

let shop = "";
let n = 0;
beforeEach(async () => {
  shop = `durable-${++n}.myshopify.com`;
  resetAdminApi();
  await installShop(shop);
  mockAdminOperation("SubscriptionContractDetails", (vars) => ({
    subscriptionContract: contractNode({ id: String(vars.id).split("/").pop()!, customerId: "1" }),
  }));
});

const skip = (cycle: number) => ({ ...fixture("subscription_billing_cycles-skip.json"), cycle_index: cycle });

test("a delivery repeated three times has one effect", async () => {
  const delivery = { topic: "subscription_billing_cycles/skip", shop, body: skip(1), webhookId: "w-1", eventId: "e-1" };
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await post(delivery)).status);
  await drain();
  expect(statuses).toEqual([200, 200, 200]);
  expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(1);
  expect(await prisma.subscriberEvent.count({ where: { shop, type: "cycle.skipped" } })).toBe(1);
});

test("a batch's deliveries are marked processed together once their jobs are done", async () => {
  for (let i = 1; i <= 3; i++) await post({ topic: "subscription_billing_cycles/skip", shop, body: skip(i), webhookId: `w-${i}`, eventId: `e-${i}` });
  expect(await prisma.webhookDelivery.count({ where: { shop, processedAt: null } })).toBe(3);
  await drain();
  expect(await prisma.webhookDelivery.count({ where: { shop, processedAt: null } })).toBe(0);
  expect(await prisma.job.count({ where: { shop, queue: "webhook", status: "done" } })).toBe(3);
});

test("without an event id, the webhook id is the delivery's key", async () => {
  const request = signedRequest({ topic: "subscription_billing_cycles/skip", shop, body: skip(1), webhookId: "only-webhook-id" });
  request.headers.delete("x-shopify-event-id");
  await post(request);
  const row = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop } });
  expect(row.deliveryKey).toBe("only-webhook-id");
});

test("a bad HMAC is refused with 401 and nothing is stored", async () => {
  const res = await post({ topic: "subscription_billing_cycles/skip", shop, body: skip(1), hmac: "bm90IHRoZSByaWdodCBobWFj" });
  expect(res.status).toBe(401);
  expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
  expect(await prisma.job.count({ where: { shop } })).toBe(0);
});

test("a body signed with another app's secret is refused", async () => {
  const res = await post({ topic: "subscription_billing_cycles/skip", shop, body: skip(1), secret: "someone-else" });
  expect(res.status).toBe(401);
  expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
});

test("a delivery missing a required header gets 400 and nothing is stored", async () => {
  const request = signedRequest({ topic: "subscription_billing_cycles/skip", shop, body: skip(1) });
  request.headers.delete("x-shopify-webhook-id");
  expect((await post(request)).status).toBe(400);
  expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
});

test("malformed JSON is acknowledged, kept for inspection, and dead-lettered without stopping the worker", async () => {
  const bad = await post({ topic: "subscription_billing_cycles/skip", shop, body: '{"subscription_contract_id": 4467555566, "cycle_in' });
  const good = await post({ topic: "subscription_billing_cycles/skip", shop, body: skip(2) });
  expect([bad.status, good.status]).toEqual([200, 200]);
  await drain();
  const kept = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop, processedAt: null } });
  expect(kept.body).toContain('"cycle_in');
  expect(kept.error).toMatch(/not valid JSON/);
  const dead = await prisma.job.findFirstOrThrow({ where: { shop, status: "dead" } });
  expect(dead.attempts).toBe(1);
  expect(await prisma.subscriberEvent.count({ where: { shop, type: "cycle.skipped" } })).toBe(1);
});

test("a payload missing what Lifeline needs is dead-lettered with the field named", async () => {
  await post({ topic: "subscription_billing_cycles/skip", shop, body: { cycle_index: 3 } });
  await drain();
  const dead = await prisma.job.findFirstOrThrow({ where: { shop, status: "dead" } });
  expect(dead.lastError).toMatch(/subscription_contract_id/);
});

test("a dead delivery can be replayed once the cause is fixed", async () => {
  mockAdminOperation("SubscriptionContractDetails", () => ({ subscriptionContract: null }));
  await post({ topic: "subscription_billing_cycles/skip", shop, body: skip(1) });
  await drain();
  const dead = await prisma.job.findFirstOrThrow({ where: { shop, status: "dead" } });
  expect(dead.lastError).toMatch(/not known to Shopify/);
  mockAdminOperation("SubscriptionContractDetails", (vars) => ({
    subscriptionContract: contractNode({ id: String(vars.id).split("/").pop()!, customerId: "1" }),
  }));
  expect(await replayDeadJob(shop, dead.id, new Date())).toBe(true);
  await drain();
  expect(await prisma.subscriberEvent.count({ where: { shop, type: "cycle.skipped" } })).toBe(1);
});

test("an Admin API outage delays processing with backoff, then it succeeds", async () => {
  failNextAdminCalls(2); // the client's own retry uses the second
  await post({ topic: "subscription_billing_cycles/skip", shop, body: skip(1) });
  let clock = new Date();
  const workers = createWorkers({ now: () => clock });
  await workers.drainIntake();
  // The job that asked the Admin API waits out its retry delay; nothing took effect yet.
  const waiting = await prisma.job.findFirstOrThrow({ where: { shop, status: "pending" } });
  expect(waiting.runAt.getTime()).toBeGreaterThan(clock.getTime());
  expect(await prisma.subscriberEvent.count({ where: { shop } })).toBe(0);
  clock = new Date(clock.getTime() + 60_000);
  await workers.drainIntake();
  expect(await prisma.subscriberEvent.count({ where: { shop, type: "cycle.skipped" } })).toBe(1);
});

test("a worker stopped mid-batch loses nothing: after restart everything is processed once", async () => {
  for (let i = 1; i <= 6; i++) await post({ topic: "subscription_billing_cycles/skip", shop, body: skip(i) });
  const queue = createPrismaJobQueue();
  // The first worker claims all six, finishes one, applies the second's effects, then dies.
  const t0 = new Date();
  const claimed = await queue.claim("dying-worker", 10, t0, ["webhook"]);
  expect(claimed).toHaveLength(6);
  await processDeliveryJob(claimed[0]);
  await queue.complete(claimed[0].id, t0);
  await processDeliveryJob(claimed[1]);

  // A new process starts; once the dead worker's lease has run out its jobs are picked up.
  const later = new Date(t0.getTime() + 10 * 60_000);
  const restarted = createWorkers({ now: () => later });
  await restarted.drainIntake();
  expect(await prisma.job.count({ where: { shop, queue: "webhook", status: "done" } })).toBe(6);
  const skips = await prisma.subscriberEvent.findMany({ where: { shop, type: "cycle.skipped" } });
  expect(skips.map((e) => JSON.parse(e.data).cycleIndex).sort()).toEqual([1, 2, 3, 4, 5, 6]);
});

test("started workers process deliveries as they arrive, and stop cleanly", async () => {
  workers.start();
  try {
    await post({ topic: "subscription_billing_cycles/skip", shop, body: skip(1) });
    await expect.poll(() => prisma.subscriberEvent.count({ where: { shop } }), { timeout: 15_000 }).toBe(1);
  } finally {
    await workers.stop();
  }
});
