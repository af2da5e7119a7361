/**
 * The store's helpdesk: the service tickets subscribers opened, as a helpdesk would send
 * them to Lifeline's ticket intake (app/routes/api.helpdesk.$shop.tickets.tsx). Shopify
 * sends no webhook for a ticket, so these travel their own way.
 */
import { SECOND } from "./options";
import type { SimulatedDelivery, SimulatedSubscriber } from "./types";

export const HELPDESK_TOPIC = "helpdesk/ticket_created";

/** Each subscriber's tickets as deliveries, sent a few seconds after they were opened. */
export function helpdeskDeliveries(subscribers: readonly SimulatedSubscriber[]): SimulatedDelivery[] {
  const out: SimulatedDelivery[] = [];
  for (const sub of subscribers) {
    sub.tickets.forEach((t, i) => {
      const id = `T-${sub.customerId}-${i + 1}`;
      const opened = t.openedAt.getTime();
      out.push({
        topic: HELPDESK_TOPIC,
        webhookId: id,
        eventId: id,
        triggeredAt: t.openedAt.toISOString(),
        sendAt: new Date(opened + 5 * SECOND).toISOString(),
        payload: {
          id,
          created_at: t.openedAt.toISOString(),
          subject: t.subject,
          channel: "email",
          customer: { email: sub.email, shopify_customer_id: sub.customerId },
        },
      });
    });
  }
  return out.sort((a, b) => Date.parse(a.sendAt) - Date.parse(b.sendAt));
}
