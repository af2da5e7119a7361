import { z } from "zod";
import { writeTransaction } from "../../db-direct.server";
import { findSubscriberId } from "../../models/subscriber.server";
import { appendEventsDirect } from "../../models/timeline.server";
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
  await writeTransaction((db) => {
    const subscriberId = findSubscriberId(db, ctx.shop, p.customer.shopify_customer_id, p.customer.email ?? null);
    if (!subscriberId) return;
    appendEventsDirect(db, ctx.shop, subscriberId, [
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
