import { createHash } from "node:crypto";
import { checkHelpdeskSignature } from "../models/helpdesk-connection.server";
import { HELPDESK_SIGNATURE_HEADER, HELPDESK_TOPIC } from "./helpdesk-protocol";
import { notifyWorkers } from "../queue/jobs.server";
import { inboxWriter } from "./inbox-writer.server";

/**
 * Receives one ticket from a shop's helpdesk, as Shopify deliveries are received:
 * check the signature, keep the raw body in the inbox with its job, acknowledge.
 * Nothing is stored for an unknown shop (404) or a bad signature (401). A repeat of
 * the same ticket is acknowledged and ignored: the delivery key is the ticket's id.
 */
export async function receiveHelpdeskTicket(request: Request, shop: string): Promise<Response> {
  if (request.method !== "POST") return new Response(null, { status: 405, headers: { Allow: "POST" } });
  const rawBody = Buffer.from(await request.arrayBuffer());
  const check = await checkHelpdeskSignature(shop, rawBody, request.headers.get(HELPDESK_SIGNATURE_HEADER));
  if (check === "no_connection") return new Response("Not found", { status: 404 });
  if (check === "bad_signature") return new Response("Invalid signature", { status: 401 });
  const deliveryKey = ticketDeliveryKey(rawBody);
  const result = await inboxWriter().write({
    shop,
    deliveryKey,
    topic: HELPDESK_TOPIC,
    webhookId: deliveryKey,
    eventId: null,
    apiVersion: "helpdesk",
    triggeredAt: null,
    receivedAt: new Date(),
    body: rawBody.toString("utf8"),
  });
  if (result === "stored") notifyWorkers("webhook");
  return new Response(null, { status: 200 });
}

/** `helpdesk:<ticket id>`, or a hash of the body when it has no readable id (a malformed body is still kept). */
export function ticketDeliveryKey(rawBody: Buffer): string {
  let id: unknown;
  try {
    id = (JSON.parse(rawBody.toString("utf8")) as { id?: unknown } | null)?.id;
  } catch {
    id = undefined;
  }
  const usable = (typeof id === "string" && id.trim() !== "" && id.length <= 200) || (typeof id === "number" && Number.isFinite(id));
  return usable ? `helpdesk:${String(id).trim()}` : `helpdesk:sha256-${createHash("sha256").update(rawBody).digest("hex")}`;
}
