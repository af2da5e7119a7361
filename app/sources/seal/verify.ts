/**
 * A Seal webhook, checked as Seal's own PHP client checks it (SealApiClient.php,
 * isWebhookHmacValid): X-Seal-Hmac-Sha256 is base64(HMAC-SHA256(raw body, API secret)),
 * compared in constant time. The topic is X-Seal-Topic. Seal signs no timestamp, so there
 * is no replay window: a captured delivery replayed later verifies. What protects the
 * timeline is that a replay is the same body, so it has the same delivery key and the same
 * event keys and adds nothing. Pure.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { SourceVerification, VerifyInput } from "../definition";

export const SEAL_HMAC_HEADER = "X-Seal-Hmac-Sha256";
export const SEAL_TOPIC_HEADER = "X-Seal-Topic";

/** base64 HMAC-SHA256 of a body with the API secret: Seal's webhook and API response signature. */
export function sealHmac(rawBody: Buffer | string, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

/** Whether a signature header is the body's, in constant time. */
export function sealHmacMatches(rawBody: Buffer | string, secret: string, given: string | null | undefined): boolean {
  if (!given || !secret) return false;
  const expected = Buffer.from(sealHmac(rawBody, secret), "utf8");
  const actual = Buffer.from(given.trim(), "utf8");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function verifySeal({ rawBody, header, credentials }: VerifyInput): SourceVerification {
  if (!header(SEAL_HMAC_HEADER)) return { ok: false, status: 401, reason: `missing ${SEAL_HMAC_HEADER}` };
  if (!sealHmacMatches(rawBody, credentials.apiSecret ?? "", header(SEAL_HMAC_HEADER))) return { ok: false, status: 401, reason: "signature does not match" };
  const topic = header(SEAL_TOPIC_HEADER)?.trim();
  if (!topic) return { ok: false, status: 400, reason: `missing ${SEAL_TOPIC_HEADER}` };
  return { ok: true, topic, deliveryKey: sealDeliveryKey(topic, rawBody), triggeredAt: null };
}

/**
 * Unique per delivery, equal on a redelivery. Seal's body has no event id, updated_at or
 * revision, and no one field of the capture changes on every update (the log grows on
 * most, billing_attempts on some), so the version is a SHA-256 of the raw body: two
 * different updates never share a key (no update is dropped as a duplicate), and a
 * redelivery of the same bytes is recognised. A redelivery Seal re-serialised differently
 * would pass this check and still add nothing: events are keyed by what the body says.
 */
export function sealDeliveryKey(topic: string, rawBody: Buffer): string {
  const digest = createHash("sha256").update(rawBody).digest("hex").slice(0, 32);
  return `${subscriptionIdOf(rawBody) ?? "unreadable"}:${topic}:${digest}`;
}

function subscriptionIdOf(rawBody: Buffer): string | null {
  try {
    const id = (JSON.parse(rawBody.toString("utf8")) as { id?: unknown } | null)?.id;
    return (typeof id === "number" && Number.isInteger(id)) || (typeof id === "string" && /^\d+$/.test(id)) ? `subscription:${id}` : null;
  } catch {
    return null; // kept all the same: the worker dead-letters it as not JSON
  }
}
