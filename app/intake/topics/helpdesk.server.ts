import { z } from "zod";
import prisma from "../../db.server";
import { appendEvents } from "../../models/timeline.server";
import { parsePayload, type DeliveryContext } from "../context";

/**
 * A ticket as a helpdesk posts it. Loose on purpose, like Shopify's payloads: extra
 * fields pass through, and only what Lifeline reads is required.
 */
const ticketPayload = z
  .object({
    id: z.union([z.string().trim().min(1), z.number()]).transform((v) => String(v)),
    created_at: z.string().datetime({ offset: true }),
    customer: z
      .object({
        email: z.string().nullish(),
        // A numeric id or an Admin API gid: either names the same Shopify customer.
        shopify_customer_id: z
          .union([z.string(), z.number()])
          .nullish()
          .transform((v) => (v == null || String(v).trim() === "" ? null : String(v).trim().split("/").pop()!)),
      })
      .passthrough(),
    subject: z.string().nullish(),
    channel: z.string().trim().min(1).max(100).nullish(),
  })
  .passthrough();

/**
 * helpdesk/ticket_created: a service ticket on the subscriber's timeline, which the
 * health score and the "ticket in the first cycle" trigger read. A customer Lifeline
 * does not know as a subscriber is not a churn signal: the ticket has no effect. The
 * subject is not kept: it can hold personal data.
 */
export async function handleHelpdeskTicket(ctx: DeliveryContext): Promise<void> {
  const p = parsePayload(ticketPayload, ctx);
  const subscriberId = await findSubscriber(ctx.shop, p.customer.shopify_customer_id, p.customer.email ?? null);
  if (!subscriberId) return;
  await prisma.$transaction(async (tx) => {
    await appendEvents(tx, ctx.shop, subscriberId, [
      {
        type: "ticket.opened",
        occurredAt: new Date(p.created_at),
        contractId: null,
        sourceKey: `helpdesk:${p.id}`,
        data: { ticketSource: p.channel ?? "helpdesk" },
      },
    ]);
  });
}

/** By Shopify customer id first (exact), else by email, ignoring case. */
async function findSubscriber(shop: string, customerId: string | null, email: string | null): Promise<string | null> {
  if (customerId) {
    const row = await prisma.subscriber.findUnique({ where: { shop_customerId: { shop, customerId } }, select: { id: true } });
    if (row) return row.id;
  }
  const wanted = email?.trim().toLowerCase();
  if (!wanted) return null;
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Subscriber" WHERE "shop" = ${shop} AND lower("email") = ${wanted} ORDER BY "createdAt" ASC LIMIT 1`;
  return rows[0]?.id ?? null;
}
