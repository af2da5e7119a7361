/**
 * Recharge's webhook signatures, as fixtures/recharge/SOURCES.md records them (from the
 * hookdeck skill quoting docs.getrecharge.com/docs/webhooks-overview#validating-webhooks;
 * Recharge's own page was not readable offline, so the byte-level detail is second-hand):
 * - timestamp-bound: `X-Recharge-Webhook-Signature: t=<epoch>,v1=<hex>` (parsed by key, so a
 *   later `v2=` is ignored), v1 = lowercase hex HMAC-SHA256 of "<t>.<raw body>" under the API
 *   client secret; refused when t is more than 48 h from now. `X-Recharge-Webhook-Timestamp`
 *   carries the same t: it stands in when the signature names none, and must agree when both do.
 * - legacy: `X-Recharge-Hmac-Sha256` = hex SHA-256 (not HMAC) of client secret + raw body,
 *   read only when the timestamp-bound header is absent: never a fallback for one that fails.
 * Recharge sends no topic header and registers one address per topic, so each topic is
 * registered at `.../api/sources/recharge/<shop>?topic=<topic>` and read back from there.
 * Pure: a function of the request and `now`.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { SourceVerification, VerifyInput } from "../definition";
import { rechargeTime } from "./schemas";

export const SIGNATURE_HEADER = "X-Recharge-Webhook-Signature";
export const TIMESTAMP_HEADER = "X-Recharge-Webhook-Timestamp";
export const LEGACY_HEADER = "X-Recharge-Hmac-Sha256";
/** Recharge's own tolerance: it rejects timestamp-bound requests older than 48 hours. */
export const MAX_SKEW_SECONDS = 172_800;
/** The topic of a delivery whose address names none: kept, and dead-lettered as a topic Lifeline does not read. */
export const NO_TOPIC = "(no topic in the webhook address)";

export function verifyRecharge(input: VerifyInput): SourceVerification {
  const secret = input.credentials.clientSecret;
  if (!secret) return { ok: false, status: 401, reason: "no Recharge API client secret is stored for this shop" };
  const signature = input.header(SIGNATURE_HEADER);
  const legacy = input.header(LEGACY_HEADER);
  let failure: string | null;
  if (signature) failure = checkTimestamped(input, secret, signature);
  else if (legacy) failure = checkLegacy(input.rawBody, secret, legacy);
  else return { ok: false, status: 400, reason: `missing ${SIGNATURE_HEADER} and ${LEGACY_HEADER}` };
  if (failure) return { ok: false, status: 401, reason: failure };
  const topic = topicFromUrl(input.url);
  const object = deliveredObject(input.rawBody, topic);
  const version = object?.updatedAt ? object.updatedAt.toISOString() : `sha256:${createHash("sha256").update(input.rawBody).digest("hex")}`;
  return { ok: true, topic, deliveryKey: `${topic}:${object?.id ?? "?"}:${version}`, triggeredAt: object?.updatedAt ?? null };
}

/** Null when it holds; else why not. */
function checkTimestamped(input: VerifyInput, secret: string, header: string): string | null {
  const fields = new Map<string, string[]>();
  for (const part of header.split(",")) {
    const at = part.indexOf("=");
    if (at <= 0) continue;
    const key = part.slice(0, at).trim();
    fields.set(key, [...(fields.get(key) ?? []), part.slice(at + 1).trim()]);
  }
  const inSignature = fields.get("t")?.[0];
  const inHeader = input.header(TIMESTAMP_HEADER)?.trim() || undefined;
  if (inSignature && inHeader && inSignature !== inHeader) return `${TIMESTAMP_HEADER} does not match the signature's t`;
  const t = inSignature ?? inHeader;
  if (!t || !/^\d{1,12}$/.test(t)) return "the signature has no timestamp";
  if (Math.abs(input.now.getTime() / 1000 - Number(t)) > MAX_SKEW_SECONDS) return "the signature's timestamp is more than 48 hours from now";
  const candidates = fields.get("v1") ?? [];
  if (candidates.length === 0) return "the signature has no v1";
  const expected = createHmac("sha256", secret).update(`${t}.`).update(input.rawBody).digest();
  return candidates.some((v1) => sameHex(v1, expected)) ? null : "invalid signature";
}

function checkLegacy(rawBody: Buffer, secret: string, given: string): string | null {
  const expected = createHash("sha256").update(secret).update(rawBody).digest();
  return sameHex(given, expected) ? null : "invalid legacy hash";
}

function sameHex(given: string, expected: Buffer): boolean {
  const hex = given.trim();
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== expected.length * 2) return false;
  return timingSafeEqual(Buffer.from(hex, "hex"), expected);
}

function topicFromUrl(url: string | undefined): string {
  if (!url) return NO_TOPIC;
  let topic: string | null = null;
  try {
    topic = new URL(url).searchParams.get("topic");
  } catch {
    return NO_TOPIC;
  }
  return topic && /^[a-z_]+\/[a-z_]+$/.test(topic) ? topic : NO_TOPIC;
}

/**
 * The object the delivery is about, named by its id and version (updated_at): a
 * redelivery carries the same body, a new change a new updated_at. A body that is not
 * Recharge's is still kept (and dead-lettered), keyed by its bytes.
 */
function deliveredObject(rawBody: Buffer, topic: string): { id: string; updatedAt: Date | null } | null {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return null;
  }
  if (!body || typeof body !== "object") return null;
  const wrapper = body as Record<string, unknown>;
  const resource = topic.split("/")[0];
  const object = wrapper[resource];
  if (!object || typeof object !== "object") return null;
  const { id, updated_at: updatedAt } = object as Record<string, unknown>;
  if (typeof id !== "number" && typeof id !== "string") return null;
  return { id: String(id), updatedAt: typeof updatedAt === "string" ? rechargeTime(updatedAt) : null };
}
