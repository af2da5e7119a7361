import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveSourceDelivery } from "../sources/intake.server";

/**
 * A subscription app (Recharge, Seal, ...) posts this shop's webhooks here, signed as the
 * vendor documents with the credentials the merchant connected in Settings. Not under
 * /webhooks/: the production server answers those before Remix, for Shopify only.
 */
export const action = ({ request, params }: ActionFunctionArgs) => receiveSourceDelivery(request, params.source ?? "", params.shop ?? "");

export const loader = () => new Response(null, { status: 405, headers: { Allow: "POST" } });
