import type { IncomingMessage, ServerResponse } from "node:http";
import { config } from "../config.server";
import { logger } from "../log.server";
import { describeError } from "../queue/errors";
import { notifyWorkers } from "../queue/jobs.server";
import { inboxWriter } from "./inbox-writer.server";
import { normaliseTopic } from "./payloads";
import { verifyWebhook, type HeaderGetter } from "./verify.server";

/**
 * Receives one webhook delivery: verify it, keep the raw body in the inbox with its
 * job, acknowledge. Parsing and everything else happen in the worker, so a malformed
 * body is kept rather than lost, and the acknowledgement stays fast. A redelivery
 * (same event id) is acknowledged and ignored. Returns the HTTP status to answer.
 */
export async function ingestWebhook(rawBody: Buffer, header: HeaderGetter): Promise<number> {
  const check = verifyWebhook(rawBody, header, config().SHOPIFY_API_SECRET);
  if (!check.ok) return check.status;
  const result = await inboxWriter().write({
    shop: check.shop,
    deliveryKey: check.eventId ?? check.webhookId,
    topic: normaliseTopic(check.topic) ?? check.topic.toLowerCase(),
    webhookId: check.webhookId,
    eventId: check.eventId,
    apiVersion: check.apiVersion,
    triggeredAt: check.triggeredAt,
    receivedAt: new Date(),
    body: rawBody.toString("utf8"),
  });
  if (result === "stored") notifyWorkers("webhook");
  return 200;
}

/** The Remix route's entry: `export const action = ({ request }) => receiveWebhook(request)`. */
export async function receiveWebhook(request: Request): Promise<Response> {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  const rawBody = Buffer.from(await request.arrayBuffer());
  const status = await ingestWebhook(rawBody, (name) => request.headers.get(name));
  return new Response(null, { status });
}

/**
 * The same intake for the production server's node:http fast path (server.mjs), which
 * answers /webhooks/* before the request reaches Remix: framework work per request is
 * most of an acknowledgement's cost.
 */
export function handleWebhookRequest(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== "POST") {
    res.writeHead(405).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const header: HeaderGetter = (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    ingestWebhook(Buffer.concat(chunks), header).then(
      (status) => res.writeHead(status).end(),
      (error) => {
        logger.error({ error: describeError(error) }, "webhook intake failed");
        res.writeHead(500).end();
      },
    );
  });
  req.on("error", () => res.writeHead(400).end());
}
