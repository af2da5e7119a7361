import type { ZodType } from "zod";
import { PermanentError } from "../queue/errors";

/** One inbox delivery, parsed, as a topic handler sees it. */
export interface DeliveryContext {
  shop: string;
  topic: string;
  deliveryKey: string;
  /** When it happened at Shopify (triggered-at), else when we received it. */
  occurredAt: Date;
  payload: unknown;
  now: Date;
}

/** Validates a payload; a payload that does not fit can never succeed, so it is final. */
export function parsePayload<T>(schema: ZodType<T, any, any>, ctx: DeliveryContext): T {
  const result = schema.safeParse(ctx.payload);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
    throw new PermanentError(`${ctx.topic} payload does not match: ${problems}`);
  }
  return result.data;
}
