import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveHelpdeskTicket } from "../intake/helpdesk-intake.server";

/**
 * A helpdesk posts new tickets here, signed with the shop's secret (Settings, Helpdesk).
 * Not under /webhooks/: the production server answers those before Remix, for Shopify only.
 */
export const action = ({ request, params }: ActionFunctionArgs) => receiveHelpdeskTicket(request, params.shop ?? "");

export const loader = () => new Response(null, { status: 405, headers: { Allow: "POST" } });
