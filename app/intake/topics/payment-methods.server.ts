import { writeTransaction } from "../../db-direct.server";
import type { TimelineEventType } from "../../domain/timeline";
import { ensureSubscriber, recordCard } from "../../models/subscriber.server";
import { appendEventsDirect } from "../../models/timeline.server";
import { paymentMethodPayload } from "../payloads";
import { parsePayload, type DeliveryContext } from "../context";

const METHOD_EVENT = {
  create: "payment_method.added",
  update: "payment_method.updated",
  revoke: "payment_method.revoked",
} as const satisfies Record<string, TimelineEventType>;

/** customer_payment_methods/*: the card on file and its expiry (only expiry is kept, never the name). */
export async function handlePaymentMethod(ctx: DeliveryContext, change: keyof typeof METHOD_EVENT): Promise<void> {
  const p = parsePayload(paymentMethodPayload, ctx);
  const month = p.payment_instrument?.month ?? null;
  const year = p.payment_instrument?.year ?? null;
  const card = month && year ? { month, year } : null;
  const type = METHOD_EVENT[change];
  await writeTransaction((db) => {
    const subscriberId = ensureSubscriber(db, ctx.shop, p.customer_id);
    if (change === "revoke") recordCard(db, subscriberId, null, ctx.occurredAt);
    else if (card) recordCard(db, subscriberId, card, ctx.occurredAt);
    appendEventsDirect(db, ctx.shop, subscriberId, [
      {
        type,
        occurredAt: ctx.occurredAt,
        contractId: null,
        sourceKey: `${ctx.deliveryKey}:${type}`,
        data: card && change !== "revoke" ? { cardExpiryMonth: card.month, cardExpiryYear: card.year } : {},
      },
    ]);
  });
}
