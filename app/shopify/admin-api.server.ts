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

/**
 * The one module that talks to Shopify's Admin GraphQL API. It uses the shop's stored
 * offline session. Authentication and not-found failures are final (the shop is gone
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
    if (status === 401 || status === 403 || status === 404) {
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
