// A simulated store's history delivered to Lifeline one simulated week at a time, as a
// live store would send it, with the worker catching up after each week: through Shopify's
// own webhooks (the path for contracts Lifeline owns), or through a subscription app's
// source. What the shops end up with is then compared.
import type { SimulatedStore } from "../../../simulator/index";
import { answerAdminGraphql } from "../../../simulator/index";
import { webhookHeaders } from "../../../scripts/lib/sign";
import { routeFor } from "../../support/webhooks";
import { mockAdminOperation } from "../../support/admin-api";
import { drain, post } from "../../support/app";

const WEEK = 7 * 86_400_000;

/** One request a source would send, at the simulated time it happened. */
export interface TimedRequest {
  at: Date;
  request: () => Request;
}

/** Sends each week's requests in order, then lets the workers finish that week's work. */
export async function deliverByWeek(start: Date, requests: TimedRequest[], send: (r: Request) => Promise<Response>, onWeek?: (end: Date) => void): Promise<number[]> {
  const sorted = [...requests].sort((a, b) => a.at.getTime() - b.at.getTime());
  const statuses: number[] = [];
  let i = 0;
  for (let weekEnd = start.getTime() + WEEK; i < sorted.length; weekEnd += WEEK) {
    onWeek?.(new Date(weekEnd));
    while (i < sorted.length && sorted[i].at.getTime() < weekEnd) {
      statuses.push((await send(sorted[i].request())).status);
      i++;
    }
    await drain();
  }
  return statuses;
}

/**
 * The Shopify path: the store's webhooks (duplicates and late deliveries included) signed
 * with the app's secret into the real routes, with the Admin API answering from the
 * simulator as of the week being delivered.
 */
export async function runShopifyPath(store: SimulatedStore, shop: string): Promise<number[]> {
  let asOf = store.start;
  for (const op of ["SubscriptionContractDetails", "SubscriptionContractsBackfill"]) {
    mockAdminOperation(op, (vars, requestShop) => (requestShop === shop ? (answerAdminGraphql(store, op, vars, asOf) as { data?: unknown }).data : null));
  }
  const requests: TimedRequest[] = store.deliveries.map((d) => ({
    at: new Date(d.sendAt),
    request: () => {
      const body = JSON.stringify(d.payload);
      const headers = webhookHeaders({ topic: d.topic, shop, body, secret: process.env.SHOPIFY_API_SECRET!, webhookId: d.webhookId, eventId: d.eventId, triggeredAt: d.triggeredAt });
      return new Request(`https://lifeline.test${routeFor(d.topic)}`, { method: "POST", body, headers });
    },
  }));
  return deliverByWeek(store.start, requests, post, (end) => (asOf = end));
}
