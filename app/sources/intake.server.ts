import { config } from "../config.server";
import { logger } from "../log.server";
import prisma from "../db.server";
import { notifyWorkers } from "../queue/jobs.server";
import { inboxWriter } from "../intake/inbox-writer.server";
import { sourceCredentials } from "../models/source-connection.server";
import { sourceById, sourceTopic } from "./registry.server";

/** A valid shop domain: what Shopify names shops by, lower case. */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * Receives one delivery from a subscription app (or Shopify Flow), as Shopify's webhooks
 * are received: verify it as the vendor documents, keep the raw body in the inbox with
 * its job, acknowledge. Nothing is stored for an unknown source or shop (404) or a bad or
 * missing signature (401/400). A redelivery (same vendor key) is acknowledged and ignored.
 * A topic Lifeline does not read, or a body that is not what the vendor sends, is still
 * kept: the worker dead-letters it with its reason, for inspection.
 * `shop` comes from the address the shop's webhooks were registered with; null for
 * sources that name the shop in a signed body (Flow).
 */
export async function receiveSourceDelivery(request: Request, sourceId: string, shopParam: string | null): Promise<Response> {
  if (request.method !== "POST") return new Response(null, { status: 405, headers: { Allow: "POST" } });
  const source = sourceById(sourceId);
  if (!source) return new Response("Not found", { status: 404 });
  if (shopParam !== null && !SHOP_DOMAIN.test(shopParam)) return new Response("Not found", { status: 404 });
  let credentials: Record<string, string> = {};
  if (source.credentialFields.length > 0) {
    const stored = shopParam ? await sourceCredentials(shopParam, source.id) : null;
    if (!stored) return new Response("Not found", { status: 404 });
    credentials = stored;
  }
  const rawBody = Buffer.from(await request.arrayBuffer());
  const now = new Date();
  const check = source.verify({ rawBody, header: (name) => request.headers.get(name), url: request.url, credentials, appSecret: config().SHOPIFY_API_SECRET, now });
  if (!check.ok) {
    logger.warn({ shop: shopParam, source: source.id, reason: check.reason }, "source delivery refused");
    return new Response(check.status === 401 ? "Invalid signature" : check.reason, { status: check.status });
  }
  const shop = shopParam ?? check.shop ?? "";
  // A shop named by the body (Flow) must be one that has the app installed now.
  if (!SHOP_DOMAIN.test(shop) || (shopParam === null && !(await isInstalled(shop)))) return new Response("Not found", { status: 404 });
  const deliveryKey = `${source.id}:${check.deliveryKey}`;
  const result = await inboxWriter().write({
    shop,
    deliveryKey,
    topic: sourceTopic(source.id, check.topic),
    webhookId: deliveryKey,
    eventId: null,
    apiVersion: source.id,
    triggeredAt: check.triggeredAt,
    receivedAt: now,
    body: rawBody.toString("utf8"),
  });
  if (result === "stored") notifyWorkers("webhook");
  return new Response(null, { status: 200 });
}

/** Installed: the shop has an offline session (app/uninstalled deletes them). */
async function isInstalled(shop: string): Promise<boolean> {
  return (await prisma.session.count({ where: { shop, isOnline: false } })) > 0;
}
