// Seal's webhooks through the real route, for a shop connected in Settings against the
// local Seal server: verified with the shop's API secret, kept in the inbox, and written
// as the Shopify path's timeline events.
import { afterAll, afterEach, beforeEach, expect, test, vi } from "vitest";
import { drain, prisma } from "../../support/app";
import { deadLetters } from "~/models/inbox.server";
import { sealSignature } from "../../../simulator/seal/server";
import { attempt, capturedBody, sealBody } from "./fixture";
import { SECRET, connectSeal, sendSeal, timeline } from "./support";

// Started before the app's modules load, so SEAL_API_BASE_URL names it when the configuration is read.
const seal = await vi.hoisted(async () => {
  const { startSealServer } = await import("../../../simulator/seal/server");
  const server = await startSealServer({ accounts: [{ token: "seal_token_test_5b1e", secret: "seal_secret_test_91c4", subscriptions: () => [] }] });
  process.env.SEAL_API_BASE_URL = server.baseUrl;
  return server;
});
afterAll(() => seal.stop());

let shop = "";
let n = 0;
afterEach(() => {
  vi.useRealTimers();
});
beforeEach(async () => {
  shop = `seal-hooks-${++n}.myshopify.com`;
  await connectSeal(shop);
});

const CONTRACT = "25708429559";
const contract = () => prisma.contract.findFirstOrThrow({ where: { shop, contractId: CONTRACT } });
const deliveries = () => prisma.webhookDelivery.count({ where: { shop } });
const log = (created: string, content = "Changed.") => ({ content, created });

test("subscription/created, as captured, is a subscriber by Shopify customer id with the contract Seal shows", async () => {
  expect((await sendSeal(shop, "subscription/created", capturedBody())).status).toBe(200);
  await drain();
  const subscriber = await prisma.subscriber.findUniqueOrThrow({ where: { shop_customerId: { shop, customerId: "8885250982135" } } });
  expect([subscriber.email, subscriber.status, subscriber.cardExpiryMonth, subscriber.cardExpiryYear]).toEqual(["redacted@example.com", "active", 12, 2029]);
  expect(await contract()).toMatchObject({ subscriberId: subscriber.id, status: "active", currency: "EUR", monthlyValue: 0, billingInterval: "MONTH" });
  expect((await contract()).nextBillingAt?.toISOString()).toBe("2025-12-11T15:00:00.000Z");
  const events = await prisma.subscriberEvent.findMany({ where: { shop } });
  expect(events.map((e) => [e.type, e.occurredAt.toISOString(), e.contractId, e.sourceKey])).toEqual([
    ["contract.created", "2025-11-11T15:52:28.000Z", CONTRACT, "seal:subscription:8458680:created"],
  ]);
  const kept = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop } });
  expect([kept.topic, kept.triggeredAt, kept.error]).toEqual(["seal:subscription/created", null, null]);
  expect(kept.deliveryKey).toMatch(/^seal:subscription:8458680:subscription\/created:[0-9a-f]{32}$/);
});

test("every topic lands as its timeline events: charges and failures, a pause, a resume, a cancellation", async () => {
  const charged = [attempt(79779410, "2025-12-11T15:00:00+00:00", "succeeded"), attempt(79779411, "2026-01-11T15:00:00+00:00", "failed", "card_declined_by_bank"), attempt(79779412, "2026-01-14T15:00:00+00:00", "failed", "insufficient_funds", "Insufficient funds")];
  const paused = "2026-02-01T09:00:00+00:00";
  // Each sent when it happened: Seal's webhooks carry no time, so the one the body does not date (the resume) is dated on arrival.
  const sends: [string, string, Record<string, unknown>][] = [
    ["2025-11-11T15:52:50Z", "subscription/created", capturedBody()],
    ["2026-01-14T15:00:09Z", "subscription/updated", sealBody({ billing_attempts: charged, addLog: [log("2026-01-14 15:00:05")] })],
    ["2026-02-01T09:00:04Z", "subscription/updated", sealBody({ status: "PAUSED", paused_on: paused, billing_attempts: charged, addLog: [log("2026-02-01 09:00:00")] })],
    ["2026-03-01T08:00:02Z", "subscription/updated", sealBody({ paused_on: paused, billing_attempts: charged, addLog: [log("2026-02-01 09:00:00")] })],
    ["2026-06-01T10:00:03Z", "subscription/cancelled", sealBody({ status: "CANCELLED", paused_on: paused, cancelled_on: "2026-06-01T10:00:00+00:00", billing_attempts: charged })],
  ];
  vi.useFakeTimers({ toFake: ["Date"] });
  for (const [at, topic, body] of sends) {
    vi.setSystemTime(new Date(at));
    expect((await sendSeal(shop, topic, body)).status).toBe(200);
  }
  vi.useRealTimers();
  await drain();
  expect(await timeline(shop)).toEqual([
    "2025-11-11T15:52:28.000Z contract.created",
    "2025-12-11T15:00:00.000Z billing.succeeded",
    "2026-01-11T15:00:00.000Z billing.failed",
    "2026-01-14T15:00:00.000Z billing.failed",
    "2026-02-01T09:00:00.000Z contract.paused",
    "2026-03-01T08:00:02.000Z contract.resumed",
    "2026-06-01T10:00:00.000Z contract.cancelled",
  ]);
  const failures = await prisma.subscriberEvent.findMany({ where: { shop, type: "billing.failed" }, orderBy: { occurredAt: "asc" } });
  expect(failures.map((e) => JSON.parse(e.data))).toEqual([
    { errorCode: "CARD_DECLINED_BY_BANK", failureClass: "other", errorMessage: null },
    { errorCode: "INSUFFICIENT_FUNDS", failureClass: "soft_decline", errorMessage: "Insufficient funds" },
  ]);
  expect((await contract()).status).toBe("cancelled");
  expect((await prisma.subscriber.findFirstOrThrow({ where: { shop } })).status).toBe("cancelled");
});

test("a delivery sent twice (or replayed: Seal signs no time, so a replay verifies), or the same state in a new body, adds nothing", async () => {
  const body = sealBody({ billing_attempts: [attempt(79779410, "2025-12-11T15:00:00+00:00", "succeeded")] });
  for (let i = 0; i < 2; i++) expect((await sendSeal(shop, "subscription/updated", body)).status).toBe(200);
  await drain();
  expect(await deliveries()).toBe(1);
  const before = await timeline(shop);
  expect(before).toEqual(["2025-11-11T15:52:28.000Z contract.created", "2025-12-11T15:00:00.000Z billing.succeeded"]);
  // A note edited: a new delivery (its body differs), no new event.
  expect((await sendSeal(shop, "subscription/updated", { ...body, note: "Leave at the door" })).status).toBe(200);
  await drain();
  expect(await deliveries()).toBe(2);
  expect(await timeline(shop)).toEqual(before);
});

test("a late update never overwrites a newer cancellation, yet its charge lands at its true time", async () => {
  const charge = attempt(79779410, "2025-12-11T15:00:00+00:00", "succeeded");
  const cancelled = sealBody({ status: "CANCELLED", cancelled_on: "2026-01-02T10:00:00+00:00", billing_attempts: [charge], addLog: [log("2026-01-02 10:00:00")] });
  const earlier = sealBody({ billing_attempts: [charge, attempt(79779411, "2026-01-11T15:00:00+00:00", "")], addLog: [log("2025-12-11 15:00:02")] });
  await sendSeal(shop, "subscription/cancelled", cancelled);
  await drain();
  await sendSeal(shop, "subscription/updated", earlier);
  await drain();
  expect((await contract()).status).toBe("cancelled");
  expect((await contract()).nextBillingAt).toBeNull();
  expect(await timeline(shop)).toEqual([
    "2025-11-11T15:52:28.000Z contract.created",
    "2025-12-11T15:00:00.000Z billing.succeeded",
    "2026-01-02T10:00:00.000Z contract.cancelled",
  ]);
});

test("an activation after a pause is a resume, even when the pause arrives after it", async () => {
  const paused = sealBody({ status: "PAUSED", paused_on: "2026-02-01T09:00:00+00:00", addLog: [log("2026-02-01 09:00:00", "Paused.")] });
  const resumed = sealBody({ paused_on: "2026-02-01T09:00:00+00:00", addLog: [log("2026-02-01 09:00:00", "Paused."), log("2026-03-01 08:00:00", "Resumed.")] });
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-03-01T08:00:02Z"));
  await sendSeal(shop, "subscription/updated", resumed);
  vi.setSystemTime(new Date("2026-03-01T09:30:00Z"));
  await sendSeal(shop, "subscription/updated", paused);
  vi.useRealTimers();
  await drain();
  expect((await contract()).status).toBe("active");
  expect(await timeline(shop)).toEqual(["2025-11-11T15:52:28.000Z contract.created", "2026-02-01T09:00:00.000Z contract.paused", "2026-03-01T08:00:02.000Z contract.resumed"]);
});

test("an update and a cancellation arriving before the creation end as they would in order", async () => {
  const cancelled = sealBody({ status: "CANCELLED", cancelled_on: "2026-01-02T10:00:00+00:00", addLog: [log("2026-01-02 10:00:00")] });
  await sendSeal(shop, "subscription/cancelled", cancelled);
  await sendSeal(shop, "subscription/updated", sealBody({ billing_attempts: [attempt(79779410, "2025-12-11T15:00:00+00:00", "succeeded")] }));
  await sendSeal(shop, "subscription/created", capturedBody());
  await drain();
  expect((await contract()).status).toBe("cancelled");
  expect(await timeline(shop)).toEqual(["2025-11-11T15:52:28.000Z contract.created", "2025-12-11T15:00:00.000Z billing.succeeded", "2026-01-02T10:00:00.000Z contract.cancelled"]);
  expect(await prisma.subscriber.count({ where: { shop } })).toBe(1);
});

test("a bad or missing signature gets 401 and stores nothing; a missing topic gets 400", async () => {
  const body = capturedBody();
  const raw = JSON.stringify(body);
  expect((await sendSeal(shop, "subscription/created", body, { secret: "another-shops-secret" })).status).toBe(401);
  expect((await sendSeal(shop, "subscription/created", body, { signature: null })).status).toBe(401);
  expect((await sendSeal(shop, "subscription/created", body, { signature: "" })).status).toBe(401);
  expect((await sendSeal(shop, "subscription/created", body, { signature: sealSignature(raw, SECRET).toLowerCase() })).status).toBe(401);
  // Signed, but over another body.
  expect((await sendSeal(shop, "subscription/created", body, { signature: sealSignature(JSON.stringify({ ...body, id: 1 }), SECRET) })).status).toBe(401);
  expect((await sendSeal(shop, "subscription/created", body, { topicHeader: null })).status).toBe(400);
  expect(await deliveries()).toBe(0);
  expect(await prisma.job.count({ where: { shop, queue: "webhook" } })).toBe(0);
  expect(await prisma.subscriberEvent.count({ where: { shop } })).toBe(0);
});

test("a shop with no Seal connection gets 404 and nothing is stored", async () => {
  const stranger = "seal-not-connected.myshopify.com";
  expect((await sendSeal(stranger, "subscription/created", capturedBody())).status).toBe(404);
  expect(await prisma.webhookDelivery.count({ where: { shop: stranger } })).toBe(0);
});

test("a topic Lifeline does not read, or a body that is not a Seal subscription, is kept and dead-lettered with its reason", async () => {
  const cases: [string, unknown, RegExp][] = [
    ["subscription/deleted", capturedBody(), /Seal Subscriptions topic subscription\/deleted is not one Lifeline reads/],
    ["subscription/updated", "{not json", /body is not valid JSON/],
    ["subscription/updated", { ...capturedBody(), status: "EXPIRED" }, /status "EXPIRED" is not one Seal is known to send/],
    ["subscription/cancelled", capturedBody(), /subscription\/cancelled for subscription 8458680 has status ACTIVE, not CANCELLED/],
    ["subscription/updated", { ...capturedBody(), customer_id: "", email: "" }, /the payload names no customer/],
  ];
  for (const [topic, body] of cases) expect((await sendSeal(shop, topic, body)).status).toBe(200);
  await drain();
  const kept = await prisma.webhookDelivery.findMany({ where: { shop }, orderBy: { id: "asc" } });
  expect(kept.map((d) => d.topic)).toEqual(cases.map(([topic]) => `seal:${topic}`));
  expect(kept.every((d) => d.processedAt === null)).toBe(true);
  const dead = await deadLetters(shop);
  expect(dead).toHaveLength(cases.length);
  for (const [topic, , reason] of cases) expect(dead.some((d) => d.topic === `seal:${topic}` && reason.test(d.error ?? ""))).toBe(true);
  expect(await prisma.subscriberEvent.count({ where: { shop } })).toBe(0);
});

