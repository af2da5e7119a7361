import { createHmac } from "node:crypto";
import type { FlowActionBody } from "./requests";

/**
 * The headers Flow sends with an action request: the body's HMAC-SHA256 with the app's
 * client secret, base64, in x-shopify-hmac-sha256. The body goes out as
 * JSON.stringify(body) (or the string given), the exact bytes that were signed.
 */
export function signFlowRequest(body: FlowActionBody | string, secret: string): Record<string, string> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  return {
    "content-type": "application/json",
    "x-shopify-hmac-sha256": createHmac("sha256", secret).update(raw, "utf8").digest("base64"),
  };
}
