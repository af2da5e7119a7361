import http from "node:http";
import type { AddressInfo } from "node:net";
import "@shopify/shopify-api/adapters/web-api";
import { shopifyApi, ApiVersion } from "@shopify/shopify-api";
import { afterAll, beforeAll, expect, test } from "vitest";
import { verifyWebhook } from "~/intake/verify.server";
import { handleWebhookRequest } from "~/intake/intake.server";
import { prisma } from "../support/app";
import { fixture, signedRequest, type Delivery } from "../support/webhooks";

const secret = process.env.SHOPIFY_API_SECRET!;
const shopify = shopifyApi({
  apiKey: "k",
  apiSecretKey: secret,
  apiVersion: ApiVersion.October25,
  hostName: "lifeline.test",
  isEmbeddedApp: true,
  logger: { level: 0 },
});

const body = fixture("subscription_billing_cycles-skip.json");
const cases: Array<[string, Delivery, (r: Request) => void]> = [
  ["valid", { topic: "subscription_billing_cycles/skip", shop: "v.myshopify.com", body }, () => {}],
  ["tampered hmac", { topic: "subscription_billing_cycles/skip", shop: "v.myshopify.com", body, hmac: "AAAA" }, () => {}],
  ["other secret", { topic: "subscription_billing_cycles/skip", shop: "v.myshopify.com", body, secret: "other" }, () => {}],
  ["missing webhook id", { topic: "subscription_billing_cycles/skip", shop: "v.myshopify.com", body }, (r) => r.headers.delete("x-shopify-webhook-id")],
  ["missing topic", { topic: "subscription_billing_cycles/skip", shop: "v.myshopify.com", body }, (r) => r.headers.delete("x-shopify-topic")],
  ["missing hmac", { topic: "subscription_billing_cycles/skip", shop: "v.myshopify.com", body }, (r) => r.headers.delete("x-shopify-hmac-sha256")],
];

test.each(cases)("Lifeline's check agrees with Shopify's own validator: %s", async (_name, delivery, mutate) => {
  const request = signedRequest(delivery);
  mutate(request);
  const raw = await request.clone().text();
  const theirs = await shopify.webhooks.validate({ rawBody: raw, rawRequest: request });
  const ours = verifyWebhook(Buffer.from(raw), (n) => request.headers.get(n), secret);
  expect(ours.ok).toBe(theirs.valid);
  if (!ours.ok && !theirs.valid) expect(ours.status === 401).toBe(theirs.reason === "invalid_hmac");
});

let server: http.Server;
let origin = "";
beforeAll(async () => {
  server = http.createServer(handleWebhookRequest);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("the production fast path keeps a signed delivery and refuses a forged one, over real HTTP", async () => {
  const shop = "fastpath.myshopify.com";
  const good = signedRequest({ topic: "subscription_billing_cycles/skip", shop, body, eventId: "fast-1" }, origin);
  const forged = signedRequest({ topic: "subscription_billing_cycles/skip", shop, body, secret: "nope", eventId: "fast-2" }, origin);
  const send = (r: Request) => fetch(r.url, { method: "POST", headers: r.headers, body: r.body, duplex: "half" } as RequestInit);
  expect((await send(good)).status).toBe(200);
  expect((await send(signedRequest({ topic: "subscription_billing_cycles/skip", shop, body, eventId: "fast-1" }, origin))).status).toBe(200);
  expect((await send(forged)).status).toBe(401);
  expect((await fetch(`${origin}/webhooks/subscription_billing_cycles`)).status).toBe(405);
  const kept = await prisma.webhookDelivery.findMany({ where: { shop } });
  expect(kept.map((d) => d.deliveryKey)).toEqual(["fast-1"]);
  expect(await prisma.job.count({ where: { shop, status: "pending" } })).toBe(1);
});
