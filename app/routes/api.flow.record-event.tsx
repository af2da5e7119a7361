import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveSourceDelivery } from "../sources/intake.server";

/**
 * The runtime URL of the Flow action "Record subscription event in Lifeline"
 * (extensions/record-subscription-event): Shopify Flow posts each run here, signed with
 * the app's secret, naming the shop in the body.
 */
export const action = ({ request }: ActionFunctionArgs) => receiveSourceDelivery(request, "flow", null);

export const loader = () => new Response(null, { status: 405, headers: { Allow: "POST" } });
