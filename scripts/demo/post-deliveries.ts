/**
 * Sends the store's webhooks to the app as Shopify would: signed with the app's secret,
 * with Shopify's headers, in send order, a few at a time, one simulated week at a time.
 * Before the next week it waits for the app to finish the week's work, and it moves the
 * Admin API's clock forward with each delivery sent. The store's helpdesk tickets go the
 * same way, signed with the helpdesk's secret.
 */
import { createHmac } from "node:crypto";
import { webhookHeaders } from "../lib/sign";
import { HELPDESK_TOPIC } from "../../simulator/index";
import type { SimulatedDelivery } from "../../simulator/index";
import { postRequest, sendByWeek, type TimedPost, type WeeklyResult } from "./send-by-week";

export type { NotAcknowledged } from "./send-by-week";

/** Browsers' user agent: the app's bot check answers others with 410 on some routes. */
export const CHROME_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** The route each topic family posts to, as configured in shopify.app.toml. */
export function routeFor(topic: string, shop = ""): string {
  // The store's helpdesk posts tickets to Lifeline's own intake, not as a Shopify webhook.
  if (topic === HELPDESK_TOPIC) return `/api/helpdesk/${shop}/tickets`;
  if (topic === "app/uninstalled") return "/webhooks/app/uninstalled";
  if (topic.startsWith("customers/") || topic === "shop/redact") return "/webhooks/compliance";
  return `/webhooks/${topic.split("/")[0]}`;
}

/**
 * Shopify's subscription webhooks (contracts, billing attempts, cycles, edits) and its
 * payment-method webhooks for those contracts' customers: Shopify sends them only to the
 * app that owns the contracts, so a store fed by its subscription app gets none of them.
 */
export function isShopifySubscriptionTopic(topic: string): boolean {
  return topic.startsWith("subscription_") || topic.startsWith("customer_payment_methods/");
}

export interface PostResult extends WeeklyResult {
  distinctEventIds: number;
  /** Deliveries sent again with an event id already sent (Shopify's redeliveries). */
  resent: number;
}

export interface SigningOptions {
  appUrl: string;
  shop: string;
  secret: string;
  /** Signs the helpdesk's tickets. */
  helpdeskSecret: string;
}

export interface PostOptions extends SigningOptions {
  deliveries: SimulatedDelivery[];
  /** The simulated store's first day: weeks count from here. */
  start: Date;
  concurrency: number;
  /** Called with each delivery's simulated send time as it goes out. */
  advanceClock: (at: Date) => void;
  /** Resolves when the app has no webhook work left for what was sent. */
  waitUntilProcessed: () => Promise<void>;
  onWeek?: (week: number, weeks: number, posted: number) => void;
}

export async function postDeliveries(options: PostOptions): Promise<PostResult> {
  const distinct = new Set(options.deliveries.map((d) => d.eventId)).size;
  const sent = await sendByWeek(shopifyPosts(options, options.deliveries), options);
  return { ...sent, distinctEventIds: distinct, resent: options.deliveries.length - distinct };
}

/** Each delivery as a timed post: Shopify's headers, or the helpdesk's for its tickets. */
export function shopifyPosts(options: SigningOptions, deliveries: SimulatedDelivery[]): TimedPost[] {
  return deliveries.map((d) => ({ at: Date.parse(d.sendAt), topic: d.topic, eventId: d.eventId, post: async () => [await send(options, d)] }));
}

function send(options: SigningOptions, d: SimulatedDelivery) {
  const body = JSON.stringify(d.payload);
  const headers: Record<string, string> =
    d.topic === HELPDESK_TOPIC
      ? {
          "content-type": "application/json",
          "x-lifeline-signature": `sha256=${createHmac("sha256", options.helpdeskSecret).update(body).digest("hex")}`,
          "user-agent": CHROME_USER_AGENT,
        }
      : {
          ...webhookHeaders({
            topic: d.topic,
            shop: options.shop,
            body,
            secret: options.secret,
            webhookId: d.webhookId,
            eventId: d.eventId,
            triggeredAt: d.triggeredAt,
          }),
          "user-agent": CHROME_USER_AGENT,
        };
  return postRequest(`${options.appUrl}${routeFor(d.topic, options.shop)}`, headers, body);
}
