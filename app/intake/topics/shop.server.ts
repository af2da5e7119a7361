import { shopUpdatePayload } from "../payloads";
import { parsePayload, type DeliveryContext } from "../context";
import { saveShopContext, shopContextSchema } from "../../models/shop-context.server";
import { PermanentError } from "../../queue/errors";

/**
 * shop/update: the store changed its settings; keep its currency, time zone and owner email.
 * Read as of the time Shopify says the change happened, so a late or repeated delivery
 * never overwrites a newer reading.
 */
export async function handleShopUpdate(ctx: DeliveryContext): Promise<void> {
  const p = parsePayload(shopUpdatePayload, ctx);
  const context = shopContextSchema.safeParse({ currency: p.currency, timezone: p.iana_timezone, email: p.email ?? null });
  if (!context.success) throw new PermanentError(`shop/update carries no usable currency or time zone: ${context.error.issues[0]?.message}`);
  await saveShopContext(ctx.shop, context.data, ctx.occurredAt);
}
