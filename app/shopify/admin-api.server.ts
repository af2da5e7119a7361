import { unauthenticated } from "../shopify.server";
import { PermanentError } from "../queue/errors";
import {
  SUBSCRIPTION_CONTRACT_DETAILS,
  type SubscriptionContractDetailsData,
} from "../graphql/SubscriptionContractDetails";
import {
  SUBSCRIPTION_CONTRACTS_BACKFILL,
  type SubscriptionContractsBackfillData,
} from "../graphql/SubscriptionContractsBackfill";
import type { SubscriptionContractNode } from "../graphql/SubscriptionContractFields";
import { FLOW_TRIGGER_RECEIVE, type FlowTriggerReceiveData } from "../graphql/FlowTriggerReceive";
import { CUSTOMER_IDENTITY, type CustomerIdentityData, type CustomerIdentityNode } from "../graphql/CustomerIdentity";
import { SHOP_CONTEXT, type ShopContextData, type ShopContextNode } from "../graphql/ShopContext";

/**
 * The one module that talks to Shopify's Admin GraphQL API. It uses the shop's stored
 * offline session. Refusals (bad request, authentication, not found) are final (the shop is gone
 * or the token revoked); anything else throws a retryable error and the job retries.
 */
async function adminGraphql<T>(shop: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const { admin } = await unauthenticated.admin(shop);
  let body: { data?: T; errors?: unknown };
  try {
    const response = await admin.graphql(query, { variables, tries: 2 });
    body = (await response.json()) as typeof body;
  } catch (error) {
    const status = (error as { response?: { code?: number } }).response?.code;
    // A request Shopify refuses as such (bad input, revoked token, unknown shop) fails the same way every time.
    if (status === 400 || status === 401 || status === 403 || status === 404 || status === 422) {
      throw new PermanentError(`Admin API refused (${status}) for ${shop}`, { cause: error });
    }
    throw error;
  }
  if (!body.data) throw new Error(`Admin API returned no data: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data;
}

export function contractGid(contractId: string): string {
  return `gid://shopify/SubscriptionContract/${contractId}`;
}

export async function fetchContract(shop: string, contractId: string): Promise<SubscriptionContractNode | null> {
  const data = await adminGraphql<SubscriptionContractDetailsData>(shop, SUBSCRIPTION_CONTRACT_DETAILS, {
    id: contractGid(contractId),
  });
  return data.subscriptionContract;
}

export function customerGid(customerId: string): string {
  return `gid://shopify/Customer/${customerId}`;
}

/** The customer's name and email; null when Shopify knows no such customer (deleted, or not this shop's). */
export async function fetchCustomerIdentity(shop: string, customerId: string): Promise<CustomerIdentityNode | null> {
  const data = await adminGraphql<CustomerIdentityData>(shop, CUSTOMER_IDENTITY, { id: customerGid(customerId) });
  return data.customer;
}

/** The shop's currency, IANA time zone and owner email. */
export async function fetchShopContext(shop: string): Promise<ShopContextNode> {
  const data = await adminGraphql<ShopContextData>(shop, SHOP_CONTEXT, {});
  return data.shop;
}

export async function fetchContractsPage(
  shop: string,
  after: string | null,
  first = 50,
): Promise<SubscriptionContractsBackfillData["subscriptionContracts"]> {
  const data = await adminGraphql<SubscriptionContractsBackfillData>(shop, SUBSCRIPTION_CONTRACTS_BACKFILL, {
    first,
    after,
  });
  return data.subscriptionContracts;
}

/**
 * Starts the shop's Flow workflows that begin with the app's trigger `handle`. Flow
 * answers a trigger it does not know (not deployed, or removed) or a payload that does
 * not match the trigger's fields with userErrors: sending the same again cannot help,
 * so they are final. Anything else (5xx, throttling, network) is thrown to be retried.
 */
export async function sendFlowTrigger(shop: string, handle: string, payload: Record<string, unknown>): Promise<void> {
  const data = await adminGraphql<FlowTriggerReceiveData>(shop, FLOW_TRIGGER_RECEIVE, { handle, payload });
  const errors = data.flowTriggerReceive?.userErrors ?? [];
  if (errors.length > 0) {
    throw new PermanentError(`Shopify Flow refused trigger ${handle}: ${errors.map((e) => e.message).join("; ").slice(0, 500)}`);
  }
}
