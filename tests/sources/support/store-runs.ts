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
import type { RechargeServer } from "../../../simulator/recharge/server";

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

/** The Flow path: the action requests the store's workflows would send, into /api/flow/record-event. */
export async function runFlowPath(store: SimulatedStore): Promise<number[]> {
  const { flowActionRequestsFor, signFlowRequest } = await import("../../../simulator/flow");
  const flowRoute = await import("~/routes/api.flow.record-event");
  const requests: TimedRequest[] = flowActionRequestsFor(store).map((r) => ({
    at: new Date(r.at),
    request: () => {
      const raw = JSON.stringify(r.body);
      return new Request("https://lifeline.test/api/flow/record-event", { method: "POST", body: raw, headers: signFlowRequest(raw, process.env.SHOPIFY_API_SECRET!) });
    },
  }));
  return deliverByWeek(store.start, requests, async (request) => flowRoute.action({ request, params: {}, context: {} }));
}

/**
 * The Recharge path: the store's Recharge webhooks, signed with the shop's client secret as
 * Recharge signs them, posted to the address the local Recharge server holds for each topic
 * (registered there by the shop's setup job) into the real route. The server's data moves
 * with the weeks, so what Lifeline reads back from Recharge's API (the customers' cards) is
 * what Recharge would have said that week.
 */
export async function runRechargePath(store: SimulatedStore, shop: string, server: RechargeServer, clientSecret: string): Promise<number[]> {
  const { rechargeSignatureHeaders, rechargeStateAt, rechargeWebhooks } = await import("../../../simulator/recharge/webhooks");
  const route = await import("~/routes/api.sources.$source.$shop");
  const addresses = new Map(server.webhooks().map((w) => [w.topic, w.address]));
  const requests: TimedRequest[] = rechargeWebhooks(store).map((w) => ({
    at: w.at,
    request: () => {
      const address = addresses.get(w.topic);
      if (!address) throw new Error(`no ${w.topic} webhook registered at Recharge`);
      const raw = JSON.stringify(w.body);
      // Signed as it is sent: Recharge's timestamped signature is refused after 48 hours.
      const headers = { "content-type": "application/json", ...rechargeSignatureHeaders(raw, clientSecret, new Date()) };
      return new Request(address, { method: "POST", body: raw, headers });
    },
  }));
  const send = (request: Request) => route.action({ request, params: { source: "recharge", shop }, context: {} });
  return deliverByWeek(store.start, requests, send, (end) => server.setData(rechargeStateAt(store, end)));
}
