import { createHmac, timingSafeEqual } from "node:crypto";

export type HeaderGetter = (name: string) => string | null | undefined;

export interface VerifiedDelivery {
  ok: true;
  shop: string;
  /** As sent in X-Shopify-Topic (lower-case slash form). */
  topic: string;
  webhookId: string;
  eventId: string | null;
  apiVersion: string;
  triggeredAt: Date | null;
}

export type Verification = VerifiedDelivery | { ok: false; status: 400 | 401; reason: string };

const REQUIRED = ["x-shopify-hmac-sha256", "x-shopify-topic", "x-shopify-shop-domain", "x-shopify-api-version", "x-shopify-webhook-id"];

/**
 * Shopify's webhook check: every required header present (else 400), and the
 * X-Shopify-Hmac-Sha256 header equal to the base64 HMAC-SHA256 of the raw body under
 * the app's secret (else 401), compared in constant time. The same rules as
 * `authenticate.webhook` (a test holds the two to agreement), without its extra work.
 */
export function verifyWebhook(rawBody: Buffer, header: HeaderGetter, secret: string): Verification {
  const missing = REQUIRED.filter((name) => !header(name));
  if (missing.length > 0) return { ok: false, status: 400, reason: `missing headers: ${missing.join(", ")}` };
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(header("x-shopify-hmac-sha256")!, "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, status: 401, reason: "invalid hmac" };
  }
  const triggered = header("x-shopify-triggered-at");
  const triggeredAt = triggered ? new Date(triggered) : null;
  return {
    ok: true,
    shop: header("x-shopify-shop-domain")!,
    topic: header("x-shopify-topic")!,
    webhookId: header("x-shopify-webhook-id")!,
    eventId: header("x-shopify-event-id") || null,
    apiVersion: header("x-shopify-api-version")!,
    triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
  };
}
