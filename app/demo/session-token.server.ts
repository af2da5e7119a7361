/**
 * Session tokens as Shopify's admin issues them to an embedded app: an HS256 JWT
 * signed with the app's secret. Used by local demo mode to stand in for the admin,
 * and by tests to make requests that `authenticate.admin` accepts.
 */
import { createHmac, randomUUID } from "node:crypto";

export interface SessionTokenInput {
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** The staff member; any stable id. */
  userId?: string;
  now?: Date;
  /** Shopify's tokens live a minute. */
  ttlSeconds?: number;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function mintSessionToken(input: SessionTokenInput): { token: string; expiresAt: Date } {
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const exp = iat + (input.ttlSeconds ?? 60);
  const payload = {
    iss: `https://${input.shop}/admin`,
    dest: `https://${input.shop}`,
    aud: input.apiKey,
    sub: input.userId ?? "1",
    exp,
    nbf: iat,
    iat,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const unsigned = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify(payload))}`;
  const signature = createHmac("sha256", input.apiSecret).update(unsigned).digest("base64url");
  return { token: `${unsigned}.${signature}`, expiresAt: new Date(exp * 1000) };
}

/** The `host` query parameter the admin passes: base64 of the shop's admin address. */
export function hostParam(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64").replace(/=+$/, "");
}
