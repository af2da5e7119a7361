// The weekly at-risk digest on a simulated store: queued once per week when due, carrying
// the top of the week's list, delivered once to the owner's profile through retries.
import Database from "better-sqlite3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startKlaviyoServer, type KlaviyoServer } from "../../simulator/klaviyo-server";
import { startRescore, scoreDirtySubscribers } from "~/rescore/index.server";
import { weeklyAtRisk } from "~/pages/at-risk/week-list.server";
import { saveKlaviyoKey } from "~/models/klaviyo-connection.server";
import { digestPass, queueDueDigests } from "~/plays/digest.server";
import type { DigestJobPayload } from "~/plays/digest.server";
import { installShop } from "../support/shop";
import { seededShop } from "../support/seeded-shop";
import { addTrouble } from "../browser/support/trouble";
import { fakeClock, playsWorker, prisma } from "./support";

const SHOP = "digest-store.myshopify.com";
const QUIET = "digest-off.myshopify.com";
// A Monday; the digest is due from 08:00 UTC (the seeded shops' time zone).
const MONDAY_9AM = new Date("2026-11-30T09:00:00Z");
const KEY = "pk_digest_test_key_0123456789";
const HOUR = 3_600_000;
let sim: KlaviyoServer;

const digestJobs = (shop: string) => prisma.job.findMany({ where: { shop, queue: "digest" }, orderBy: { id: "asc" } });

beforeAll(async () => {
  sim = await startKlaviyoServer();
  const now = new Date(MONDAY_9AM.getTime() - 2 * HOUR);
  await seededShop(SHOP, { subscribers: 200, now });
  const db = new Database(process.env.DATABASE_URL!.replace(/^file:/, ""));
  addTrouble(db, SHOP, 14, now);
  db.close();
  await startRescore(SHOP, "trouble", now);
  while ((await scoreDirtySubscribers(now, 2000)) > 0);
  await seededShop(QUIET, { subscribers: 30, seed: 5, now });
  await prisma.shopSettings.create({ data: { shop: SHOP, digestEnabled: true, digestEmail: "owner@digest-store.example" } });
  await prisma.shopSettings.create({ data: { shop: QUIET, digestEnabled: false, digestEmail: "owner@digest-off.example" } });
}, 90_000);

afterAll(() => sim.stop());

describe("queueing the weekly digest", () => {
  it("queues nothing before Monday 08:00", async () => {
    expect(await queueDueDigests(new Date("2026-11-30T07:59:00Z"))).toBe(0);
    expect(await digestJobs(SHOP)).toEqual([]);
  });

  it("queues one digest on Monday morning with the week's top 10, ranked by monthly value", async () => {
    expect(await queueDueDigests(MONDAY_9AM)).toBe(1);
    const [job] = await digestJobs(SHOP);
    expect(job.key).toBe(`digest:${SHOP}:2026-11-30`);
    const payload = JSON.parse(job.payload) as DigestJobPayload;
    expect(payload).toMatchObject({ metric: "Lifeline: Weekly At-Risk Digest", email: "owner@digest-store.example", uniqueId: job.key });

    const list = await weeklyAtRisk(SHOP, { all: true }, MONDAY_9AM);
    expect(list.rows.length).toBeGreaterThan(10);
    const { properties } = payload;
    expect(properties.week).toBe("2026-11-30");
    expect(properties.subscriber_count).toBe(list.rows.length);
    expect(properties.monthly_value_at_risk).toBe(list.totals[list.currency] ?? 0);
    expect(properties.monthly_value_by_currency).toEqual(list.totals);
    expect(properties.subscribers).toHaveLength(10);
    expect(properties.subscribers.map((s) => s.name)).toEqual(list.rows.slice(0, 10).map((r) => r.name));
    const values = properties.subscribers.map((s) => s.monthly_value);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    for (const [i, s] of properties.subscribers.entries()) {
      expect(s.band).toBe(list.rows[i].band);
      // The list to review: at risk or critical now (those back to health are in the Recovered tab).
      expect(["at_risk", "critical"]).toContain(s.band);
      expect(s.top_reason).toEqual(expect.any(String));
    }
  });

  it("waits for the hour the merchant chose", async () => {
    const LATE = "digest-late.myshopify.com";
    await prisma.shop.create({ data: { shop: LATE, installedAt: new Date("2026-01-01T00:00:00Z") } });
    await installShop(LATE);
    await prisma.shopSettings.create({ data: { shop: LATE, digestEnabled: true, digestEmail: "late@example.com", digestHour: 17 } });
    await queueDueDigests(new Date("2026-11-30T16:59:00Z"));
    expect(await digestJobs(LATE)).toEqual([]);
    await queueDueDigests(new Date("2026-11-30T17:00:00Z"));
    expect(await digestJobs(LATE)).toHaveLength(1);
  });

  it("queues it once per week however many passes see it due", async () => {
    for (const at of ["2026-11-30T09:00:01Z", "2026-11-30T12:00:00Z", "2026-12-02T10:00:00Z", "2026-12-06T23:59:00Z"]) {
      expect(await queueDueDigests(new Date(at))).toBe(0);
    }
    expect(await digestJobs(SHOP)).toHaveLength(1);
  });

  it("queues the next week's digest the next Monday", async () => {
    expect(await queueDueDigests(new Date("2026-12-07T08:30:00Z"))).toBe(1);
    expect((await digestJobs(SHOP)).map((j) => j.key)).toEqual([`digest:${SHOP}:2026-11-30`, `digest:${SHOP}:2026-12-07`]);
  });

  it("sends nothing for a shop that has the digest switched off", async () => {
    expect(await digestJobs(QUIET)).toEqual([]);
  });

  it("goes to the store owner's email when the settings name no address, and not at all when none is known", async () => {
    const shop = "digest-owner.myshopify.com";
    await prisma.shop.create({ data: { shop } });
    await prisma.shopSettings.create({ data: { shop, digestEnabled: true } });
    expect(await queueDueDigests(new Date("2026-12-14T09:00:00Z"))).toBe(1); // SHOP's week of Dec 14 only
    expect(await digestJobs(shop)).toEqual([]);
    await prisma.session.create({
      data: { id: `online_${shop}`, shop, state: "", isOnline: true, accessToken: "t", accountOwner: true, email: "founder@digest-owner.example" },
    });
    expect(await queueDueDigests(new Date("2026-12-14T09:05:00Z"))).toBe(1);
    const [job] = await digestJobs(shop);
    expect((JSON.parse(job.payload) as DigestJobPayload).email).toBe("founder@digest-owner.example");
  });
});

describe("delivering the weekly digest", () => {
  beforeEach(() => sim.reset());

  it("reaches the owner's Klaviyo profile once, through a 500 and a delivery repeated after a lost answer", async () => {
    const clock = fakeClock(MONDAY_9AM);
    expect((await saveKlaviyoKey(SHOP, KEY, { basePath: sim.baseUrl })).ok).toBe(true);
    sim.reset();
    const key = `digest:${SHOP}:2026-11-30`;
    // Only this digest in the queues: the subscribers' own plays and later weeks are other tests' subject.
    await prisma.job.updateMany({ where: { queue: { in: ["play", "digest"] }, NOT: { key } }, data: { status: "done" } });
    const worker = playsWorker(clock, sim.baseUrl);

    sim.failNext(1, 500);
    await worker.drain();
    expect(sim.events).toHaveLength(0);
    const retry = await prisma.job.findUniqueOrThrow({ where: { queue_key: { queue: "digest", key } } });
    expect(retry.status).toBe("pending");
    clock.set(retry.runAt);
    await worker.drain();
    expect((await prisma.job.findUniqueOrThrow({ where: { queue_key: { queue: "digest", key } } })).status).toBe("done");

    // As if the answer was lost and the job ran again: Klaviyo keeps the first event only.
    await prisma.job.update({ where: { queue_key: { queue: "digest", key } }, data: { status: "pending", runAt: clock.now() } });
    await worker.drain();

    const digests = sim.events.filter((e) => e.metric === "Lifeline: Weekly At-Risk Digest" && e.uniqueId === key);
    expect(digests).toHaveLength(1);
    expect(sim.duplicates.filter((e) => e.uniqueId === key)).toHaveLength(1);
    expect(digests[0].profile).toMatchObject({ email: "owner@digest-store.example" });
    expect((digests[0].properties.subscribers as unknown[]).length).toBe(10);
  });
});

describe("the worker's digest check", () => {
  it("queues a due digest from the worker pass, once however many passes follow", async () => {
    // Two shops have the digest on: this store and the one that sends to its owner.
    expect(await digestPass(new Date("2026-12-21T09:00:00Z"))).toBe(2);
    // The worker passes every half second: the next passes find the week queued.
    expect(await digestPass(new Date("2026-12-21T09:00:00.500Z"))).toBe(0);
    expect(await digestPass(new Date("2026-12-21T09:00:01Z"))).toBe(0);
    expect(await digestPass(new Date("2026-12-28T09:00:00Z"))).toBe(2);
  });
});

describe("a shop that never opened Settings", () => {
  it("gets the digest (on by default), at the store's email from Shopify", async () => {
    const shop = "digest-default.myshopify.com";
    await prisma.shop.create({ data: { shop, email: "hello@digest-default.example" } });
    await queueDueDigests(new Date("2027-03-01T09:00:00Z"));
    const [job] = await digestJobs(shop);
    expect((JSON.parse(job.payload) as DigestJobPayload).email).toBe("hello@digest-default.example");
  });
});
