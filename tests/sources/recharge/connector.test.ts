// Connecting Recharge, against the local Recharge server: the token is checked with Recharge
// before anything is stored, the shop's webhooks are registered once per topic (a rerun adds
// none), a webhook Recharge sends to a registered address passes the real route, and
// disconnecting removes the webhooks.
import { afterAll, beforeEach, expect, test, vi } from "vitest";
import { config } from "~/config.server";
import { connectSource, disconnectSource, sourceWebhookAddress, testSource } from "~/sources/connect.server";
import { sourceConnectionStatus, webhookIdsOf } from "~/models/source-connection.server";
import { recharge } from "~/sources/recharge/source.server";
import { RECHARGE_TOPICS } from "~/sources/recharge/topics";
import { BAD_TOKEN_MESSAGE } from "~/sources/recharge/api.server";
import * as route from "~/routes/api.sources.$source.$shop";
import { buildRechargeDataSet } from "../../../simulator/recharge/dataset";
import { drain, prisma } from "../../support/app";

const TOKEN = "sk_connector_test_token";
const NO_ORDERS = "sk_connector_no_orders";
const SECRET = "rc-connector-client-secret";

// The app reads RECHARGE_API_BASE_URL once: the local Recharge starts before any app module reads it.
const { server } = await vi.hoisted(async () => {
  const { startRechargeServer } = await import("../../../simulator/recharge/server");
  const server = await startRechargeServer({
    tokens: { sk_connector_test_token: {}, sk_connector_no_orders: { scopes: ["read_subscriptions", "read_customers"] } },
    clientSecret: "rc-connector-client-secret",
  });
  process.env.RECHARGE_API_BASE_URL = server.baseUrl;
  return { server };
});
afterAll(() => server.stop());

let shop = "";
let n = 0;
beforeEach(() => {
  if (config().RECHARGE_API_BASE_URL !== server.baseUrl) throw new Error("the app read its configuration before the Recharge server started");
  // Recharge's buckets start empty again, and so does this process's copy of them.
  server.reset();
  globalThis.lifelineRechargePacer = undefined;
  server.setData(buildRechargeDataSet({ subscriptions: 20 }));
  shop = `recharge-connect-${++n}.myshopify.com`;
});

const connect = (accessToken: string) => connectSource(shop, "recharge", { accessToken, clientSecret: SECRET });
/** This shop's webhooks at Recharge (an earlier test's queued job may register its own shop's too). */
const ours = () => server.webhooks().filter((w) => w.address.startsWith(`${sourceWebhookAddress(shop, "recharge")}?`));
const posts = () => server.requests.filter((r) => r.method === "POST" && r.path === "/webhooks" && r.status === 201);

test("a token Recharge accepts is stored and the import is queued; the test reads each resource once", async () => {
  const result = await connect(TOKEN);
  expect(result).toEqual({ ok: true, message: "Connected to Recharge: the token can read subscriptions, charges and customers." });
  expect(server.requests.map((r) => `${r.method} ${r.path}?limit=${r.query.limit} ${r.status}`)).toEqual([
    "GET /subscriptions?limit=1 200",
    "GET /charges?limit=1 200",
    "GET /customers?limit=1 200",
  ]);
  expect(server.requests.every((r) => r.version === "2021-11")).toBe(true);
  expect((await sourceConnectionStatus(shop, "recharge")).connected).toBe(true);
  expect(await prisma.job.count({ where: { shop, queue: "source", status: "pending" } })).toBe(1);
});

test("a token Recharge refuses (401) is not stored, and the merchant is told what to do", async () => {
  const result = await connect("sk_revoked_or_mistyped");
  expect(result).toEqual({ ok: false, error: BAD_TOKEN_MESSAGE });
  expect(server.requests.map((r) => r.status)).toEqual([401]);
  expect(await prisma.sourceConnection.count({ where: { shop } })).toBe(0);
  expect(await prisma.job.count({ where: { shop } })).toBe(0);
});

test("a token without read access to charges is refused naming the permission it lacks", async () => {
  const result = await connect(NO_ORDERS);
  expect(result.ok).toBe(false);
  expect(!result.ok && result.error).toBe(
    "This Recharge API token cannot read Orders (charges). In Recharge (Tools & apps > API tokens), give the token read access to Orders (charges), then connect again.",
  );
  expect(await prisma.sourceConnection.count({ where: { shop } })).toBe(0);
});

test("the setup job registers one webhook per topic at the shop's address naming the topic", async () => {
  await connect(TOKEN);
  await drain();
  const address = sourceWebhookAddress(shop, "recharge");
  const hooks = ours();
  expect(hooks.map((w) => w.topic).sort()).toEqual([...RECHARGE_TOPICS].sort());
  for (const w of hooks) {
    expect(w.address).toBe(`${address}?topic=${encodeURIComponent(w.topic)}`);
    expect(w.included_objects).toEqual(w.topic.startsWith("subscription/") ? ["customer"] : []);
  }
  expect((await webhookIdsOf(shop, "recharge")).sort()).toEqual(hooks.map((w) => String(w.id)).sort());
  expect((await sourceConnectionStatus(shop, "recharge")).backfillStatus).toBe("done");
});

test("registering again registers nothing new: Recharge's existing webhooks are reused", async () => {
  await connect(TOKEN);
  await drain();
  const first = await webhookIdsOf(shop, "recharge");
  const created = posts().length;
  const ctx = { shop, credentials: { accessToken: TOKEN, clientSecret: SECRET }, webhookAddress: sourceWebhookAddress(shop, "recharge"), now: new Date() };
  const again = await recharge.connector!.registerWebhooks!(ctx);
  expect(again).toEqual(first);
  expect(posts().length).toBe(created);
  expect(ours()).toHaveLength(RECHARGE_TOPICS.length);
});

test("a webhook Recharge sends to a registered address passes the route's verification, with either scheme", async () => {
  await connect(TOKEN);
  await drain();
  const data = buildRechargeDataSet({ subscriptions: 20 });
  const sub = data.subscriptions[3];
  for (const scheme of ["both", "legacy"] as const) {
    const [delivery] = server.deliveries("subscription/cancelled", { ...sub, status: "cancelled", cancelled_at: "2026-05-20T10:00:00+00:00", updated_at: `2026-05-20T10:00:0${scheme === "both" ? 0 : 1}+00:00` }, { scheme });
    const request = new Request(delivery.url, { method: "POST", headers: delivery.headers, body: delivery.body });
    const res = await route.action({ request, params: { source: "recharge", shop }, context: {} });
    expect(res.status).toBe(200);
  }
  expect(await prisma.webhookDelivery.count({ where: { shop, topic: "recharge:subscription/cancelled" } })).toBe(2);
});

test("disconnecting removes the shop's webhooks at Recharge and forgets the token", async () => {
  await connect(TOKEN);
  await drain();
  expect(ours()).toHaveLength(RECHARGE_TOPICS.length);
  const { warning } = await disconnectSource(shop, "recharge");
  expect(warning).toBeNull();
  expect(ours()).toEqual([]);
  expect(server.requests.filter((r) => r.method === "DELETE").every((r) => r.status === 204)).toBe(true);
  expect(await prisma.sourceConnection.count({ where: { shop } })).toBe(0);
  expect(await testSource(shop, "recharge")).toEqual({ ok: false, message: "Not connected." });
});

test("Recharge's outage during the test is said plainly and stores nothing", async () => {
  server.failNext(10, 503);
  const result = await connect(TOKEN);
  expect(result.ok).toBe(false);
  expect(!result.ok && result.error).toMatch(/^Could not reach Recharge; try again in a minute\. .*503/);
  expect(await prisma.sourceConnection.count({ where: { shop } })).toBe(0);
}, 20_000);
