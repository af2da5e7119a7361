import prisma from "../../db.server";
import { customerRedactPayload, dataRequestPayload } from "../payloads";
import { parsePayload, type DeliveryContext } from "../context";
import { eraseShopData } from "../../models/shop.server";

/** Topics whose raw bodies can hold a customer's personal data (names, email, phone). */
const PERSONAL_TOPICS = [
  "customer_payment_methods/create",
  "customer_payment_methods/update",
  "customer_payment_methods/revoke",
  "customers/data_request",
  "customers/redact",
  "helpdesk/ticket_created",
];
const REDACTED_BODY = JSON.stringify({ redacted: true });

/** Whether a raw body is about this customer: by id, or (a helpdesk ticket may carry only that) by email. */
function bodyIsAbout(body: string, customerId: string, email: string | null): boolean {
  try {
    const parsed = JSON.parse(body) as { customer_id?: unknown; customer?: { id?: unknown; shopify_customer_id?: unknown; email?: unknown } };
    const id = parsed.customer_id ?? parsed.customer?.id ?? parsed.customer?.shopify_customer_id;
    if (id != null && String(id).split("/").pop() === customerId) return true;
    const bodyEmail = parsed.customer?.email;
    return email !== null && typeof bodyEmail === "string" && bodyEmail.trim().toLowerCase() === email;
  } catch {
    return false;
  }
}

/**
 * customers/redact: erase the customer's personal data. Their identity goes, and so
 * does every raw delivery that carried it; the anonymous timeline stays, so store-level
 * figures (churn rates, play results) do not change after the fact.
 */
export async function handleCustomerRedact(ctx: DeliveryContext): Promise<void> {
  const p = parsePayload(customerRedactPayload, ctx);
  const customerId = p.customer.id;
  const email = typeof p.customer.email === "string" && p.customer.email.trim() !== "" ? p.customer.email.trim().toLowerCase() : null;
  const candidates = await prisma.webhookDelivery.findMany({
    where: { shop: ctx.shop, topic: { in: PERSONAL_TOPICS }, NOT: { body: REDACTED_BODY } },
    select: { id: true, body: true },
  });
  const toScrub = candidates.filter((d) => bodyIsAbout(d.body, customerId, email)).map((d) => d.id);
  await prisma.$transaction([
    prisma.subscriber.updateMany({
      where: { shop: ctx.shop, customerId },
      data: { email: null, firstName: null, lastName: null, displayName: null, redactedAt: ctx.now },
    }),
    prisma.dataRequest.deleteMany({ where: { shop: ctx.shop, customerId } }),
    // A merchant's notes on a task may name the customer.
    prisma.task.updateMany({ where: { shop: ctx.shop, subscriber: { customerId } }, data: { note: null } }),
    prisma.webhookDelivery.updateMany({ where: { id: { in: toScrub } }, data: { body: REDACTED_BODY } }),
  ]);
}

/** shop/redact: 48 hours after uninstall, everything held for the shop goes. */
export async function handleShopRedact(ctx: DeliveryContext, currentJobId: number): Promise<void> {
  await eraseShopData(ctx.shop, currentJobId);
  // Events still waiting to learn their subscriber (see resolve-contract.server.ts).
  await prisma.unattachedEvent.deleteMany({ where: { shop: ctx.shop } });
}

/** customers/data_request: assemble what is held about the customer for the merchant to send. */
export async function handleDataRequest(ctx: DeliveryContext): Promise<void> {
  const p = parsePayload(dataRequestPayload, ctx);
  const subscriber = await prisma.subscriber.findUnique({
    where: { shop_customerId: { shop: ctx.shop, customerId: p.customer.id } },
    include: { contracts: true, events: { orderBy: { occurredAt: "asc" } } },
  });
  const report = subscriber
    ? {
        customerId: subscriber.customerId,
        identity: { email: subscriber.email, firstName: subscriber.firstName, lastName: subscriber.lastName },
        card: subscriber.cardExpiryMonth ? { expiryMonth: subscriber.cardExpiryMonth, expiryYear: subscriber.cardExpiryYear } : null,
        contracts: subscriber.contracts.map((c) => ({
          contractId: c.contractId,
          status: c.status,
          monthlyValue: c.monthlyValue,
          currency: c.currency,
          lines: c.lines ? JSON.parse(c.lines) : [],
          createdAt: c.createdAtShopify,
        })),
        timeline: subscriber.events.map((e) => ({ type: e.type, occurredAt: e.occurredAt, data: JSON.parse(e.data) })),
      }
    : { customerId: p.customer.id, held: "nothing" };
  await prisma.dataRequest.upsert({
    where: { shop_requestId: { shop: ctx.shop, requestId: p.data_request.id } },
    create: { shop: ctx.shop, requestId: p.data_request.id, customerId: p.customer.id, report: JSON.stringify(report) },
    update: { report: JSON.stringify(report) },
  });
}
