import { createHmac } from "node:crypto";

export function hmacOf(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export function webhookHeaders(opts: {
  topic: string;
  shop: string;
  body: string;
  secret: string;
  webhookId: string;
  eventId: string;
  triggeredAt: string;
}): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-shopify-topic": opts.topic,
    "x-shopify-hmac-sha256": hmacOf(opts.body, opts.secret),
    "x-shopify-shop-domain": opts.shop,
    "x-shopify-api-version": "2025-10",
    "x-shopify-webhook-id": opts.webhookId,
    "x-shopify-event-id": opts.eventId,
    "x-shopify-triggered-at": opts.triggeredAt,
  };
}
