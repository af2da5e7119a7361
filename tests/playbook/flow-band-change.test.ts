// A band change fires the "Subscriber health band changed" Shopify Flow trigger through
// the outbox: queued with the score (once per change), delivered by the plays worker as
// Flow expects it, retried when Shopify fails, final when Flow refuses it.
import { beforeEach, describe, expect, it } from "vitest";
import { rescoreBatch } from "~/rescore/index.server";
import { ensurePlaybook } from "~/models/triggers.server";
import { FLOW_TRIGGER_HANDLE } from "~/playbook/flow-trigger";
import { createWorkers } from "~/workers.server";
import { adminCalls, failNextAdminCalls, mockAdminOperation, resetAdminApi } from "../support/admin-api";
import { installShop } from "../support/shop";
import { T0, addEvents, at, createSubscriber, event, fakeClock, prisma, settledHistory, type FakeClock } from "../plays/support";

const CHANGED_AT = at(1);
let shop = "";
let n = 0;
let clock: FakeClock;
let flowCalls: Array<Record<string, unknown>>;

beforeEach(async () => {
  shop = `flow-${++n}.myshopify.com`;
  clock = fakeClock(CHANGED_AT);
  resetAdminApi();
  flowCalls = [];
  mockAdminOperation("FlowTriggerReceive", (variables) => {
    flowCalls.push(variables);
    return { flowTriggerReceive: { userErrors: [] } };
  });
});

/** A settled subscriber scored healthy at T0, then two skips and a declined card before CHANGED_AT. */
async function subscriberWhoseBandDrops(id: string, customerId = "7012345678901"): Promise<string> {
  await createSubscriber(shop, `${shop}-${id}`, { customerId });
  const subscriberId = `${shop}-${id}`;
  await addEvents(shop, subscriberId, settledHistory());
  await rescoreBatch(shop, [subscriberId], T0);
  await addEvents(shop, subscriberId, [
    event("cycle.skipped", at(-1, CHANGED_AT)),
    event("cycle.skipped", at(-0.8, CHANGED_AT)),
    event("billing.failed", at(-0.5, CHANGED_AT), { errorCode: "EXPIRED_PAYMENT_METHOD" }),
  ]);
  return subscriberId;
}

/** The rescore stage with the playbook switched off: band changes alone. */
async function scoreInBulk(ids: string[], now = CHANGED_AT): Promise<void> {
  await ensurePlaybook(prisma, shop);
  await prisma.trigger.updateMany({ where: { shop }, data: { enabled: false } });
  await rescoreBatch(shop, ids, now);
}

/** The latest band change: the one a Flow trigger is owed for (earlier ones in the same walk were passed by it). */
const lastChange = (subscriberId: string) => prisma.healthHistory.findFirstOrThrow({ where: { subscriberId, kind: "band_change" }, orderBy: { at: "desc" } });

/** The server's plays worker, which sends Flow triggers, on the test's clock. */
function flowWorker() {
  return createWorkers({ now: clock.now }).plays;
}

const flowJobs = () => prisma.job.findMany({ where: { shop, queue: "flow" }, orderBy: { id: "asc" } });

describe("a band change", () => {
  it("queues exactly one Flow trigger for the band it ends in, delivered with the payload Flow expects", async () => {
    await installShop(shop);
    const id = await subscriberWhoseBandDrops("a");
    await scoreInBulk([id]);

    const change = await lastChange(id);
    // Dated by the event that caused it, not by the rescore.
    expect([at(-1, CHANGED_AT), at(-0.8, CHANGED_AT), at(-0.5, CHANGED_AT)]).toContainEqual(change.at);
    const jobs = await flowJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: "pending", key: `${shop}:${id}:band_change:${change.periodKey}` });

    await flowWorker().drain();
    expect(flowCalls).toHaveLength(1);
    const words: Record<string, string> = { healthy: "Healthy", watch: "Watch", at_risk: "At risk", critical: "Critical" };
    expect(flowCalls[0]).toEqual({
      handle: FLOW_TRIGGER_HANDLE,
      payload: {
        customer_id: 7012345678901,
        "Health score": change.score,
        Band: words[change.band],
        "Previous band": words[change.fromBand!],
        "Top reason": expect.stringMatching(/\S/),
        "Monthly value": 40,
      },
    });
    expect(adminCalls.filter((c) => c.operationName === "FlowTriggerReceive").map((c) => c.shop)).toEqual([shop]);
    expect((await flowJobs())[0].status).toBe("done");
  });

  it("queues it in the same transaction as the firings when triggers fire too", async () => {
    await installShop(shop);
    const id = await subscriberWhoseBandDrops("b");
    await rescoreBatch(shop, [id], CHANGED_AT);

    expect(await prisma.firing.count({ where: { shop, subscriberId: id } })).toBeGreaterThan(0);
    expect(await prisma.healthHistory.count({ where: { subscriberId: id, kind: "band_change" } })).toBeGreaterThanOrEqual(1);
    expect(await flowJobs()).toHaveLength(1);
    await flowWorker().drain();
    expect(flowCalls).toHaveLength(1);
    expect(flowCalls[0].payload).toMatchObject({ customer_id: 7012345678901 });
  });

  it("scored twice from the same previous score (two workers on one subscriber) is sent once", async () => {
    await installShop(shop);
    const id = await subscriberWhoseBandDrops("c");
    const before = await prisma.healthScore.findUniqueOrThrow({ where: { subscriberId: id } });
    await scoreInBulk([id]);
    await flowWorker().drain();
    // The second worker read the score before the first wrote: it sees the same change.
    await prisma.healthScore.update({ where: { subscriberId: id }, data: { band: before.band, bandSince: before.bandSince, stepAt: before.stepAt, stepBand: before.stepBand } });
    await scoreInBulk([id]);
    await rescoreBatch(shop, [id], at(2)); // and a later rescore with no new change
    await flowWorker().drain();

    expect(await flowJobs()).toHaveLength(1);
    expect(flowCalls).toHaveLength(1);
  });

  it("queues nothing for a shop without an offline session, or a subscriber without a Shopify customer id", async () => {
    const id = await subscriberWhoseBandDrops("d");
    await scoreInBulk([id]);
    expect(await prisma.healthHistory.count({ where: { subscriberId: id, kind: "band_change" } })).toBeGreaterThanOrEqual(1);
    expect(await flowJobs()).toHaveLength(0);

    await installShop(shop);
    const other = await subscriberWhoseBandDrops("e", "not-a-shopify-id");
    await scoreInBulk([other]);
    expect(await prisma.healthHistory.count({ where: { subscriberId: other, kind: "band_change" } })).toBeGreaterThanOrEqual(1);
    expect(await flowJobs()).toHaveLength(0);
  });
});

describe("delivering the Flow trigger", () => {
  it("retries when Shopify fails, and sends it once it answers", async () => {
    await installShop(shop);
    await scoreInBulk([await subscriberWhoseBandDrops("f")]);
    const worker = flowWorker();

    failNextAdminCalls(10); // every try of the first attempt answers 503
    await worker.drain();
    const [waiting] = await flowJobs();
    expect(waiting).toMatchObject({ status: "pending", attempts: 1 });
    expect(waiting.runAt.getTime()).toBeGreaterThan(clock.ms());
    expect(flowCalls).toHaveLength(0);

    failNextAdminCalls(0);
    clock.set(waiting.runAt);
    await worker.drain();
    expect((await flowJobs())[0]).toMatchObject({ status: "done", attempts: 2 });
    expect(flowCalls).toHaveLength(1);
  });

  it("gives up at once when Flow refuses the trigger (not deployed, unknown handle), with Flow's reason", async () => {
    await installShop(shop);
    await scoreInBulk([await subscriberWhoseBandDrops("g")]);
    mockAdminOperation("FlowTriggerReceive", () => ({
      flowTriggerReceive: { userErrors: [{ field: ["handle"], message: "Invalid handle 'health-band-changed'" }] },
    }));

    await flowWorker().drain();
    const [job] = await flowJobs();
    expect(job.status).toBe("dead");
    expect(job.attempts).toBe(1);
    expect(job.lastError).toMatch(/Shopify Flow refused trigger health-band-changed: Invalid handle/);
  });

  it("sends nothing for a subscriber erased since the change", async () => {
    await installShop(shop);
    const id = await subscriberWhoseBandDrops("h");
    await scoreInBulk([id]);
    await prisma.subscriber.update({ where: { id }, data: { redactedAt: CHANGED_AT } });

    await flowWorker().drain();
    expect((await flowJobs())[0].status).toBe("done");
    expect(adminCalls.filter((c) => c.operationName === "FlowTriggerReceive")).toHaveLength(0);
  });
});
