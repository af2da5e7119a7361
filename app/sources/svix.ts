/**
 * Svix's webhook signatures (https://docs.svix.com/receiving/verifying-payloads/how-manual),
 * the scheme Appstle delivers with. Pure: the caller gives the headers, the raw body, the
 * endpoint secret and `now`.
 *
 * - Signed content: "{svix-id}.{svix-timestamp}.{raw body}".
 * - Key: the base64-decoded part of the secret after "whsec_".
 * - svix-signature: space-separated "v1,<base64 HMAC-SHA256>" entries (several while a secret
 *   rotates); one matching entry is enough. Compared in constant time.
 * - svix-timestamp (Unix seconds) must be within the tolerance of `now` (Svix's libraries use
 *   5 minutes), so a captured delivery cannot be replayed later.
 * - svix-id is the same on Svix's retries: it is the delivery's idempotency key.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SVIX_TOLERANCE_SECONDS = 5 * 60;

export interface SvixHeaders {
  id: string | null | undefined;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
}

export type SvixVerification =
  | { ok: true; id: string; timestamp: Date }
  | { ok: false; reason: string };

export function verifySvix(
  headers: SvixHeaders,
  rawBody: Buffer | string,
  secret: string,
  now: Date,
  toleranceSeconds: number = SVIX_TOLERANCE_SECONDS,
): SvixVerification {
  const id = headers.id?.trim();
  const timestamp = headers.timestamp?.trim();
  const signature = headers.signature?.trim();
  if (!id || !timestamp || !signature) return { ok: false, reason: "missing svix-id, svix-timestamp or svix-signature" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "svix-timestamp is not Unix seconds" };
  const seconds = Number(timestamp);
  if (Math.abs(now.getTime() / 1000 - seconds) > toleranceSeconds) return { ok: false, reason: "svix-timestamp is outside the tolerance window" };
  const key = svixKey(secret);
  if (!key) return { ok: false, reason: "the endpoint secret is not a whsec_ secret" };
  const body = typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody;
  const expected = Buffer.from(
    createHmac("sha256", key)
      .update(`${id}.${timestamp}.`, "utf8")
      .update(body)
      .digest("base64"),
    "utf8",
  );
  for (const entry of signature.split(" ")) {
    const comma = entry.indexOf(",");
    if (comma < 0 || entry.slice(0, comma) !== "v1") continue;
    const given = Buffer.from(entry.slice(comma + 1), "utf8");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true, id, timestamp: new Date(seconds * 1000) };
  }
  return { ok: false, reason: "no svix-signature entry matches" };
}

/** The signing key: the base64 after "whsec_" (a bare base64 secret is accepted too, as Svix's libraries do). */
function svixKey(secret: string): Buffer | null {
  const encoded = secret.trim().replace(/^whsec_/, "");
  if (encoded === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const key = Buffer.from(encoded, "base64");
  return key.length > 0 ? key : null;
}

/** A signature header for a body, as Svix sends it (for local servers and tests). */
export function svixSignature(id: string, timestamp: number, rawBody: string, secret: string): string {
  const key = svixKey(secret);
  if (!key) throw new Error("not a whsec_ secret");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${rawBody}`, "utf8").digest("base64")}`;
}
