/**
 * A Flow action request, checked as Shopify signs it: `x-shopify-hmac-sha256` is the
 * base64 HMAC-SHA256 of the raw body with the app's client secret (as shopify-api-js's
 * flow validation reads it). The shop is the body's `shopify_domain`; `action_run_id` is
 * one per run and comes back unchanged when Flow resends, so it is the delivery's key.
 * Flow's request carries no timestamp of its own: the run's time is the workflow's
 * `occurred_at` field. Pure.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { SourceVerification, VerifyInput } from "../definition";
import { FLOW_ACTION_HANDLE } from "./kinds";
import { normaliseKind } from "./properties";

export const FLOW_HMAC_HEADER = "x-shopify-hmac-sha256";

/** Topic of a run whose `event` field is empty: no kind, so the worker dead-letters it. */
export const NO_EVENT_TOPIC = "(no event)";

export function verifyFlowRequest(input: VerifyInput): SourceVerification {
  const given = input.header(FLOW_HMAC_HEADER);
  if (!given) return { ok: false, status: 401, reason: `missing ${FLOW_HMAC_HEADER}` };
  const expected = createHmac("sha256", input.appSecret).update(input.rawBody).digest();
  const received = Buffer.from(given.trim(), "base64");
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) return { ok: false, status: 401, reason: "HMAC does not match" };

  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(input.rawBody.toString("utf8"));
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return { ok: false, status: 400, reason: "body is not a JSON object" };
    body = parsed as Record<string, unknown>;
  } catch {
    return { ok: false, status: 400, reason: "body is not JSON" };
  }
  const shop = body.shopify_domain;
  if (typeof shop !== "string" || shop === "") return { ok: false, status: 400, reason: "no shopify_domain" };
  const runId = body.action_run_id;
  if (typeof runId !== "string" || runId.trim() === "") return { ok: false, status: 400, reason: "no action_run_id" };
  // The handle names the action; the request of another action sent here is not ours to read.
  if (body.handle !== undefined && body.handle !== FLOW_ACTION_HANDLE) return { ok: false, status: 400, reason: `not the ${FLOW_ACTION_HANDLE} action` };

  const properties = (typeof body.properties === "object" && body.properties !== null ? body.properties : {}) as Record<string, unknown>;
  const event = typeof properties.event === "string" || typeof properties.event === "number" ? normaliseKind(String(properties.event)) : "";
  const occurred = typeof properties.occurred_at === "string" && /^\d{4}-\d{2}-\d{2}/.test(properties.occurred_at) ? Date.parse(properties.occurred_at) : NaN;
  return {
    ok: true,
    // An unknown or empty kind is still kept: the worker dead-letters it with its reason.
    topic: event === "" ? NO_EVENT_TOPIC : event.slice(0, 80),
    deliveryKey: runId.trim(),
    triggeredAt: Number.isNaN(occurred) ? null : new Date(occurred),
    shop: shop.trim().toLowerCase(),
  };
}
