// Connecting Seal in Settings (the credentials checked against the local Seal server) and
// the history import: Seal's subscriptions list read page by page, 50 at a time, from a
// simulated store, resumed from the saved page after a failure without doubling anything.
import { afterAll, expect, test, vi } from "vitest";
import { drain, prisma } from "../../support/app";
import { installShop } from "../../support/shop";
import { buildStore } from "../../../simulator";
import { sealDeliveriesFor, sealSubscriptionAt } from "../../../simulator/seal/subscriptions";
import { connectSource, testSource } from "~/sources/connect.server";
import { sourceConnectionStatus } from "~/models/source-connection.server";
import { createWorkers } from "~/workers.server";
import { SECRET, TOKEN, connectSeal, sendSeal } from "./support";

const END = new Date("2026-11-30T00:00:00Z");
const store = buildStore({ seed: 11, subscribers: 120, months: 12, end: END, shopDomain: "seal-sim.myshopify.com" });
// Seal's list as of the end of the simulation: every contract, in the store's order.
const listed = store.contracts.map(({ contract, subscriber }) => sealSubscriptionAt(subscriber, subscriber.contracts.indexOf(contract), END.getTime()));

// Started before the app's modules load, so SEAL_API_BASE_URL names it when the configuration is read.
const { server, holder } = await vi.hoisted(async () => {
  const { startSealServer } = await import("../../../simulator/seal/server");
  const holder: { list: readonly Record<string, unknown>[] } = { list: [] };
  const server = await startSealServer({ accounts: [{ token: "seal_token_test_5b1e", secret: "seal_secret_test_91c4", subscriptions: () => holder.list }] });
  process.env.SEAL_API_BASE_URL = server.baseUrl;
  return { server, holder };
});
holder.list = listed;
afterAll(() => server.stop());

const pagesRead = () => server.requests.filter((r) => r.authorized && r.path === "/subscriptions").map((r) => r.page);
const counts = async (shop: string) => ({
  contracts: await prisma.contract.count({ where: { shop } }),
  subscribers: await prisma.subscriber.count({ where: { shop } }),
  events: await prisma.subscriberEvent.count({ where: { shop } }),
});

test("the store's subscriptions are three pages of Seal's list", () => {
  expect(listed.length).toBe(126);
});

test("a wrong token or a secret that does not match is refused at connection, and nothing is stored", async () => {
  const shop = "seal-wrong.myshopify.com";
  await installShop(shop);
  const wrongToken = await connectSource(shop, "seal", { apiToken: "seal_token_nope", apiSecret: SECRET });
  expect(wrongToken).toMatchObject({ ok: false, error: expect.stringMatching(/^Seal did not accept that API token/) });
  // Seal signs its answers with the secret: a wrong one is caught before anything is saved.
  const wrongSecret = await connectSource(shop, "seal", { apiToken: TOKEN, apiSecret: "not-the-secret" });
  expect(wrongSecret).toMatchObject({ ok: false, error: expect.stringMatching(/the API secret does not match/) });
  expect(await connectSource(shop, "seal", { apiToken: TOKEN })).toMatchObject({ ok: false, fieldErrors: { apiSecret: "Enter the API secret." } });
  expect(await prisma.sourceConnection.count({ where: { shop } })).toBe(0);
  expect(await prisma.job.count({ where: { shop, queue: "source" } })).toBe(0);
});

test("connecting imports every page once, in order, and the history lands at its own times", async () => {
  const shop = "seal-import.myshopify.com";
  const before = server.requests.length;
  await connectSeal(shop);
  // The connection test read page 1; the import read 1, 2 and 3, the last one short.
  expect(server.requests.slice(before).map((r) => r.page)).toEqual([1, 1, 2, 3]);
  const status = await sourceConnectionStatus(shop, "seal");
  expect([status.backfillStatus, status.backfillError]).toEqual(["done", null]);
  expect(status.backfillProgress).toEqual({ page: 4, imported: 126, skipped: 0, finishedPage: 3 });
  expect(await counts(shop)).toMatchObject({ contracts: 126, subscribers: 120 });
  // A cancelled subscriber: created, billed and cancelled when the simulation says, with its Shopify ids.
  const { contract, subscriber } = store.contracts.find((e) => e.contract.status === "cancelled")!;
  const row = await prisma.subscriber.findUniqueOrThrow({ where: { shop_customerId: { shop, customerId: String(subscriber.customerId) } } });
  expect(row.email).toBe(subscriber.email.toLowerCase());
  const events = await prisma.subscriberEvent.findMany({ where: { shop, contractId: String(contract.id) }, orderBy: { occurredAt: "asc" } });
  const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
  expect(seconds(events[0].occurredAt)).toBe(seconds(contract.createdAt));
  expect(events[0].type).toBe("contract.created");
  expect(events.at(-1)?.type).toBe("contract.cancelled");
  expect(seconds(events.at(-1)!.occurredAt)).toBe(seconds(contract.endedAt!));
  const charges = subscriber.facts.filter((f) => f.kind === "billing" && f.topic === "success" && subscriber.contracts[f.contract] === contract);
  expect(events.filter((e) => e.type === "billing.succeeded").map((e) => seconds(e.occurredAt))).toEqual(charges.map((f) => Math.floor(f.at / 1000)));
  expect((await prisma.contract.findFirstOrThrow({ where: { shop, contractId: String(contract.id) } })).status).toBe("cancelled");
});

test("an import that fails mid-way resumes from the saved page, and ends as one that did not", async () => {
  const shop = "seal-resume.myshopify.com";
  await installShop(shop);
  expect(await connectSource(shop, "seal", { apiToken: TOKEN, apiSecret: SECRET })).toMatchObject({ ok: true });
  let clock = new Date();
  const sources = createWorkers({ now: () => clock }).sources;
  server.failOn(2, 1, 503);
  const before = server.requests.length;
  await sources.drain();
  let status = await sourceConnectionStatus(shop, "seal");
  expect([status.backfillStatus, status.backfillProgress.page, status.backfillError]).toEqual(["running", 2, "Error: Seal subscriptions page 2: Seal answered 503"]);
  expect(await prisma.contract.count({ where: { shop } })).toBe(50);
  clock = new Date(clock.getTime() + 3_600_000);
  await sources.drain();
  await drain();
  expect(server.requests.slice(before).map((r) => [r.page, r.status])).toEqual([[1, 200], [2, 503], [2, 200], [3, 200]]);
  status = await sourceConnectionStatus(shop, "seal");
  expect([status.backfillStatus, status.backfillProgress.imported]).toEqual(["done", 126]);
  expect(await counts(shop)).toEqual(await counts("seal-import.myshopify.com"));
});

test("a 429 waits as Seal asks and does not use up the import's attempts", async () => {
  const shop = "seal-throttled.myshopify.com";
  await installShop(shop);
  expect(await connectSource(shop, "seal", { apiToken: TOKEN, apiSecret: SECRET })).toMatchObject({ ok: true });
  const clock = new Date();
  const sources = createWorkers({ now: () => clock }).sources;
  server.failOn(3, 1, 429);
  await sources.drain();
  const job = await prisma.job.findFirstOrThrow({ where: { shop, queue: "source" } });
  expect([job.status, job.attempts]).toEqual(["pending", 0]);
  expect(job.runAt.getTime() - clock.getTime()).toBe(1000);
  expect((await sourceConnectionStatus(shop, "seal")).backfillProgress.page).toBe(3);
});

/** Sends a subscriber's Seal webhooks into the route, each at the moment it happened. */
async function sendHistory(shop: string, subscribers: typeof store.subscribers) {
  const deliveries = subscribers.flatMap((sub) => sealDeliveriesFor(sub)).sort((a, b) => a.at.getTime() - b.at.getTime());
  vi.useFakeTimers({ toFake: ["Date"] });
  try {
    for (const d of deliveries) {
      vi.setSystemTime(d.at);
      expect((await sendSeal(shop, d.topic, d.body)).status).toBe(200);
    }
  } finally {
    vi.useRealTimers();
  }
  return deliveries.length;
}

/** Each subscriber's timeline as "<customer id> <second> <type>" lines. */
async function timelinesOf(shop: string, customerIds: string[]) {
  const events = await prisma.subscriberEvent.findMany({ where: { shop, subscriber: { customerId: { in: customerIds } } }, include: { subscriber: true } });
  return events.map((e) => `${e.subscriber.customerId} ${Math.floor(e.occurredAt.getTime() / 1000)} ${e.type}`).sort();
}

test("a history told by Seal's webhooks and the same history imported from its list are the same timelines, but for past price changes", async () => {
  const sample = store.subscribers.slice(0, 30);
  const ids = sample.map((s) => String(s.customerId));
  const shop = "seal-webhooks-only.myshopify.com";
  await installShop(shop);
  expect(await connectSource(shop, "seal", { apiToken: TOKEN, apiSecret: SECRET })).toMatchObject({ ok: true });
  await prisma.job.deleteMany({ where: { shop, queue: "source" } });
  expect(await sendHistory(shop, sample)).toBeGreaterThan(100);
  await drain();
  expect(await prisma.webhookDelivery.count({ where: { shop, processedAt: null } })).toBe(0);
  const told = await timelinesOf(shop, ids);
  const imported = await timelinesOf("seal-import.myshopify.com", ids);
  expect(told.some((line) => line.endsWith("contract.resumed")) && told.some((line) => line.endsWith("billing.failed"))).toBe(true);
  // The import says nothing the webhooks did not.
  expect(imported.filter((line) => !told.includes(line))).toEqual([]);
  // A list shows each subscription as it stands, not its past price changes.
  const unseen = told.filter((line) => !imported.includes(line));
  expect(unseen.length).toBeGreaterThan(0);
  expect(unseen.every((line) => line.endsWith("contract.edited"))).toBe(true);
  expect(told.length - unseen.length).toBe(imported.length);
});

test("an import after the webhooks adds nothing they already brought", async () => {
  const shop = "seal-overlap.myshopify.com";
  await installShop(shop);
  expect(await connectSource(shop, "seal", { apiToken: TOKEN, apiSecret: SECRET })).toMatchObject({ ok: true });
  const sample = store.subscribers.slice(0, 30).map((s) => String(s.customerId));
  const rest = store.subscribers.slice(30).map((s) => String(s.customerId));
  await sendHistory(shop, store.subscribers.slice(0, 30));
  await drain();
  expect(await prisma.contract.count({ where: { shop } })).toBe(126);
  expect(await timelinesOf(shop, sample)).toEqual(await timelinesOf("seal-webhooks-only.myshopify.com", sample));
  expect(await timelinesOf(shop, rest)).toEqual(await timelinesOf("seal-import.myshopify.com", rest));
  expect(await testSource(shop, "seal")).toMatchObject({ ok: true, message: expect.stringMatching(/^The API token and secret work: Seal shows 101 to 150 subscriptions/) });
});
