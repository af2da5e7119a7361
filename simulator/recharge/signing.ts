/**
 * How Recharge signs a webhook delivery, both schemes it sends on every delivery
 * (fixtures/recharge/SOURCES.md, "Verification"):
 *   X-Recharge-Webhook-Timestamp   Unix seconds
 *   X-Recharge-Webhook-Signature   t=<seconds>,v1=<hex HMAC-SHA256("<t>.<raw body>", client secret)>
 *   X-Recharge-Hmac-Sha256         hex SHA-256(client secret + raw body) (legacy, a plain hash)
 * The byte-level details come from a secondary source (Recharge's page was not readable);
 * app/sources/recharge/verify.ts checks exactly these.
 */
import { createHash, createHmac } from "node:crypto";

export type RechargeSignatureScheme = "both" | "timestamp" | "legacy";

export function rechargeSignatureHeaders(rawBody: string, clientSecret: string, nowSeconds: number, scheme: RechargeSignatureScheme = "both"): Record<string, string> {
  const headers: Record<string, string> = {};
  if (scheme !== "legacy") {
    const t = String(Math.floor(nowSeconds));
    const v1 = createHmac("sha256", clientSecret).update(`${t}.${rawBody}`).digest("hex");
    headers["X-Recharge-Webhook-Timestamp"] = t;
    headers["X-Recharge-Webhook-Signature"] = `t=${t},v1=${v1}`;
  }
  if (scheme !== "timestamp") headers["X-Recharge-Hmac-Sha256"] = createHash("sha256").update(clientSecret).update(rawBody).digest("hex");
  return headers;
}
