import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startKlaviyoServer, type KlaviyoServer } from "../../simulator/klaviyo-server";
import { saveKlaviyoKey } from "~/models/klaviyo-connection.server";
import { listFailedPlays } from "~/models/plays.server";
import { WAITING_FOR_KLAVIYO } from "~/plays/deliver.server";
import { retryPlay } from "~/plays/outbox.server";
import {
  T0,
  at,
  createSubscriber,
  deliverAll,
  fakeClock,
  fireSkipStreak,
  playsWorker,
  prisma,
  subscriberIdFor,
  type FakeClock,
} from "./support";

const KEY = "pk_delivery_test_key_0123456789";
let sim: KlaviyoServer;
let clock: FakeClock = fakeClock(T0);
let shop = "";
let n = 0;

beforeAll(async () => {
  // The local Klaviyo reads the same fake clock as the worker: outages and Retry-After line up.
  sim = await startKlaviyoServer({ clock: () => clock.ms() });
});
afterAll(() => sim.stop());
beforeEach(async () => {
  clock = fakeClock(T0);
  sim.reset();
  shop = `deliver-${++n}.myshopify.com`;
});

async function connect() {
  const saved = await saveKlaviyoKey(shop, KEY, { basePath: sim.baseUrl, now: clock.now() });
  expect(saved.ok).toBe(true);
  sim.reset(); // forget the key check, keep only plays
}

/** `count` subscribers (not in the skip-streak holdout) whose skip streak fires at T0. */
async function firePlays(count: number, holdout = false): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = await createSubscriber(shop, subscriberIdFor(shop, "skip-streak", holdout, `${shop.split(".")[0]}-${i}`));
    await fireSkipStreak(shop, id, T0);
    ids.push(id);
  }
  return ids;
}

describe("the plays worker", () => {
  it("delivers each play exactly once through 429s with Retry-After, 500s and an outage", async () => {
    await connect();
    await firePlays(6);
    const worker = playsWorker(clock, sim.baseUrl);

    sim.failNext(3, 429); // Retry-After: 1
    await worker.drain();
    const throttled = await prisma.job.findMany({ where: { shop, queue: "play", status: "pending" } });
    expect(throttled).toHaveLength(3);
    // Retried at exactly the time Klaviyo named, and the throttle did not use up an attempt.
    for (const job of throttled) expect(job).toMatchObject({ runAt: new Date(T0.getTime() + 1000), attempts: 0 });

    sim.outage(15_000, "reset"); // connections dropped for 15 s
    sim.failNext(1, 500); // and the first request after the outage fails
    const rounds = await deliverAll(worker, clock, shop);
    expect(rounds).toBeGreaterThan(2);

    const plays = await prisma.playDelivery.findMany({ where: { shop } });
    expect(plays).toHaveLength(6);
    expect(plays.every((p) => p.status === "sent" && p.sentAt !== null)).toBe(true);
    expect(sim.events.map((e) => e.uniqueId).sort()).toEqual(plays.map((p) => p.uniqueId).sort());
    expect(sim.duplicates).toHaveLength(0);
    expect(sim.requests.some((r) => r.status === 429)).toBe(true);
    expect(sim.requests.some((r) => r.status === 500)).toBe(true);
    expect(sim.requests.some((r) => r.status === 0)).toBe(true); // the outage's dropped connections
    // Every firing now has its first action time: the play's delivery.
    const firings = await prisma.firing.findMany({ where: { shop } });
    expect(firings.every((f) => f.actionAt !== null)).toBe(true);
  });

  it("sends the firing's metric, properties, unique_id and time to the subscriber's email", async () => {
    await connect();
    const [id] = await firePlays(1);
    await deliverAll(playsWorker(clock, sim.baseUrl), clock, shop);
    expect(sim.events).toHaveLength(1);
    expect(sim.events[0]).toMatchObject({
      metric: "Lifeline: Skip Streak",
      profile: { email: `${id}@example.com` },
      uniqueId: `lifeline:skip-streak:${id}:${at(-2).getTime()}`,
      time: at(-2).toISOString(),
    });
    expect(sim.events[0].properties).toMatchObject({ skip_count: 2, trigger: "skip-streak", reasons: ["Skipped 2 deliveries in a row"] });
  });

  it("never sends a play to a holdout subscriber", async () => {
    await connect();
    const treated = await firePlays(2);
    const held = await firePlays(2, true);
    await deliverAll(playsWorker(clock, sim.baseUrl), clock, shop);
    const emails = sim.events.map((e) => e.profile.email);
    expect(emails.sort()).toEqual(treated.map((id) => `${id}@example.com`).sort());
    const heldFirings = await prisma.firing.findMany({ where: { shop, subscriberId: { in: held } } });
    expect(heldFirings).toHaveLength(2);
    expect(heldFirings.every((f) => f.holdout)).toBe(true);
  });

  it("a play waits for Klaviyo to be connected, without using attempts, and goes out when it is", async () => {
    await firePlays(1);
    const worker = playsWorker(clock, sim.baseUrl);
    await worker.drain();
    const job = await prisma.job.findFirstOrThrow({ where: { shop, queue: "play" } });
    expect(job).toMatchObject({ status: "pending", attempts: 0, runAt: new Date(T0.getTime() + 15 * 60_000) });
    expect((await prisma.playDelivery.findFirstOrThrow({ where: { shop } })).lastError).toBe(WAITING_FOR_KLAVIYO);

    await connect(); // wakes the waiting play
    expect(await worker.drain()).toBe(1);
    expect(sim.events).toHaveLength(1);
    expect((await prisma.playDelivery.findFirstOrThrow({ where: { shop } })).status).toBe("sent");
  });

  it("a play Klaviyo refuses is marked failed with the reason, and retryPlay sends it again", async () => {
    await connect();
    await firePlays(1);
    const worker = playsWorker(clock, sim.baseUrl);
    sim.failNext(1, 400);
    await worker.drain();
    const failed = await listFailedPlays(shop);
    expect(failed).toHaveLength(1);
    expect(failed[0].lastError).toMatch(/Klaviyo refused the request \(400\)/);
    expect((await prisma.job.findFirstOrThrow({ where: { shop, queue: "play" } })).status).toBe("dead");

    expect(await retryPlay("another-shop.myshopify.com", failed[0].id)).toEqual({ ok: false, error: "Play not found." });
    expect(await retryPlay(shop, failed[0].id, clock.now())).toEqual({ ok: true });
    await worker.drain();
    expect(sim.events).toHaveLength(1);
    expect(await listFailedPlays(shop)).toHaveLength(0);
  });

  it("after the play queue's last attempt a failing play is dead and visible as failed", async () => {
    await connect();
    await firePlays(1);
    sim.setFailureRate(1, 503);
    await deliverAll(playsWorker(clock, sim.baseUrl), clock, shop);
    const job = await prisma.job.findFirstOrThrow({ where: { shop, queue: "play" } });
    expect(job).toMatchObject({ status: "dead", attempts: 20 });
    const play = await prisma.playDelivery.findFirstOrThrow({ where: { shop } });
    expect(play).toMatchObject({ status: "failed", attempts: 20 });
    expect(play.lastError).toMatch(/503/);
  });
});
