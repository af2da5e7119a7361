// How a helpdesk posts its tickets to the intake; the settings card shows the same to the
// merchant. Safe to import from the browser bundle.

export const HELPDESK_SIGNATURE_HEADER = "X-Lifeline-Signature";
export const HELPDESK_SIGNATURE_PREFIX = "sha256=";
export const HELPDESK_TOPIC = "helpdesk/ticket_created";

/** Where a shop's helpdesk posts its tickets. */
export function helpdeskEndpoint(appUrl: string, shop: string): string {
  return `${appUrl.replace(/\/+$/, "")}/api/helpdesk/${encodeURIComponent(shop)}/tickets`;
}

/** A ticket as the helpdesk sends it; extra fields are allowed and ignored. */
export const HELPDESK_EXAMPLE_BODY = JSON.stringify(
  {
    id: "48213",
    created_at: "2026-11-30T09:15:00Z",
    customer: { email: "customer@example.com", shopify_customer_id: "7043217981" },
    subject: "My box arrived damaged",
    channel: "email",
  },
  null,
  2,
);
