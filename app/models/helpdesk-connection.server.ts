/**
 * A shop's helpdesk connection: the secret its helpdesk signs tickets with. The secret
 * is stored only encrypted and handed out in plain text once, by the call that creates
 * or rotates it; the status a page reads never carries it.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import prisma from "../db.server";
import { config } from "../config.server";
import { open, seal } from "../crypto/secret-box.server";
import { HELPDESK_SIGNATURE_PREFIX, helpdeskEndpoint } from "../intake/helpdesk-protocol";

export interface HelpdeskStatus {
  connected: boolean;
  connectedAt: Date | null;
  rotatedAt: Date | null;
  endpoint: string;
}

export interface IssuedSecret {
  /** Shown to the merchant once; not stored in plain text anywhere. */
  secret: string;
  endpoint: string;
  rotated: boolean;
}

const endpointFor = (shop: string) => helpdeskEndpoint(config().SHOPIFY_APP_URL, shop);

/** A new random secret (32 bytes, hex), replacing any earlier one: the old one stops working at once. */
export async function issueHelpdeskSecret(shop: string, now: Date = new Date()): Promise<IssuedSecret> {
  const secret = randomBytes(32).toString("hex");
  const encryptedSecret = seal(secret, shop);
  const existing = await prisma.helpdeskConnection.findUnique({ where: { shop }, select: { shop: true } });
  await prisma.helpdeskConnection.upsert({
    where: { shop },
    create: { shop, encryptedSecret, createdAt: now },
    update: { encryptedSecret, rotatedAt: now },
  });
  return { secret, endpoint: endpointFor(shop), rotated: existing !== null };
}

export async function helpdeskStatus(shop: string): Promise<HelpdeskStatus> {
  const row = await prisma.helpdeskConnection.findUnique({ where: { shop }, select: { createdAt: true, rotatedAt: true } });
  return { connected: row !== null, connectedAt: row?.createdAt ?? null, rotatedAt: row?.rotatedAt ?? null, endpoint: endpointFor(shop) };
}

export type SignatureCheck = "ok" | "no_connection" | "bad_signature";

/**
 * Checks `X-Lifeline-Signature: sha256=<hex>` against the HMAC-SHA256 of the raw body
 * under this shop's secret, in constant time. Another shop's secret signs a different
 * value, so it cannot post here.
 */
export async function checkHelpdeskSignature(shop: string, rawBody: Buffer, header: string | null): Promise<SignatureCheck> {
  const row = await prisma.helpdeskConnection.findUnique({ where: { shop }, select: { encryptedSecret: true } });
  if (!row) return "no_connection";
  const hex = header?.trim().startsWith(HELPDESK_SIGNATURE_PREFIX) ? header.trim().slice(HELPDESK_SIGNATURE_PREFIX.length) : "";
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return "bad_signature";
  const expected = createHmac("sha256", open(row.encryptedSecret, shop)).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(hex, "hex"), expected) ? "ok" : "bad_signature";
}
