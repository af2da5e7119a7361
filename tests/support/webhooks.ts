import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

export const FIXTURES = path.resolve(__dirname, "../../../shared/fixtures/shopify-webhooks");

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), "utf8"));
}

/** "subscription_contracts-create.json" -> "subscription_contracts/create" */
export function topicOfFixture(file: string): string {
  const base = path.basename(file, ".json").split(".")[0];
  const i = base.indexOf("-");
  return `${base.slice(0, i)}/${base.slice(i + 1)}`;
}

export function routeFor(topic: string): string {
  if (topic === "app/uninstalled") return "/webhooks/app/uninstalled";
  if (topic === "shop/update") return "/webhooks/shop/update";
  if (topic.startsWith("customers/") || topic === "shop/redact") return "/webhooks/compliance";
  return `/webhooks/${topic.split("/")[0]}`;
}

export interface Delivery {
  topic: string;
  shop: string;
  body: unknown;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  secret?: string;
  hmac?: string;
}

/** A webhook request exactly as Shopify sends it: headers and an HMAC over the raw body. */
export function signedRequest(d: Delivery, origin = "https://lifeline.test"): Request {
  const raw = typeof d.body === "string" ? d.body : JSON.stringify(d.body);
  const secret = d.secret ?? process.env.SHOPIFY_API_SECRET!;
  const hmac = d.hmac ?? createHmac("sha256", secret).update(raw, "utf8").digest("base64");
  return new Request(`${origin}${routeFor(d.topic)}`, {
    method: "POST",
    body: raw,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": d.topic,
      "x-shopify-hmac-sha256": hmac,
      "x-shopify-shop-domain": d.shop,
      "x-shopify-api-version": "2025-10",
      "x-shopify-webhook-id": d.webhookId ?? randomUUID(),
      "x-shopify-event-id": d.eventId ?? randomUUID(),
      "x-shopify-triggered-at": d.triggeredAt ?? new Date().toISOString(),
    },
  });
}
