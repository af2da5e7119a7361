// Tickets a shop's helpdesk posts to /api/helpdesk/<shop>/tickets: signed with the shop's
// own secret, kept in the inbox, and put on the subscriber's timeline by the worker.
import { createHmac } from "node:crypto";
import { beforeAll, expect, test } from "vitest";
import { drain, post, prisma } from "../support/app";
import { installShop } from "../support/shop";
import { fixture } from "../support/webhooks";
import { mockAdminOperation } from "../support/admin-api";
import { contractNode } from "../support/factories";
import { issueHelpdeskSecret } from "~/models/helpdesk-connection.server";
import { deadLetters } from "~/models/inbox.server";
import { scoreDirtySubscribers, startRescore } from "~/rescore/index.server";
import { DEFAULT_PLAYBOOK } from "~/playbook/defaults";
import * as route from "~/routes/api.helpdesk.$shop.tickets";

const SHOP = "helpdesk-shop.myshopify.com";
const OTHER = "helpdesk-neighbour.myshopify.com";
const UNCONNECTED = "no-helpdesk.myshopify.com";
const DAY = 86_400_000;
const NOW = new Date();
const SUBSCRIBED_AT = new Date(NOW.getTime() - 5 * DAY);
const CUSTOMER = "191167";
const SERVICE_RECOVERY = DEFAULT_PLAYBOOK.find((t) => t.condition.type === "service_ticket_in_first_cycle")!.id;

let secret = "";
let otherSecret = "";

const sign = (raw: string, key: string) => `sha256=${createHmac("sha256", key).update(raw, "utf8").digest("hex")}`;

/** A ticket as a helpdesk sends it, through the real route's action. */
async function sendTicket(body: unknown, opts: { shop?: string; key?: string; signature?: string | null } = {}) {
  const shop = opts.shop ?? SHOP;
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json" };
  const signature = opts.signature === undefined ? sign(raw, opts.key ?? secret) : opts.signature;
  if (signature !== null) headers["X-Lifeline-Signature"] = signature;
  const request = new Request(`https://lifeline.test/api/helpdesk/${shop}/tickets`, { method: "POST", body: raw, headers });
  return route.action({ request, params: { shop }, context: {} });
}

// Two days ago: inside the live window, so a crossing it causes is still news.
const ticket = (id: string, customer: Record<string, unknown>, createdAt = new Date(NOW.getTime() - 2 * DAY)) => ({
  id,
  created_at: createdAt.toISOString(),
  customer,
  subject: "Box arrived crushed, call me on 555-0100",
  channel: "email",
  priority: "high",
});

const ticketEvents = (shop = SHOP) => prisma.subscriberEvent.findMany({ where: { shop, type: "ticket.opened" } });
const deliveries = (shop = SHOP) => prisma.webhookDelivery.count({ where: { shop, topic: "helpdesk/ticket_created" } });

beforeAll(async () => {
  mockAdminOperation("SubscriptionContractDetails", (vars) => ({
    subscriptionContract: contractNode({
      id: String(vars.id).split("/").pop()!,
      customerId: CUSTOMER,
      email: "John.Doe@Example.com",
      createdAt: SUBSCRIBED_AT.toISOString(),
    }),
  }));
  for (const shop of [SHOP, OTHER]) {
    await installShop(shop);
    await post({ topic: "subscription_contracts/create", shop, body: { ...fixture("subscription_contracts-create.json"), customer_id: Number(CUSTOMER) } });
  }
  await drain();
  secret = (await issueHelpdeskSecret(SHOP)).secret;
  otherSecret = (await issueHelpdeskSecret(OTHER)).secret;
});

test("a signed ticket for a known subscriber lands on their timeline once, even when sent twice", async () => {
  const body = ticket("T-100", { shopify_customer_id: Number(CUSTOMER) });
  expect((await sendTicket(body)).status).toBe(200);
  expect((await sendTicket(body)).status).toBe(200);
  await drain();
  const events = (await ticketEvents()).filter((e) => e.sourceKey === "helpdesk:T-100");
  expect(events).toHaveLength(1);
  expect(events[0].occurredAt.toISOString()).toBe(body.created_at);
  // Where it came from, and not the subject: it can hold personal data.
  expect(JSON.parse(events[0].data)).toEqual({ ticketSource: "email" });
  expect(await prisma.webhookDelivery.count({ where: { shop: SHOP, deliveryKey: "helpdesk:T-100" } })).toBe(1);
  // Another shop's subscriber with the same customer id is untouched.
  expect(await ticketEvents(OTHER)).toHaveLength(0);
});

test("a subscriber is found by email, whatever its case, when the ticket has no customer id", async () => {
  expect((await sendTicket({ ...ticket("T-101", { email: "JOHN.DOE@example.COM" }), channel: undefined })).status).toBe(200);
  await drain();
  const events = (await ticketEvents()).filter((e) => e.sourceKey === "helpdesk:T-101");
  expect(events.map((e) => JSON.parse(e.data))).toEqual([{ ticketSource: "helpdesk" }]);
});

test("a bad or missing signature gets 401 and stores nothing", async () => {
  const before = await deliveries();
  const body = ticket("T-200", { shopify_customer_id: CUSTOMER });
  expect((await sendTicket(body, { signature: sign(JSON.stringify(body), "not-the-secret") })).status).toBe(401);
  expect((await sendTicket(body, { signature: null })).status).toBe(401);
  expect((await sendTicket(body, { signature: "sha256=zz" })).status).toBe(401);
  // Signed, but not over this body.
  expect((await sendTicket(body, { signature: sign(JSON.stringify({ ...body, id: "T-201" }), secret) })).status).toBe(401);
  expect(await deliveries()).toBe(before);
  expect(await prisma.job.count({ where: { shop: SHOP, key: { contains: "T-20" } } })).toBe(0);
});

test("a shop without a helpdesk connection gets 404 and nothing is stored", async () => {
  const response = await sendTicket(ticket("T-300", { shopify_customer_id: CUSTOMER }), { shop: UNCONNECTED });
  expect(response.status).toBe(404);
  expect(await prisma.webhookDelivery.count({ where: { shop: UNCONNECTED } })).toBe(0);
});

test("another shop's secret cannot post to this shop", async () => {
  const before = await deliveries();
  const response = await sendTicket(ticket("T-400", { shopify_customer_id: CUSTOMER }), { key: otherSecret });
  expect(response.status).toBe(401);
  expect(await deliveries()).toBe(before);
});

test("only POST is accepted", async () => {
  const request = new Request(`https://lifeline.test/api/helpdesk/${SHOP}/tickets`, { method: "PUT", body: "{}" });
  expect((await route.action({ request, params: { shop: SHOP }, context: {} })).status).toBe(405);
  expect(route.loader().status).toBe(405);
});

test("a ticket from a customer who is not a subscriber is processed with no effect", async () => {
  const before = (await ticketEvents()).length;
  expect((await sendTicket(ticket("T-500", { shopify_customer_id: "999999", email: "stranger@example.com" }))).status).toBe(200);
  await drain();
  expect(await ticketEvents()).toHaveLength(before);
  const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: SHOP, deliveryKey: "helpdesk:T-500" } });
  expect(delivery.processedAt).not.toBeNull();
  expect(delivery.error).toBeNull();
});

test("a malformed ticket is kept and dead-lettered with its reason", async () => {
  const raw = JSON.stringify({ created_at: "last tuesday", customer: { email: "john.doe@example.com" } });
  expect((await sendTicket(raw)).status).toBe(200);
  await drain();
  const kept = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: SHOP, body: raw } });
  expect(kept.deliveryKey).toMatch(/^helpdesk:sha256-[0-9a-f]{64}$/);
  expect(kept.processedAt).toBeNull();
  expect(kept.error).toMatch(/PermanentError: helpdesk\/ticket_created payload does not match: id: .*created_at/);
  const dead = (await deadLetters(SHOP)).filter((d) => d.topic === "helpdesk/ticket_created");
  expect(dead).toHaveLength(1);
  expect(dead[0].error).toMatch(/payload does not match/);
});

test("a ticket in the subscriber's first cycle, once scored, fires the service-recovery trigger", async () => {
  // The first test's ticket is three days into a monthly subscription: the first cycle, two days ago.
  const subscriber = await prisma.subscriber.findUniqueOrThrow({ where: { shop_customerId: { shop: SHOP, customerId: CUSTOMER } } });
  expect(subscriber.firstSubscribedAt?.toISOString()).toBe(SUBSCRIBED_AT.toISOString());
  await startRescore(SHOP, "tickets arrived", NOW);
  await scoreDirtySubscribers(NOW);
  const firings = await prisma.firing.findMany({ where: { shop: SHOP, triggerKey: SERVICE_RECOVERY } });
  expect(firings.map((f) => f.subscriberId)).toEqual([subscriber.id]);
  // The neighbour's subscriber, with no ticket, does not.
  await startRescore(OTHER, "no tickets", NOW);
  await scoreDirtySubscribers(NOW);
  expect(await prisma.firing.count({ where: { shop: OTHER, triggerKey: SERVICE_RECOVERY } })).toBe(0);
});

test("customers/redact scrubs the customer's tickets from the inbox, matched by id or by email", async () => {
  await post({ topic: "customers/redact", shop: SHOP, body: { customer: { id: Number(CUSTOMER), email: "john.doe@example.com" }, shop_domain: SHOP } });
  await drain();
  const bodies = (await prisma.webhookDelivery.findMany({ where: { shop: SHOP, topic: "helpdesk/ticket_created" } })).map((d) => d.body);
  // A stranger's ticket is not theirs to erase; every one of theirs is scrubbed, subject and all.
  const [strangers, theirs] = [bodies.filter((b) => b.includes("stranger@example.com")), bodies.filter((b) => !b.includes("stranger@example.com"))];
  expect(strangers).toHaveLength(1);
  expect(theirs.length).toBeGreaterThanOrEqual(3);
  expect(theirs.every((b) => b === JSON.stringify({ redacted: true }))).toBe(true);
});
