import { Prisma } from "@prisma/client";
import prisma from "../db.server";
import { validateWebhook } from "../shopify/webhook-validator.server";
import { runtime } from "../queue/runtime.server";
import { normaliseTopic } from "./payloads";

/**
 * Receives one webhook delivery: verify the HMAC and headers with Shopify's own
 * validator, keep the raw body in the inbox with its job, acknowledge. Parsing and
 * everything else happen in the worker, so a malformed body is kept, not lost, and
 * the acknowledgement stays fast.
 */
export async function receiveWebhook(request: Request): Promise<Response> {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  const rawBody = await request.text();
  const check = await validateWebhook(rawBody, request);
  if (!check.valid) {
    const status = check.reason === "invalid_hmac" ? 401 : 400;
    return new Response(null, { status });
  }
  if (check.webhookType !== "webhooks") return new Response(null, { status: 400 });

  const headerTopic = request.headers.get("x-shopify-topic") ?? check.topic;
  const topic = normaliseTopic(headerTopic) ?? headerTopic.toLowerCase();
  const eventId = check.eventId ?? null;
  const deliveryKey = eventId ?? check.webhookId;
  const triggeredAt = check.triggeredAt ? new Date(check.triggeredAt) : null;

  try {
    await prisma.$transaction([
      prisma.webhookDelivery.create({
        data: {
          shop: check.domain,
          deliveryKey,
          topic,
          webhookId: check.webhookId,
          eventId,
          apiVersion: check.apiVersion,
          triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
          body: rawBody,
        },
      }),
      prisma.job.create({ data: { queue: "webhook", key: `${check.domain}:${deliveryKey}`, shop: check.domain } }),
    ]);
  } catch (error) {
    // Shopify redelivers until it sees a 2xx: a duplicate is acknowledged and ignored.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return new Response(null, { status: 200 });
    }
    throw error;
  }
  runtime().worker.notify();
  return new Response(null, { status: 200 });
}
