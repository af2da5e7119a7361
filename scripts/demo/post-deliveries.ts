/**
 * Sends the store's webhooks to the app as Shopify would: signed with the app's secret,
 * with Shopify's headers, in send order, a few at a time, one simulated week at a time.
 * Before the next week it waits for the app to finish the week's work, and it moves the
 * Admin API's clock forward with each delivery sent.
 */
import { createHmac } from "node:crypto";
import { webhookHeaders } from "../lib/sign";
import { HELPDESK_TOPIC } from "../../simulator/index";
import type { SimulatedDelivery } from "../../simulator/index";

const WEEK_MS = 7 * 86_400_000;
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

export interface NotAcknowledged {
  topic: string;
  eventId: string;
  status: number;
  detail: string;
}

export interface PostResult {
  posted: number;
  acknowledged: number;
  notAcknowledged: NotAcknowledged[];
  distinctEventIds: number;
  /** Deliveries sent again with an event id already sent (Shopify's redeliveries). */
  resent: number;
  weeks: number;
  /** Time spent sending, and waiting for the app to catch up between weeks. */
  sendingMs: number;
  waitingMs: number;
}

export interface PostOptions {
  appUrl: string;
  shop: string;
  secret: string;
  /** Signs the helpdesk's tickets. */
  helpdeskSecret: string;
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

export function groupByWeek(deliveries: SimulatedDelivery[], start: Date): SimulatedDelivery[][] {
  const weeks: SimulatedDelivery[][] = [];
  for (const d of deliveries) {
    const week = Math.max(0, Math.floor((Date.parse(d.sendAt) - start.getTime()) / WEEK_MS));
    (weeks[week] ??= []).push(d);
  }
  return weeks.filter((w) => w && w.length > 0);
}

export async function postDeliveries(options: PostOptions): Promise<PostResult> {
  const weeks = groupByWeek(options.deliveries, options.start);
  const seen = new Set<string>();
  const result: PostResult = {
    posted: 0,
    acknowledged: 0,
    notAcknowledged: [],
    distinctEventIds: 0,
    resent: 0,
    weeks: weeks.length,
    sendingMs: 0,
    waitingMs: 0,
  };

  for (const [w, batch] of weeks.entries()) {
    const t0 = Date.now();
    let next = 0;
    const lanes = Array.from({ length: Math.min(options.concurrency, batch.length) }, async () => {
      while (next < batch.length) {
        const d = batch[next++];
        if (seen.has(d.eventId)) result.resent++;
        else seen.add(d.eventId);
        options.advanceClock(new Date(d.sendAt));
        const { status, detail } = await send(options, d);
        result.posted++;
        if (status === 200) result.acknowledged++;
        else result.notAcknowledged.push({ topic: d.topic, eventId: d.eventId, status, detail });
      }
    });
    await Promise.all(lanes);
    const t1 = Date.now();
    await options.waitUntilProcessed();
    result.sendingMs += t1 - t0;
    result.waitingMs += Date.now() - t1;
    options.onWeek?.(w + 1, weeks.length, result.posted);
  }
  result.distinctEventIds = seen.size;
  return result;
}

async function send(options: PostOptions, d: SimulatedDelivery): Promise<{ status: number; detail: string }> {
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
  try {
    const response = await fetch(`${options.appUrl}${routeFor(d.topic, options.shop)}`, { method: "POST", body, headers });
    const text = await response.text();
    return { status: response.status, detail: text.slice(0, 200) };
  } catch (error) {
    return { status: 0, detail: String((error as Error).cause ?? error) };
  }
}
