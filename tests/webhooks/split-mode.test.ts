// Split mode: a deployment starts the web server with LIFELINE_WORKER=off and runs the
// workers as their own process (`npm run worker`: scripts/worker.ts calls startWorkers).
// The server then runs no worker, and the worker process runs every queue: deliveries,
// the install backfill, enrichment, Klaviyo plays, Shopify Flow triggers and the digest.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startKlaviyoServer, type KlaviyoServer } from "../../simulator/klaviyo-server";
import { adminCalls, mockAdminOperation, resetAdminApi } from "../support/admin-api";
import { fixture } from "../support/webhooks";

const SHOP = "split-mode.myshopify.com";
const KEY = "pk_split_mode_0123456789";
let sim: KlaviyoServer;
let stopWorkers: (() => Promise<void>) | undefined;

beforeAll(async () => {
  sim = await startKlaviyoServer();
  // Read by the workers' Klaviyo calls, as a deployment's settings would be: set before the app's modules load.
  process.env.KLAVIYO_API_BASE_URL = sim.baseUrl;
});
afterAll(async () => {
  await stopWorkers?.();
  await sim.stop();
});

/** Polls until `check` holds; the cap is only there so a broken pipeline fails instead of hanging. */
async function until(what: string, check: () => Promise<boolean>, capMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > capMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it("the server started with LIFELINE_WORKER=off runs no worker; the worker process runs every queue", async () => {
  const { default: prisma } = await import("~/db.server");
  const { startInProcessWorker } = await import("~/queue/boot.server");
  const { enqueue, notifyWorkers, workersListening } = await import("~/queue/jobs.server");
  const { startWorkers } = await import("~/workers.server");
  const { onInstalled } = await import("~/models/shop.server");
  const { saveKlaviyoKey } = await import("~/models/klaviyo-connection.server");
  const { writePlayDelivery } = await import("~/models/plays.server");
  const { FLOW_TRIGGER_HANDLE } = await import("~/playbook/flow-trigger");
  const { installShop } = await import("../support/shop");
  const { post } = await import("../support/app");
  const { contractNode } = await import("../support/factories");
  const queues = ["webhook", "backfill", "enrich", "play", "flow", "digest"] as const;

  // The web server's start.
  expect(process.env.LIFELINE_WORKER).toBe("off");
  expect(await startInProcessWorker()).toBeNull();
  expect(queues.map((q) => workersListening(q))).toEqual([0, 0, 0, 0, 0, 0]);

  // The worker process's start.
  const workers = await startWorkers();
  stopWorkers = () => workers.stop();
  expect(queues.map((q) => workersListening(q))).toEqual([1, 1, 1, 1, 1, 1]);

  // A store with Klaviyo connected, the weekly digest due now (today, from midnight, UTC), and one subscriber.
  resetAdminApi();
  const flowCalls: Array<Record<string, unknown>> = [];
  mockAdminOperation("FlowTriggerReceive", (variables) => {
    flowCalls.push(variables);
    return { flowTriggerReceive: { userErrors: [] } };
  });
  mockAdminOperation("SubscriptionContractsBackfill", () => ({ subscriptionContracts: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } }));
  mockAdminOperation("SubscriptionContractDetails", (vars) => ({
    subscriptionContract: contractNode({ id: String(vars.id).split("/").pop()!, customerId: String(fixture("subscription_contracts-create.json").customer_id) }),
  }));
  const now = new Date();
  await installShop(SHOP);
  await onInstalled(SHOP, now);
  expect((await saveKlaviyoKey(SHOP, KEY, { basePath: sim.baseUrl, now })).ok).toBe(true);
  await prisma.shopSettings.create({
    data: { shop: SHOP, digestEnabled: true, digestEmail: "owner@split-mode.example", digestWeekday: ((now.getUTCDay() + 6) % 7) + 1, digestHour: 0 },
  });
  const subscriber = await prisma.subscriber.create({
    data: { id: "split-sub", shop: SHOP, customerId: "7012345678901", email: "sub@split-mode.example", status: "active" },
  });

  // A delivery arrives at the intake (inbox, then enrichment on the Shopify worker).
  expect((await post({ topic: "subscription_contracts/create", shop: SHOP, body: fixture("subscription_contracts-create.json") })).status).toBe(200);

  // A firing's Klaviyo play, and a band change's Flow trigger, as the scoring stage queues them.
  const firing = await prisma.firing.create({
    data: { shop: SHOP, triggerKey: "skip-streak", subscriberId: subscriber.id, firedAt: now, holdout: false, reasons: "[]", snapshot: "{}", outcomeDueAt: now },
  });
  const play = await writePlayDelivery(prisma, {
    shop: SHOP,
    firingId: firing.id,
    kind: "klaviyo_event",
    metric: "Lifeline: Skip Streak",
    uniqueId: `split-mode:${firing.id}`,
    payload: { metric: "Lifeline: Skip Streak", properties: { skips: 2 }, time: now.toISOString() },
  });
  await enqueue(prisma, { queue: "play", key: play.id, shop: SHOP, runAt: now });
  await enqueue(prisma, {
    queue: "flow",
    key: `${SHOP}:${subscriber.id}:band_change:${now.toISOString()}`,
    shop: SHOP,
    payload: { subscriberId: subscriber.id, handle: FLOW_TRIGGER_HANDLE, payload: { customer_id: 7012345678901, Band: "At risk" } },
    runAt: now,
  });
  notifyWorkers("play");
  notifyWorkers("flow");

  await until("every queue's jobs to finish", async () => {
    const jobs = await prisma.job.findMany({ where: { shop: SHOP }, select: { queue: true, status: true } });
    const done = new Set(jobs.filter((j) => j.status === "done").map((j) => j.queue));
    return queues.every((q) => done.has(q)) && jobs.every((j) => j.status === "done");
  });

  expect((await prisma.playDelivery.findUniqueOrThrow({ where: { id: play.id } })).status).toBe("sent");
  expect(sim.events.filter((e) => e.uniqueId === `split-mode:${firing.id}`)).toHaveLength(1);
  expect(flowCalls).toEqual([{ handle: FLOW_TRIGGER_HANDLE, payload: { customer_id: 7012345678901, Band: "At risk" } }]);
  const digests = sim.events.filter((e) => e.metric === "Lifeline: Weekly At-Risk Digest");
  expect(digests).toHaveLength(1);
  expect(digests[0].profile).toMatchObject({ email: "owner@split-mode.example" });
  expect((await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).backfillStatus).toBe("done");
  expect(adminCalls.some((c) => c.operationName === "SubscriptionContractDetails")).toBe(true);
  expect(await prisma.webhookDelivery.count({ where: { shop: SHOP, processedAt: { not: null } } })).toBe(1);
}, 60_000);
