import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { customerHealth } from "../pages/customer-health/customer-health.server";

/**
 * The customer page block's data (extensions/customer-health-block). The block's fetch
 * carries the admin's ID token as a Bearer header, from Shopify's admin origin: `cors`
 * adds the headers that origin needs, and authenticate.admin answers the preflight.
 */
const paramsSchema = z.object({ customerId: z.string().regex(/^\d{1,19}$/) });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  const parsed = paramsSchema.safeParse(params);
  // Another shop's customer is "not found", exactly like one that never subscribed.
  const health = parsed.success ? await customerHealth(session.shop, parsed.data.customerId) : null;
  if (!health) throw cors(new Response("Not found", { status: 404 }));
  return cors(Response.json(health, { headers: { "Cache-Control": "private, no-store" } }));
};
