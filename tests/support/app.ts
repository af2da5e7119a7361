import prisma from "~/db.server";
import { createWorkers } from "~/workers.server";
import { mockAdminOperation } from "./admin-api";
import { contractNode, type ContractSpec } from "./factories";
import { signedRequest, type Delivery } from "./webhooks";

const ROUTES: Record<string, () => Promise<{ action: (args: any) => Promise<Response> | Response }>> = {
  "/webhooks/subscription_contracts": () => import("~/routes/webhooks.subscription_contracts"),
  "/webhooks/subscription_billing_attempts": () => import("~/routes/webhooks.subscription_billing_attempts"),
  "/webhooks/subscription_billing_cycles": () => import("~/routes/webhooks.subscription_billing_cycles"),
  "/webhooks/subscription_billing_cycle_edits": () => import("~/routes/webhooks.subscription_billing_cycle_edits"),
  "/webhooks/customer_payment_methods": () => import("~/routes/webhooks.customer_payment_methods"),
  "/webhooks/compliance": () => import("~/routes/webhooks.compliance"),
  "/webhooks/app/uninstalled": () => import("~/routes/webhooks.app.uninstalled"),
  "/webhooks/shop/update": () => import("~/routes/webhooks.shop.update"),
};

/** Sends a signed delivery into the real route module's action, as Remix would. */
export async function post(d: Delivery | Request): Promise<Response> {
  const request = d instanceof Request ? d : signedRequest(d);
  const route = await ROUTES[new URL(request.url).pathname]();
  return route.action({ request, params: {}, context: {} });
}

/** The server's workers, for this test file; started only by the tests that want a running loop. */
export const workers = createWorkers();

/** Runs the inbox and Shopify workers (deliveries, backfill, enrichment, scoring) until no job is due. */
export function drain(): Promise<number> {
  return workers.drainIntake();
}

/** The Admin API answers contract queries from this map (what Shopify holds now). */
export function serveContracts(contracts: Map<string, ContractSpec>): void {
  mockAdminOperation("SubscriptionContractDetails", (vars) => {
    const id = String(vars.id).split("/").pop()!;
    const spec = contracts.get(id);
    return { subscriptionContract: spec ? contractNode(spec) : null };
  });
}

export { prisma };
