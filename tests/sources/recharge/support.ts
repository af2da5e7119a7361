// Recharge deliveries as Recharge sends them: the fixtures' objects in their webhook
// wrappers, signed with either scheme, posted to the real route's action.
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import * as route from "~/routes/api.sources.$source.$shop";

export const RECHARGE_FIXTURES = path.resolve(__dirname, "../../../../shared/fixtures/recharge");

/** A fixture object, fresh each call so a test can change it. */
export function rechargeFixture(name: "subscription" | "customer" | "charge-success" | "charge-queued" | "charge-error-max-retries"): Record<string, any> {
  return JSON.parse(readFileSync(path.join(RECHARGE_FIXTURES, `${name}.object.2021-11.json`), "utf8"));
}

export const CLIENT_SECRET = "rc-client-secret-for-tests";

export function timestampedSignature(raw: string, secret: string, t: number): string {
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${raw}`).digest("hex")}`;
}

export function legacyHash(raw: string, secret: string): string {
  return createHash("sha256").update(secret).update(raw).digest("hex");
}

export interface SendOptions {
  shop: string;
  topic: string | null;
  /** "timestamped" (default), "legacy", "both", or none. */
  scheme?: "timestamped" | "legacy" | "both" | "none";
  secret?: string;
  /** The signature's t, in seconds; now by default. */
  t?: number;
  headers?: Record<string, string>;
}

export function rechargeRequest(body: unknown, opts: SendOptions): Request {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const secret = opts.secret ?? CLIENT_SECRET;
  const t = opts.t ?? Math.floor(Date.now() / 1000);
  const scheme = opts.scheme ?? "timestamped";
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (scheme === "timestamped" || scheme === "both") {
    headers["X-Recharge-Webhook-Timestamp"] = String(t);
    headers["X-Recharge-Webhook-Signature"] = timestampedSignature(raw, secret, t);
  }
  if (scheme === "legacy" || scheme === "both") headers["X-Recharge-Hmac-Sha256"] = legacyHash(raw, secret);
  const query = opts.topic === null ? "" : `?topic=${encodeURIComponent(opts.topic)}`;
  return new Request(`https://lifeline.test/api/sources/recharge/${opts.shop}${query}`, { method: "POST", body: raw, headers: { ...headers, ...opts.headers } });
}

/** Posts through the real route module's action, as Remix would. */
export async function sendRecharge(body: unknown, opts: SendOptions): Promise<Response> {
  const request = rechargeRequest(body, opts);
  return route.action({ request, params: { source: "recharge", shop: opts.shop }, context: {} });
}
