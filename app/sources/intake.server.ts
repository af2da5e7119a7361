import type { IncomingMessage, ServerResponse } from "node:http";
import { config } from "../config.server";
import { logger } from "../log.server";
import { directDb, perConnection, withRetry } from "../db-direct.server";
import { describeError } from "../queue/errors";
import { notifyWorkers } from "../queue/jobs.server";
import { inboxWriter } from "../intake/inbox-writer.server";
import { sourceCredentials } from "../models/source-connection.server";
import type { HeaderGetter } from "./definition";
import { sourceById, sourceTopic } from "./registry.server";

/** A valid shop domain: what Shopify names shops by, lower case. */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** What to answer: a status, and the text of a refusal. */
export interface SourceAnswer {
  status: number;
  text: string | null;
}

/**
 * Receives one delivery from a subscription app (or Shopify Flow), as Shopify's webhooks
 * are received: verify it as the vendor documents, keep the raw body in the inbox with
 * its job, acknowledge. Nothing is stored for an unknown source or shop (404) or a bad or
 * missing signature (401/400). A redelivery (same vendor key) is acknowledged and ignored.
 * A topic Lifeline does not read, or a body that is not what the vendor sends, is still
 * kept: the worker dead-letters it with its reason, for inspection.
 * `shop` comes from the address the shop's webhooks were registered with; null for
 * sources that name the shop in a signed body (Flow). `url` is the address posted to,
 * query included (Recharge names the topic there).
 */
export async function ingestSourceDelivery(sourceId: string, shopParam: string | null, rawBody: Buffer, header: HeaderGetter, url: string): Promise<SourceAnswer> {
  const source = sourceById(sourceId);
  if (!source) return NOT_FOUND;
  if (shopParam !== null && !SHOP_DOMAIN.test(shopParam)) return NOT_FOUND;
  // A source signed with the app's secret names its shop in the signed body, at its own address (Flow):
  // under a shop's address its deliveries would be filed by an unsigned part of the request.
  if (shopParam !== null && source.credentialFields.length === 0) return NOT_FOUND;
  let credentials: Record<string, string> = {};
  if (source.credentialFields.length > 0) {
    const stored = shopParam ? await sourceCredentials(shopParam, source.id) : null;
    if (!stored) return NOT_FOUND;
    credentials = stored;
  }
  const now = new Date();
  const check = source.verify({ rawBody, header, url, credentials, appSecret: config().SHOPIFY_API_SECRET, now });
  if (!check.ok) {
    logger.warn({ shop: shopParam, source: source.id, reason: check.reason }, "source delivery refused");
    return { status: check.status, text: check.status === 401 ? "Invalid signature" : check.reason };
  }
  const shop = shopParam ?? check.shop ?? "";
  // A shop named by the body (Flow) must be one that has the app installed now.
  if (!SHOP_DOMAIN.test(shop) || (shopParam === null && !(await isInstalled(shop)))) return NOT_FOUND;
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
  return { status: 200, text: null };
}

const NOT_FOUND: SourceAnswer = { status: 404, text: "Not found" };

const statements = perConnection((db) => ({
  installed: db.prepare(`SELECT 1 AS "ok" FROM "Session" WHERE "shop" = ? AND "isOnline" = 0 LIMIT 1`),
}));

/**
 * Installed: the shop has an offline session (app/uninstalled deletes them). Asked of the
 * row on every Flow delivery, on the direct connection, as the inbox write is: the ORM's
 * count was most of an acknowledgement's cost.
 */
async function isInstalled(shop: string): Promise<boolean> {
  const db = directDb();
  return (await withRetry(() => statements(db).installed.get(shop))) !== undefined;
}

/** The Remix routes' entry (app/routes/api.sources.$source.$shop.tsx, api.flow.record-event.tsx). */
export async function receiveSourceDelivery(request: Request, sourceId: string, shopParam: string | null): Promise<Response> {
  if (request.method !== "POST") return new Response(null, { status: 405, headers: { Allow: "POST" } });
  const rawBody = Buffer.from(await request.arrayBuffer());
  const answer = await ingestSourceDelivery(sourceId, shopParam, rawBody, (name) => request.headers.get(name), request.url);
  return new Response(answer.text, { status: answer.status });
}

export interface SourceAddress {
  sourceId: string;
  shop: string | null;
}

/**
 * The source an address posts to, for the addresses the Remix routes above serve:
 * /api/sources/<source>/<shop> and /api/flow/record-event (query aside). Null for any
 * other address, which goes on to Remix as before.
 */
export function sourceAddressOf(url: string): SourceAddress | null {
  const q = url.indexOf("?");
  const pathname = q < 0 ? url : url.slice(0, q);
  if (pathname === "/api/flow/record-event") return { sourceId: "flow", shop: null };
  const m = /^\/api\/sources\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (!m) return null;
  try {
    return { sourceId: decodeURIComponent(m[1]), shop: decodeURIComponent(m[2]) };
  } catch {
    return null;
  }
}

/**
 * The same intake for the production server's node:http fast path (server.mjs), beside
 * Shopify's webhooks (app/intake/intake.server.ts handleWebhookRequest): Express and Remix
 * cost most of an acknowledgement. Answers as the Remix route does.
 */
export function handleSourceRequest(req: IncomingMessage, res: ServerResponse, address: SourceAddress): void {
  if (req.method !== "POST") {
    res.writeHead(405, { Allow: "POST" }).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    // Fetch's Headers.get: names in any case, repeated values joined.
    const header: HeaderGetter = (name) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(", ") : value;
    };
    const url = new URL(req.url ?? "/", config().SHOPIFY_APP_URL).href;
    ingestSourceDelivery(address.sourceId, address.shop, Buffer.concat(chunks), header, url).then(
      ({ status, text }) => (text === null ? res.writeHead(status).end() : res.writeHead(status, { "Content-Type": "text/plain;charset=UTF-8" }).end(text)),
      (error) => {
        logger.error({ source: address.sourceId, error: describeError(error) }, "source intake failed");
        res.writeHead(500).end();
      },
    );
  });
  req.on("error", () => res.writeHead(400).end());
}
