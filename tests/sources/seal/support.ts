// A shop connected to Seal through Settings' real path (connectSource, which checks the
// credentials with the local Seal server), and Seal's webhooks sent into the real route.
import { expect } from "vitest";
import { drain, prisma } from "../../support/app";
import { installShop } from "../../support/shop";
import { connectSource } from "~/sources/connect.server";
import * as route from "~/routes/api.sources.$source.$shop";
import { sealWebhookRequest } from "../../../simulator/seal/server";

export const TOKEN = "seal_token_test_5b1e";
export const SECRET = "seal_secret_test_91c4";

export async function connectSeal(shop: string, credentials = { apiToken: TOKEN, apiSecret: SECRET }) {
  await installShop(shop);
  const result = await connectSource(shop, "seal", credentials);
  expect(result).toMatchObject({ ok: true });
  await drain();
}

/** One Seal webhook through the route's action, as Seal signs it (or with the given signature). */
export function sendSeal(shop: string, topic: string, body: unknown, opts: { secret?: string; signature?: string | null; topicHeader?: string | null } = {}) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const request = sealWebhookRequest(`https://lifeline.test/api/sources/seal/${shop}`, topic, raw, opts.secret ?? SECRET);
  if (opts.signature !== undefined) {
    if (opts.signature === null) request.headers.delete("X-Seal-Hmac-Sha256");
    else request.headers.set("X-Seal-Hmac-Sha256", opts.signature);
  }
  if (opts.topicHeader === null) request.headers.delete("X-Seal-Topic");
  return route.action({ request, params: { source: "seal", shop }, context: {} });
}

/** The shop's timeline as "<time> <type>" lines, oldest first. */
export async function timeline(shop: string): Promise<string[]> {
  const events = await prisma.subscriberEvent.findMany({ where: { shop }, orderBy: [{ occurredAt: "asc" }, { type: "asc" }] });
  return events.map((e) => `${e.occurredAt.toISOString()} ${e.type}`);
}
